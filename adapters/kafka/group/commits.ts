/**
 * A group consumer's commits, each recorded as `commit` invoke then ok / fail / info
 * (model/history/event.ts, CommitValue: offsets are the next offsets to read).
 *
 * The application commits under the generation and member id it polled with, as Java's consumer does
 * (its generation changes only inside poll()). kafkajs's own commitOffsets() would use whatever
 * generation kafkajs joined last, even one joined behind the application's back while it processed, so
 * manual commits go out as kafkajs's OffsetCommit request to the coordinator directly
 * (kafkajs-internals.ts):
 * - sync: retried on retriable errors (the coordinator moved or is loading, the request was lost)
 *   with a doubling backoff within request.timeout.ms, as commitSync retries within its timeout
 *   (default.api.timeout.ms, which Kafka's consumer keys here do not include); a generation or membership
 *   error ends it (Java's CommitFailedException / RebalanceInProgressException);
 * - async: one attempt, not awaited by the application, recorded when the answer comes.
 * Automatic commits (mode auto) are kafkajs's own; they are recorded from its COMMIT_OFFSETS event,
 * which kafkajs emits after the coordinator accepted a commit, with the generation and member id it
 * used. A failed automatic commit emits nothing, so failed automatic commits are not in the history.
 */
import type { CommitKind, CommitValue, TopicPartition } from "../../../model/index.js";
import type { HistoryRecorder } from "../../protocol/recorder.js";
import { kafkajsErrorName } from "../errors.js";
import { commitRetriable, commitStoredNothing, coordinatorMoved } from "./commit-errors.js";
import type { InternalBroker, OffsetCommitRequest } from "./kafkajs-internals.js";

export type CommitOffsets = readonly (TopicPartition & { readonly offset: number })[];

export interface CommitOutcome {
  readonly type: "ok" | "fail" | "info";
  readonly error?: string;
}

export interface CommitterOptions {
  readonly process: string;
  readonly group: string;
  /** The group's id on the cluster (the scenario's, tagged with the run). */
  readonly physicalGroup: string;
  readonly recorder: HistoryRecorder;
  readonly physicalTopic: (name: string) => string;
  readonly scenarioTopic: (physical: string) => string;
  /** The session's coordinator lookup (kafkajs's findGroupCoordinator on the consumer's own cluster). */
  readonly findCoordinator: () => Promise<InternalBroker>;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  /** False once the session crashed or stopped: nothing more is recorded by it. */
  readonly alive: () => boolean;
  /** Every outcome, for the membership (a generation error means the member is out) and the drain. */
  readonly onOutcome: (offsets: CommitOffsets, outcome: CommitOutcome) => void;
}

/**
 * Bound on one sync commit's attempts; the deadline (request.timeout.ms) is what ends it in practice:
 * a dead coordinator refuses fast until the group's coordinator moved, which takes seconds.
 */
const maximumSyncAttempts = 100;
/** Retry backoff doubles up to this (Java's retry.backoff.max.ms default). */
const maximumBackoffMs = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Committer {
  private coordinator: InternalBroker | null = null;
  /** Commits sent and not yet answered (async ones run on after the batch). */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: CommitterOptions) {}

  get inFlight(): number {
    return this.pending.size;
  }

  async commitSync(identity: { generation: number; member: string }, offsets: CommitOffsets): Promise<CommitOutcome> {
    return this.track(this.commit("sync", identity, offsets, maximumSyncAttempts));
  }

  /** Sent now, answered later; the application does not wait. */
  commitAsync(identity: { generation: number; member: string }, offsets: CommitOffsets): void {
    void this.track(this.commit("async", identity, offsets, 1));
  }

  /** kafkajs's COMMIT_OFFSETS payload (an automatic commit it made and the coordinator accepted). */
  recordAutomatic(payload: { groupGenerationId?: unknown; memberId?: unknown; topics?: unknown }): void {
    if (!this.options.alive()) return;
    // kafkajs builds these from object keys: partitions arrive as strings ("1"), offsets too.
    const topics = Array.isArray(payload.topics) ? (payload.topics as { topic: string; partitions: { partition: number | string; offset: string }[] }[]) : [];
    const offsets = topics.flatMap((entry) => entry.partitions.map((partition) => ({ topic: this.options.scenarioTopic(entry.topic), partition: Number(partition.partition), offset: Number(partition.offset) })));
    if (offsets.length === 0) return;
    const value = this.value("auto", { generation: typeof payload.groupGenerationId === "number" ? payload.groupGenerationId : -1, member: String(payload.memberId ?? "") }, offsets);
    // The event comes after the answer: invoke and ok are recorded together, at the moment it was known.
    this.options.recorder.invoke(this.options.process, "commit", value).complete("ok", value);
    this.options.onOutcome(offsets, { type: "ok" });
  }

  /** Waits for commits in flight, at most `boundMs`. */
  async settle(boundMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  private value(mode: CommitKind, identity: { generation: number; member: string }, offsets: CommitOffsets): CommitValue {
    return { group: this.options.group, generation: identity.generation, member: identity.member, mode, offsets: offsets.map((entry) => ({ topic: entry.topic, partition: entry.partition, offset: entry.offset })) };
  }

  private request(identity: { generation: number; member: string }, offsets: CommitOffsets): OffsetCommitRequest {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const entry of offsets) {
      const physical = this.options.physicalTopic(entry.topic);
      const list = byTopic.get(physical) ?? [];
      list.push({ partition: entry.partition, offset: String(entry.offset) });
      byTopic.set(physical, list);
    }
    return { groupId: this.options.physicalGroup, groupGenerationId: identity.generation, memberId: identity.member, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
  }

  private async commit(mode: "sync" | "async", identity: { generation: number; member: string }, offsets: CommitOffsets, attempts: number): Promise<CommitOutcome> {
    const value = this.value(mode, identity, offsets);
    const operation = this.options.recorder.invoke(this.options.process, "commit", value);
    const deadline = performance.now() + this.options.requestTimeoutMs;
    const request = this.request(identity, offsets);
    // Once an attempt's outcome is unknown, a later refusal no longer proves nothing was stored.
    let unknownEarlier = false;
    let outcome: CommitOutcome = { type: "info", error: "NO_ATTEMPT" };
    let backoffMs = Math.max(1, this.options.retryBackoffMs);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const coordinator = this.coordinator ?? (await this.options.findCoordinator());
        this.coordinator = coordinator;
        await coordinator.offsetCommit(request);
        outcome = { type: "ok" };
        break;
      } catch (error) {
        const name = kafkajsErrorName(error);
        if (coordinatorMoved(name)) this.coordinator = null;
        const definite = commitStoredNothing(name) && !unknownEarlier;
        outcome = definite ? { type: "fail", error: name } : { type: "info", error: name };
        if (!commitStoredNothing(name)) unknownEarlier = true;
        if (!commitRetriable(name) || !this.options.alive() || performance.now() + backoffMs >= deadline) break;
        await sleep(backoffMs);
        backoffMs = Math.min(maximumBackoffMs, backoffMs * 2);
      }
    }
    if (!this.options.alive()) return outcome;
    operation.complete(outcome.type, value, outcome.error);
    this.options.onOutcome(offsets, outcome);
    return outcome;
  }
}
