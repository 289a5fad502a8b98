/**
 * One group consumer's events for hand-made histories, in the member's own words: it knows its group
 * (the header's group.id), its member id and its current generation, so a test reads like the story
 * it tells (`c0.assigned(1, [0, 1]); c0.poll(0, [0, 1]); c0.process(0, [0, 1]); c0.commit({ 0: 2 })`).
 * Partitions are numbers of the member's topic; records read are the ones acknowledged at those offsets.
 */
import type { CommitKind, CommitValue, ReadRecord } from "../history/event.js";
import type { HistoryBuilder } from "./builder.js";

/** Partition → next offset to read. */
export type OffsetsByPartition = Readonly<Record<number, number>>;

export class GroupMember {
  readonly group: string;
  readonly topic: string;
  generation = -1;

  constructor(
    private readonly builder: HistoryBuilder,
    readonly client: string,
    public member: string,
    topic?: string,
  ) {
    const group = builder.header.clients[client]?.config["group.id"];
    if (typeof group !== "string") throw new Error(`${client} is not a group consumer in the header`);
    this.group = group;
    const chosen = topic ?? builder.header.topics[0]?.name;
    if (chosen === undefined) throw new Error("the header has no topic");
    this.topic = chosen;
  }

  private partitions(partitions: readonly number[]): { topic: string; partition: number }[] {
    return partitions.map((partition) => ({ topic: this.topic, partition }));
  }

  subscribe(topics: readonly string[] = [this.topic]): number {
    this.builder.event(this.client, "invoke", "subscribe", { group: this.group, topics });
    return this.builder.event(this.client, "ok", "subscribe", { group: this.group, topics });
  }

  /** The listener's onPartitionsAssigned for `generation` (cooperative: only the added partitions). */
  assigned(generation: number, partitions: readonly number[]): number {
    this.generation = generation;
    return this.builder.event(this.client, "info", "assigned", { group: this.group, generation, member: this.member, partitions: this.partitions(partitions) });
  }

  revoked(partitions: readonly number[]): number {
    return this.builder.event(this.client, "info", "revoked", { group: this.group, generation: this.generation, member: this.member, partitions: this.partitions(partitions) });
  }

  lost(partitions: readonly number[]): number {
    const index = this.builder.event(this.client, "info", "lost", { group: this.group, generation: this.generation, member: this.member, partitions: this.partitions(partitions) });
    this.generation = -1;
    return index;
  }

  /** A poll returning the records acknowledged at `offsets` of one partition (none: an empty poll). */
  poll(partition?: number, offsets: readonly number[] = []): number {
    const records = partition === undefined ? [] : offsets.map((offset) => this.builder.recordAt(this.topic, partition, offset));
    return this.pollRecords(records);
  }

  pollRecords(records: readonly ReadRecord[]): number {
    this.builder.event(this.client, "invoke", "poll");
    return this.builder.event(this.client, "ok", "poll", { records, group: this.group, generation: this.generation, member: this.member });
  }

  /** The application processed these records (invoke and ok at once). */
  process(partition: number, offsets: readonly number[]): number {
    const invoke = this.processStarted(partition, offsets);
    this.builder.event(this.client, "ok", "process");
    return invoke;
  }

  /** Processing began and never finished (a crash follows). */
  processStarted(partition: number, offsets: readonly number[]): number {
    return this.builder.event(this.client, "invoke", "process", { records: offsets.map((offset) => ({ topic: this.topic, partition, offset })) });
  }

  commitValue(offsets: OffsetsByPartition, mode: CommitKind = "sync", generation = this.generation): CommitValue {
    const entries = Object.entries(offsets).map(([partition, offset]) => ({ topic: this.topic, partition: Number(partition), offset }));
    return { group: this.group, generation, member: this.member, mode, offsets: entries };
  }

  /** A commit invoked now, completed later with `commitComplete` (out of order for async commits). */
  commitInvoke(offsets: OffsetsByPartition, mode: CommitKind = "sync", generation = this.generation): CommitValue {
    const value = this.commitValue(offsets, mode, generation);
    this.builder.event(this.client, "invoke", "commit", value);
    return value;
  }

  commitComplete(value: CommitValue, type: "ok" | "fail" | "info" = "ok", error?: string): number {
    return this.builder.event(this.client, type, "commit", value, error ?? (type === "ok" ? undefined : type === "fail" ? "ILLEGAL_GENERATION" : "REQUEST_TIMED_OUT"));
  }

  /** invoke and completion at once. */
  commit(offsets: OffsetsByPartition, type: "ok" | "fail" | "info" = "ok", mode: CommitKind = "sync"): number {
    return this.commitComplete(this.commitInvoke(offsets, mode), type);
  }

  /** An automatic commit reported only on completion (a lone completion). */
  autoCommit(offsets: OffsetsByPartition, type: "ok" | "fail" | "info" = "ok"): number {
    return this.commitComplete(this.commitValue(offsets, "auto"), type);
  }

  /** The consumer process is killed (its session ends, it records nothing until restarted). */
  crash(): number {
    this.generation = -1;
    return this.builder.fault("kill", [this.client]);
  }

  restart(member = this.member): number {
    this.member = member;
    return this.builder.fault("restart", [this.client]);
  }

  close(): number {
    this.builder.event(this.client, "invoke", "close");
    this.generation = -1;
    return this.builder.event(this.client, "ok", "close");
  }
}
