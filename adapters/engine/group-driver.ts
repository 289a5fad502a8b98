/**
 * Drives the scenario's group consumers on the simulation and records the consumer-group history
 * contract (model/history/event.ts): subscribe, the rebalance listener's calls, polls with the
 * member's generation, processing and commits, as each commit mode's application loop would.
 *
 * One application loop per consumer, as a Java consumer's thread runs it: poll, then process and
 * commit in the order the commit mode says (async-after-processing retries a retriable failure once,
 * from the commit's callback, as the study notes' example does); a poll step that arrives while the loop is still busy (or
 * the consumer is frozen or crashed) is skipped, as a real loop would not have called poll() then.
 * A crash ends the session: open operations complete as `info`, scheduled processing never happens.
 * A restart starts a new session that subscribes again to the same topics.
 */
import type { CommitKind, CommitMode, ConfigMap, RebalanceValue, TopicPartition } from "../../model/index.js";
import type { CommitResult, EngineOffset, EngineRecord, GroupConsumer, RebalanceCall, Simulation } from "../../engine/api.js";
import type { ClientSpec } from "../../chaos/scenario.js";
import type { HistoryRecorder, OpenOperation } from "../protocol/recorder.js";
import { toReadRecord } from "./clients.js";

interface Session {
  readonly consumer: GroupConsumer;
  /** Which session of this client (0 for the first, +1 per restart): a stale callback sees another number. */
  readonly number: number;
}

interface GroupMember {
  readonly spec: ClientSpec;
  readonly group: string;
  readonly commitMode: CommitMode;
  readonly processingMs: number;
  topics: readonly string[] | null;
  session: Session | null;
  sessions: number;
  /** Poll, processing or a synchronous commit in progress: the application loop is busy. */
  busy: boolean;
  paused: boolean;
  /** Work the loop was about to do when the consumer froze; it runs when the consumer wakes. */
  deferred: (() => void)[];
  /** This session's open operations, completed as info when it crashes. */
  readonly open: Set<OpenOperation>;
}

/** Bounds: a frozen consumer queues at most this many resumptions (one loop has at most one pending step). */
const maxDeferred = 4;

export class GroupDriver {
  private readonly members = new Map<string, GroupMember>();
  /** Poll steps skipped because the loop was busy, frozen or crashed. */
  skippedPolls = 0;
  private closed = false;

  constructor(
    private readonly simulation: Simulation,
    private readonly recorder: HistoryRecorder,
  ) {}

  has(client: string): boolean {
    return this.members.has(client);
  }

  create(spec: ClientSpec): void {
    const group = spec.config["group.id"];
    if (typeof group !== "string" || spec.commitMode === undefined) throw new Error(`${spec.id}: a group consumer needs group.id and commitMode (scenario validation checks this)`);
    const member: GroupMember = {
      spec,
      group,
      commitMode: spec.commitMode,
      processingMs: spec.processingMs ?? 0,
      topics: null,
      session: null,
      sessions: 0,
      busy: false,
      paused: false,
      deferred: [],
      open: new Set(),
    };
    this.members.set(spec.id, member);
    this.startSession(member);
  }

  private memberOf(client: string): GroupMember {
    const member = this.members.get(client);
    if (member === undefined) throw new Error(`no group consumer ${client}`);
    return member;
  }

  private startSession(member: GroupMember): void {
    const consumer = this.simulation.groupConsumer(member.spec.id, member.spec.config);
    const session: Session = { consumer, number: member.sessions++ };
    member.session = session;
    member.busy = false;
    member.deferred = [];
    if (member.commitMode === "auto") {
      consumer.onAutoCommit((offsets, identity, result) => {
        if (!this.current(member, session)) return;
        // The client reports an automatic commit when it completes: invoke and completion share that time.
        const operation = this.begin(member, "commit", this.commitValue(member, "auto", offsets, identity));
        this.finish(member, operation, result);
      });
    }
  }

  private current(member: GroupMember, session: Session): boolean {
    return !this.closed && member.session === session;
  }

  private begin(member: GroupMember, f: string, value: unknown): OpenOperation {
    const operation = this.recorder.invoke(member.spec.id, f, value);
    member.open.add(operation);
    return operation;
  }

  private finish(member: GroupMember, operation: OpenOperation, result: CommitResult): void {
    member.open.delete(operation);
    const invoke = this.recorder.events[operation.invokeIndex]?.value;
    if (result.type === "ok") operation.complete("ok", invoke);
    else operation.complete(result.type, invoke, result.error);
  }

  private commitValue(member: GroupMember, mode: CommitKind, offsets: readonly EngineOffset[], identity: { generation: number; member: string }): unknown {
    return {
      group: member.group,
      generation: identity.generation,
      member: identity.member,
      mode,
      offsets: offsets.map((entry) => ({ topic: entry.topic, partition: entry.partition, offset: entry.offset })),
    };
  }

  subscribe(client: string, topics: readonly string[]): void {
    const member = this.memberOf(client);
    member.topics = [...topics];
    this.subscribeSession(member);
  }

  private subscribeSession(member: GroupMember): void {
    const session = member.session;
    if (session === null || member.topics === null) return;
    const value = { group: member.group, topics: [...member.topics] };
    this.recorder.invoke(member.spec.id, "subscribe", value).complete("ok", value);
    session.consumer.subscribe(member.topics, (call) => {
      if (this.current(member, session)) this.recorder.note(member.spec.id, "info", call.type, this.rebalanceValue(member, call));
    });
  }

  private rebalanceValue(member: GroupMember, call: RebalanceCall): RebalanceValue {
    const partitions: TopicPartition[] = call.partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition }));
    return { group: member.group, generation: call.generation, member: call.member, partitions };
  }

  /** A poll step: returns false when the loop could not poll now (busy, frozen, crashed, not subscribed). */
  poll(client: string): boolean {
    const member = this.memberOf(client);
    const session = member.session;
    if (session === null || member.topics === null || member.busy || member.paused) {
      this.skippedPolls++;
      return false;
    }
    member.busy = true;
    const operation = this.begin(member, "poll", {});
    session.consumer.poll((result) => {
      if (!this.current(member, session)) return;
      member.open.delete(operation);
      if (result.type !== "ok") {
        operation.complete(result.type, {}, result.error);
        member.busy = false;
        return;
      }
      operation.complete("ok", { records: result.records.map(toReadRecord), generation: result.generation, member: result.member });
      this.afterPoll(member, session, result.records);
    });
    return true;
  }

  /** What the application does with a poll's records, in its commit mode's order. */
  private afterPoll(member: GroupMember, session: Session, records: readonly EngineRecord[]): void {
    if (records.length === 0) {
      member.busy = false;
      return;
    }
    const process = (): void => this.later(member, session, member.processingMs, () => this.process(member, records));
    switch (member.commitMode) {
      case "sync-before-processing":
        // Commit first; process only what is committed (at-most-once), and nothing if the commit failed.
        this.commit(member, session, "sync", (result) => {
          if (result.type === "ok") this.later(member, session, member.processingMs, () => {
            this.process(member, records);
            member.busy = false;
          });
          else member.busy = false;
        });
        return;
      case "sync-after-processing":
        this.later(member, session, member.processingMs, () => {
          this.process(member, records);
          this.commit(member, session, "sync", () => {
            member.busy = false;
          });
        });
        return;
      case "async-after-processing":
        this.later(member, session, member.processingMs, () => {
          this.process(member, records);
          // The loop goes on at once: the answer comes whenever it comes. A retriable failure is
          // retried from the callback with the same offsets, as the seed's example application does
          // (000 §4.3.3): by then a later commit may have succeeded, and the retry moves it back (C6).
          const offsets = session.consumer.positions();
          this.commit(member, session, "async", (result) => {
            if (result.type !== "ok" && /^(RetriableCommitFailedException|TimeoutException)/.test(result.error)) this.commit(member, session, "async", () => undefined, offsets);
          }, offsets);
          member.busy = false;
        });
        return;
      case "auto":
      case "none":
        // The records go to a worker and the loop polls again at once: an automatic commit inside the
        // next poll covers records still being processed, which is how auto commit can skip (C5).
        process();
        member.busy = false;
        return;
    }
  }

  private process(member: GroupMember, records: readonly EngineRecord[]): void {
    const value = { records: records.map((record) => ({ topic: record.topic, partition: record.partition, offset: record.offset })) };
    this.recorder.invoke(member.spec.id, "process", value).complete("ok", value);
  }

  /** Commits the positions after the last poll (what commitSync()/commitAsync() without arguments do). */
  private commit(member: GroupMember, session: Session, kind: "sync" | "async", then: (result: CommitResult) => void, offsets = session.consumer.positions()): void {
    const consumer = session.consumer;
    const operation = this.begin(member, "commit", this.commitValue(member, kind, offsets, consumer.identity()));
    const done = (result: CommitResult): void => {
      if (!this.current(member, session)) return;
      this.finish(member, operation, result);
      then(result);
    };
    if (kind === "sync") consumer.commitSync(offsets, done);
    else consumer.commitAsync(offsets, done);
  }

  /** Runs `action` after `delayMs` of the application's own time (deferred while frozen, dropped after a crash). */
  private later(member: GroupMember, session: Session, delayMs: number, action: () => void): void {
    const run = (): void => {
      if (!this.current(member, session)) return;
      if (member.paused) {
        if (member.deferred.length >= maxDeferred) throw new Error(`${member.spec.id}: more than ${maxDeferred} actions deferred while frozen`);
        member.deferred.push(action);
        return;
      }
      action();
    };
    if (delayMs === 0) run();
    else this.simulation.schedule(this.simulation.nowMs + delayMs, run);
  }

  /** A nemesis kill of the consumer: the client stops without leaving its group; its open operations are unknown. */
  crash(client: string): void {
    const member = this.memberOf(client);
    const session = member.session;
    if (session === null) return;
    session.consumer.crash();
    member.session = null;
    member.busy = false;
    member.paused = false;
    member.deferred = [];
    for (const operation of [...member.open]) {
      const invoke = this.recorder.events[operation.invokeIndex]?.value;
      operation.complete("info", invoke, "CLIENT_CRASHED");
    }
    member.open.clear();
  }

  /** A nemesis restart: a new session of the same client, subscribing again where the old one had. */
  restart(client: string): void {
    const member = this.memberOf(client);
    if (member.session !== null) return;
    this.startSession(member);
    this.subscribeSession(member);
  }

  pause(client: string): void {
    this.memberOf(client).paused = true;
  }

  resume(client: string): void {
    const member = this.memberOf(client);
    member.paused = false;
    const deferred = member.deferred;
    member.deferred = [];
    for (const action of deferred) action();
  }

  /** Live, subscribed group consumers (the finale's drain polls these). */
  liveMembers(): string[] {
    return [...this.members.values()].filter((member) => member.session !== null && member.topics !== null).map((member) => member.spec.id);
  }

  /** Next offsets of every partition the live members own now, by group. */
  positionsByGroup(): Map<string, EngineOffset[]> {
    const byGroup = new Map<string, EngineOffset[]>();
    for (const member of this.members.values()) {
      if (member.session === null) continue;
      const list = byGroup.get(member.group) ?? [];
      list.push(...member.session.consumer.positions());
      byGroup.set(member.group, list);
    }
    return byGroup;
  }

  groups(): string[] {
    return [...new Set([...this.members.values()].map((member) => member.group))];
  }

  /** Whether no member has an operation open (the drain waits for this). */
  get idle(): boolean {
    return [...this.members.values()].every((member) => member.open.size === 0 && !member.busy);
  }

  /** Clean close of every live member (leave the group, final auto commit); later callbacks are ignored. */
  closeAll(): void {
    for (const member of this.members.values()) {
      member.session?.consumer.close();
      for (const operation of [...member.open]) {
        const invoke = this.recorder.events[operation.invokeIndex]?.value;
        operation.complete("info", invoke, "CLIENT_CLOSED");
      }
      member.open.clear();
      member.session = null;
    }
    this.closed = true;
  }

  configOf(client: string): ConfigMap {
    return this.memberOf(client).spec.config;
  }
}
