/**
 * A correct consumer group, told as a history: the checker must find nothing wrong in it (the group
 * rules' soundness property, model/test/groups-properties.test.ts). One topic `t`, every record
 * produced and acknowledged first; up to three members of group `g` under one commit mode, eager
 * rebalancing with the range assignor, a coordinator that refuses commits of an ended generation and
 * stores what it accepts when it answers, `auto.offset.reset=earliest`. Steps are numbers (so a
 * property can draw and shrink them); each is read as an action on the state, and an action that does
 * not apply is skipped. Every member joins first; at the end the crashed ones restart and the group
 * drains. Deterministic: the same steps give the same history.
 */
import type { CommitMode, CommitValue, History } from "../history/event.js";
import { HistoryBuilder, groupConsumer } from "./builder.js";
import type { GroupMember } from "./group-member.js";

export interface CorrectGroupOptions {
  readonly mode: CommitMode;
  readonly partitions: number;
  readonly recordsPerPartition: number;
  readonly members: number;
  /** Each step: action = step % 8, its member = floor(step / 8) % members. */
  readonly steps: readonly number[];
}

interface Pending {
  readonly value: CommitValue;
  readonly generation: number;
  readonly member: number;
}

const group = "g";
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);

export function simulateCorrectGroup(options: CorrectGroupOptions): History {
  const clients: Record<string, ReturnType<typeof groupConsumer>> = {};
  const names = range(0, options.members).map((index) => `consumer-${index}`);
  for (const name of names) clients[name] = groupConsumer(group, options.mode, { "auto.offset.reset": "earliest" });
  const builder = new HistoryBuilder({
    topics: [{ name: "t", partitions: options.partitions, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
    clients: { "producer-0": { role: "producer", config: {} }, "final-reader": { role: "reader", config: {} }, ...clients },
  });
  for (let partition = 0; partition < options.partitions; partition++) {
    for (let offset = 0; offset < options.recordsPerPartition; offset++) builder.send("producer-0", "t", null, `p${partition}-${offset}`, { partition, offset });
  }
  const end = options.recordsPerPartition;
  const sessions = names.map(() => 0);
  const members: GroupMember[] = names.map((name, index) => builder.member(name, `m${index}-0`));
  const alive = names.map(() => false);
  /** Owner (member index) per partition in the current generation, -1: none. */
  const owner = range(0, options.partitions).map(() => -1);
  /** Whether the owner's current session holds it (a crashed owner stays in the generation, holding nothing). */
  const held = range(0, options.partitions).map(() => false);
  /** The owner's next offset to read, per partition. */
  const position = range(0, options.partitions).map(() => 0);
  /** Records the owner was returned but has not processed, per partition (auto mode only). */
  const unprocessed = range(0, options.partitions).map((): number[] => []);
  const committed: (number | undefined)[] = range(0, options.partitions).map(() => undefined);
  let generation = 0;
  const pending: Pending[] = [];

  const store = (value: CommitValue): void => {
    for (const entry of value.offsets) {
      committed[entry.partition] = entry.offset;
      builder.offsetCommitted(group, "t", entry.partition, entry.offset, value.generation, value.member);
    }
  };
  const owned = (member: number): number[] => range(0, options.partitions).filter((partition) => owner[partition] === member && held[partition]);
  const offsetsOf = (member: number): Record<number, number> => Object.fromEntries(owned(member).map((partition) => [partition, position[partition] as number]));

  const rebalance = (): void => {
    const live = range(0, options.members).filter((member) => alive[member]);
    for (const member of live) if (owned(member).length > 0) members[member]?.revoked(owned(member));
    generation++;
    // Range: members by member id; each takes a contiguous range, the first ones one more.
    const sorted = [...live].sort((left, right) => ((members[left]?.member ?? "") < (members[right]?.member ?? "") ? -1 : 1));
    owner.fill(-1);
    held.fill(true);
    let next = 0;
    sorted.forEach((member, index) => {
      const count = Math.floor(options.partitions / sorted.length) + (index < options.partitions % sorted.length ? 1 : 0);
      for (let partition = next; partition < next + count; partition++) owner[partition] = member;
      next += count;
    });
    for (let partition = 0; partition < options.partitions; partition++) {
      position[partition] = committed[partition] ?? 0;
      unprocessed[partition] = [];
    }
    if (sorted.length === 0) return;
    builder.groupGeneration(
      group,
      generation,
      "range",
      sorted.map((member) => ({ member: members[member]?.member ?? "", client: names[member] ?? "", partitions: owned(member).map((partition) => ({ topic: "t", partition })) })),
    );
    for (const member of sorted) members[member]?.assigned(generation, owned(member));
  };

  const completeCommit = (which: "oldest" | "newest"): void => {
    const commit = which === "oldest" ? pending.shift() : pending.pop();
    if (commit === undefined) return;
    const member = members[commit.member] as GroupMember;
    if (!alive[commit.member]) return;
    if (commit.generation !== generation) {
      member.commitComplete(commit.value, "fail", "ILLEGAL_GENERATION");
      return;
    }
    store(commit.value);
    member.commitComplete(commit.value, "ok");
  };

  const poll = (member: number, crashBeforeProcessing: boolean): void => {
    const handle = members[member] as GroupMember;
    const partition = owned(member).find((candidate) => (position[candidate] as number) < end);
    if (partition === undefined) {
      handle.poll();
      return;
    }
    const from = position[partition] as number;
    const offsets = range(from, Math.min(end, from + 3));
    handle.poll(partition, offsets);
    position[partition] = from + offsets.length;
    switch (options.mode) {
      case "sync-before-processing": {
        handle.commit({ [partition]: position[partition] as number });
        store(handle.commitValue({ [partition]: position[partition] as number }));
        if (crashBeforeProcessing) return;
        handle.process(partition, offsets);
        return;
      }
      case "auto":
        (unprocessed[partition] as number[]).push(...offsets);
        if (crashBeforeProcessing) return;
        handle.process(partition, offsets);
        unprocessed[partition] = [];
        return;
      default:
        if (crashBeforeProcessing) {
          handle.processStarted(partition, offsets);
          return;
        }
        handle.process(partition, offsets);
        if (options.mode === "sync-after-processing") {
          handle.commit({ [partition]: position[partition] as number });
          store(handle.commitValue({ [partition]: position[partition] as number }));
        } else if (options.mode === "async-after-processing") {
          pending.push({ value: handle.commitInvoke({ [partition]: position[partition] as number }, "async"), generation, member });
        }
    }
  };

  const crash = (member: number): void => {
    alive[member] = false;
    for (let partition = 0; partition < options.partitions; partition++) if (owner[partition] === member) held[partition] = false;
    for (let index = pending.length - 1; index >= 0; index--) if (pending[index]?.member === member) pending.splice(index, 1);
    members[member]?.crash();
  };

  const start = (member: number): void => {
    const handle = members[member] as GroupMember;
    if ((sessions[member] as number) > 0) handle.restart(`m${member}-${sessions[member]}`);
    sessions[member] = (sessions[member] as number) + 1;
    alive[member] = true;
    handle.subscribe();
  };
  // Every member joins, then the steps.
  for (let member = 0; member < options.members; member++) start(member);
  rebalance();
  for (const step of options.steps) {
    const action = step % 8;
    const member = Math.floor(step / 8) % options.members;
    const handle = members[member] as GroupMember;
    if (action === 0) {
      if (!alive[member]) start(member);
    } else if (action === 1) {
      rebalance();
    } else if (action === 2 || action === 3) {
      if (alive[member]) poll(member, false);
    } else if (action === 4) {
      if (!alive[member]) continue;
      if (options.mode === "auto") {
        // The auto-commit timer: the positions of what was returned, processed or not.
        const offsets = offsetsOf(member);
        if (Object.keys(offsets).length === 0) continue;
        const value = handle.commitValue(offsets, "auto");
        store(value);
        handle.commitComplete(value, "ok");
      } else completeCommit("newest");
    } else if (action === 5) {
      completeCommit("oldest");
    } else if (action === 6) {
      if (!alive[member]) continue;
      poll(member, true);
      // Auto commit's timer fires before the crash: the positions of records never processed.
      if (options.mode === "auto" && Object.keys(offsetsOf(member)).length > 0) {
        const value = handle.commitValue(offsetsOf(member), "auto");
        store(value);
        handle.commitComplete(value, "ok");
      }
      crash(member);
    } else if (alive[member]) {
      crash(member);
    }
  }
  // The drain: crashed members restart, the group settles, finishes what it had and reads to the end.
  while (pending.length > 0) completeCommit("oldest");
  for (let member = 0; member < options.members; member++) if (!alive[member]) start(member);
  const live = range(0, options.members).filter((member) => alive[member]);
  if (live.length > 0) {
    rebalance();
    for (let round = 0; round < options.partitions * end; round++) for (const member of live) poll(member, false);
  }
  while (pending.length > 0) completeCommit("oldest");
  builder.poll(
    "final-reader",
    range(0, options.partitions).flatMap((partition) => range(0, end).map((offset) => builder.recordAt("t", partition, offset))),
    true,
  );
  builder.endOffsets(range(0, options.partitions).map((partition) => ({ topic: "t", partition, startOffset: 0, endOffset: end })));
  return builder.build();
}
