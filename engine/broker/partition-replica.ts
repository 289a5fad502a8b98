import type { EngineContext } from "../context.js";
import { brokerNodeName } from "../context.js";
import type { ErrorCode } from "../protocol/errors.js";
import type { ConsumerFetchPartition, ConsumerFetchResult, Message, PartitionRecord, ProduceBatch, ProducePartitionResult } from "../protocol/messages.js";
import { assert } from "../simulation/assert.js";
import { lastOffsetOf, type PartitionLog, type StoredBatch } from "../storage/partition-log.js";
import { ProducerStateTable } from "./producer-state.js";
import { TransactionIndex } from "./transaction-index.js";
import type { TopicSettings } from "./settings.js";

/** What a partition replica needs from the broker that hosts it. */
export interface ReplicaHost {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly context: EngineContext;
  send(to: string, message: Message): void;
  timer(delayMs: number, action: () => void): void;
  trace(text: string): void;
  nextRequestId(): number;
}

interface FollowerState {
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
}

interface PendingProduce {
  readonly requiredOffset: number;
  readonly baseOffset: number;
  readonly respond: (result: ProducePartitionResult) => void;
  done: boolean;
}

interface ParkedFetch {
  readonly request: Extract<Message, { kind: "replica-fetch" }>;
  readonly from: string;
  done: boolean;
}

type ReplicaFetch = Extract<Message, { kind: "replica-fetch" }>;
type ReplicaFetchResponse = Extract<Message, { kind: "replica-fetch-response" }>;

/** Bounds on queues held by one replica: exceeding them is a runaway, not a workload. */
const maxPendingProduces = 1_000_000;
const maxParkedFetches = 10_000;
/** How long a leader waits for an AlterPartition answer before sending it again. */
const alterPartitionRetryMs = 5_000;

/**
 * One partition's replica on one broker. As leader it appends, serves follower fetches, tracks the
 * followers' log end offsets, computes the high watermark, shrinks and expands the ISR through the
 * controller, and completes acks=all produces once the high watermark passes them. As follower it
 * pulls from the leader, truncates by leader epoch when the leader reports divergence (KIP-101 /
 * KIP-595 style fetch with lastFetchedEpoch), and takes the high watermark from fetch responses.
 */
export class PartitionReplica {
  role: "leader" | "follower" | "none" = "none";
  leaderId: number | null = null;
  leaderEpoch = -1;
  partitionEpoch = -1;
  replicas: readonly number[] = [];
  isr: readonly number[] = [];
  private pendingIsr: readonly number[] | null = null;
  highWatermark: number;
  private readonly followers = new Map<number, FollowerState>();
  private pendingProduces: PendingProduce[] = [];
  private parkedFetches: ParkedFetch[] = [];
  /** The follower's one fetch in flight (0: none). */
  private fetchRequestId = 0;
  /** Bumped on every role change, so timers of an old role do nothing. */
  private generation = 0;
  private readonly producers = new ProducerStateTable();
  private readonly transactions = new TransactionIndex();
  private readonly name: string;

  constructor(
    private readonly host: ReplicaHost,
    readonly topic: string,
    readonly partition: number,
    readonly log: PartitionLog,
    readonly settings: TopicSettings,
  ) {
    this.name = `${topic}-${partition}`;
    this.highWatermark = Math.min(log.highWatermarkCheckpoint, log.logEndOffset);
    if (host.context.bugs.has("truncate-to-high-watermark")) this.truncate(this.highWatermark, "restart at high watermark (planted bug)");
    this.producers.rebuild(log);
    this.transactions.rebuild(log);
  }

  private get bugs(): EngineContext["bugs"] {
    return this.host.context.bugs;
  }

  private get now(): number {
    return this.host.context.scheduler.nowMs;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  // ---------------------------------------------------------------- metadata

  applyState(state: PartitionRecord): void {
    if (state.leaderEpoch < this.leaderEpoch) return;
    this.replicas = state.replicas;
    const me = this.host.brokerId;
    if (state.leader === me) {
      if (this.role !== "leader" || state.leaderEpoch > this.leaderEpoch) this.becomeLeader(state);
      else this.updateIsr(state);
    } else if (this.role !== "follower" || state.leaderEpoch > this.leaderEpoch || state.leader !== this.leaderId) {
      this.becomeFollower(state);
    } else {
      this.isr = state.isr;
      this.partitionEpoch = state.partitionEpoch;
    }
  }

  private becomeLeader(state: PartitionRecord): void {
    assert(state.leaderEpoch >= this.leaderEpoch, `${this.name}: leader epoch ${state.leaderEpoch} below the current ${this.leaderEpoch} (epochs only grow)`);
    this.generation++;
    this.failParkedFetches();
    this.role = "leader";
    this.leaderId = this.host.brokerId;
    this.leaderEpoch = state.leaderEpoch;
    this.partitionEpoch = state.partitionEpoch;
    this.isr = state.isr;
    this.pendingIsr = null;
    this.fetchRequestId = 0;
    this.log.epochCache.assign(this.leaderEpoch, this.log.logEndOffset);
    this.followers.clear();
    for (const replica of this.replicas) {
      if (replica === this.host.brokerId) continue;
      this.followers.set(replica, {
        logEndOffset: -1,
        lastCaughtUpTimeMs: this.isr.includes(replica) ? this.now : 0,
        lastFetchTimeMs: 0,
        lastFetchLeaderLogEndOffset: 0,
      });
    }
    this.host.trace(`leader ${this.name} epoch ${this.leaderEpoch} log end ${this.logEndOffset} high watermark ${this.highWatermark}`);
    this.maybeAdvanceHighWatermark();
  }

  private becomeFollower(state: PartitionRecord): void {
    assert(state.leaderEpoch >= this.leaderEpoch, `${this.name}: leader epoch ${state.leaderEpoch} below the current ${this.leaderEpoch} (epochs only grow)`);
    this.generation++;
    this.failPendingProduces("NOT_LEADER_OR_FOLLOWER");
    this.failParkedFetches();
    this.role = "follower";
    this.leaderId = state.leader;
    this.leaderEpoch = state.leaderEpoch;
    this.partitionEpoch = state.partitionEpoch;
    this.isr = state.isr;
    this.pendingIsr = null;
    this.followers.clear();
    this.fetchRequestId = 0;
    this.host.trace(`follower ${this.name} epoch ${this.leaderEpoch} leader ${state.leader ?? "none"} log end ${this.logEndOffset}`);
    if (this.bugs.has("truncate-to-high-watermark")) this.truncate(this.highWatermark, "become follower at high watermark (planted bug)");
    if (this.leaderId !== null) this.sendFetch();
  }

  private updateIsr(state: PartitionRecord): void {
    this.isr = state.isr;
    if (state.partitionEpoch > this.partitionEpoch) this.pendingIsr = null;
    this.partitionEpoch = state.partitionEpoch;
    this.maybeAdvanceHighWatermark();
    this.completePendingProduces();
  }

  // ---------------------------------------------------------------- leader: produce

  appendAsLeader(batch: ProduceBatch, acks: 0 | 1 | -1, timeoutMs: number, respond: (result: ProducePartitionResult) => void): void {
    const result = (error: ErrorCode | null, baseOffset: number): void => respond({ topic: this.topic, partition: this.partition, error, baseOffset });
    if (this.role !== "leader") return result("NOT_LEADER_OR_FOLLOWER", -1);
    if (acks === -1 && this.isrBelowMinimum()) {
      this.host.trace(`reject ${this.name} NOT_ENOUGH_REPLICAS isr [${this.isr.join(",")}]`);
      return result("NOT_ENOUGH_REPLICAS", -1);
    }
    let baseOffset = this.log.logEndOffset;
    let requiredOffset: number;
    const check =
      batch.producerId >= 0 && !this.bugs.has("no-sequence-check")
        ? this.producers.check(batch.producerId, batch.producerEpoch, batch.baseSequence, batch.records.length)
        : ({ type: "append" } as const);
    if (check.type === "error") {
      this.host.trace(`reject ${this.name} ${check.error} producer ${batch.producerId} sequence ${batch.baseSequence}`);
      return result(check.error, -1);
    }
    if (check.type === "duplicate") {
      baseOffset = check.firstOffset;
      requiredOffset = check.lastOffset + 1;
      this.host.trace(`duplicate ${this.name} producer ${batch.producerId} sequence ${batch.baseSequence} at ${baseOffset}`);
    } else {
      const stored: StoredBatch = {
        baseOffset,
        leaderEpoch: this.leaderEpoch,
        producerId: batch.producerId,
        producerEpoch: batch.producerEpoch,
        baseSequence: batch.baseSequence,
        records: batch.records,
        ...(batch.transactional === true ? { transactional: true } : {}),
      };
      this.log.append(stored);
      this.producers.update(stored);
      this.transactions.update(stored);
      this.maybeFlush();
      requiredOffset = lastOffsetOf(stored) + 1;
      this.host.trace(`append ${this.name} ${baseOffset}..${requiredOffset - 1} epoch ${this.leaderEpoch} producer ${batch.producerId}:${batch.baseSequence}`);
      this.completeParkedFetches();
      this.maybeAdvanceHighWatermark();
    }
    if (acks !== -1 || this.bugs.has("early-ack")) return result(null, baseOffset);
    if (this.highWatermark >= requiredOffset) return result(this.isrBelowMinimum() ? "NOT_ENOUGH_REPLICAS_AFTER_APPEND" : null, baseOffset);
    assert(this.pendingProduces.length < maxPendingProduces, `${this.name}: too many produces waiting for replication`);
    const pending: PendingProduce = { requiredOffset, baseOffset, respond, done: false };
    this.pendingProduces.push(pending);
    this.host.timer(timeoutMs, () => {
      if (pending.done) return;
      pending.done = true;
      result("REQUEST_TIMED_OUT", baseOffset);
    });
  }

  /**
   * WriteTxnMarkers for this partition: the coordinator's commit or abort marker of one producer's
   * transaction, appended as a control batch (it takes an offset, T4) and acknowledged once replicated
   * (markers are written with acks=all). A marker from an older producer epoch than the partition
   * knows is refused: it comes from a coordinator that lost the transactional id to a newer one.
   */
  appendMarker(
    marker: { readonly transactionalId: string; readonly producerId: number; readonly producerEpoch: number; readonly commit: boolean },
    timeoutMs: number,
    respond: (error: ErrorCode | null) => void,
  ): void {
    if (this.role !== "leader") return respond("NOT_LEADER_OR_FOLLOWER");
    const epochError = this.producers.checkMarker(marker.producerId, marker.producerEpoch);
    if (epochError !== null) return respond(epochError);
    const offset = this.log.logEndOffset;
    const report = (): void =>
      this.host.context.reportTransactionMarker({
        topic: this.topic,
        partition: this.partition,
        transactionalId: marker.transactionalId,
        producerId: marker.producerId,
        epoch: marker.producerEpoch,
        offset,
        commit: marker.commit,
      });
    if (this.bugs.has("marker-without-offset")) {
      // The planted bug: the transaction ends here, but nothing takes the marker's offset.
      this.transactions.applyMarkerWithoutEntry(marker.producerId, marker.commit, offset);
      this.host.trace(`marker ${this.name} ${marker.commit ? "commit" : "abort"} producer ${marker.producerId} without an offset (planted bug)`);
      report();
      return respond(null);
    }
    const stored: StoredBatch = {
      baseOffset: offset,
      leaderEpoch: this.leaderEpoch,
      producerId: marker.producerId,
      producerEpoch: marker.producerEpoch,
      baseSequence: -1,
      records: [{ key: null, value: marker.commit ? "COMMIT" : "ABORT" }],
      control: marker.commit ? "commit" : "abort",
    };
    this.log.append(stored);
    this.producers.update(stored);
    this.transactions.update(stored);
    this.maybeFlush();
    this.host.trace(`marker ${this.name} ${marker.commit ? "commit" : "abort"} at ${offset} producer ${marker.producerId} epoch ${marker.producerEpoch}`);
    report();
    this.completeParkedFetches();
    this.maybeAdvanceHighWatermark();
    if (this.highWatermark > offset) return respond(null);
    assert(this.pendingProduces.length < maxPendingProduces, `${this.name}: too many produces waiting for replication`);
    const pending: PendingProduce = { requiredOffset: offset + 1, baseOffset: offset, respond: (result) => respond(result.error), done: false };
    this.pendingProduces.push(pending);
    this.host.timer(timeoutMs, () => {
      if (pending.done) return;
      pending.done = true;
      respond("REQUEST_TIMED_OUT");
    });
  }

  /** Where read_committed fetches stop: the oldest open transaction's first offset, at most the high watermark. */
  get lastStableOffset(): number {
    const first = this.transactions.firstUnstableOffset();
    return first === null ? this.highWatermark : Math.min(first, this.highWatermark);
  }

  /**
   * D5's condition: fewer in-sync replicas than min.insync.replicas. The planted bug
   * ignore-min-insync-replicas makes the leader never see it, so it appends, advances the high
   * watermark and acknowledges acks=all produce with the ISR shrunk to itself.
   */
  private isrBelowMinimum(): boolean {
    return this.isr.length < this.settings.minInsyncReplicas && !this.bugs.has("ignore-min-insync-replicas");
  }

  private completePendingProduces(): void {
    while (this.pendingProduces.length > 0) {
      const pending = this.pendingProduces[0]!;
      if (!pending.done) {
        if (pending.requiredOffset > this.highWatermark) break;
        pending.done = true;
        const error = this.isrBelowMinimum() ? "NOT_ENOUGH_REPLICAS_AFTER_APPEND" : null;
        pending.respond({ topic: this.topic, partition: this.partition, error, baseOffset: pending.baseOffset });
      }
      this.pendingProduces.shift();
    }
  }

  private failPendingProduces(error: ErrorCode): void {
    const pending = this.pendingProduces;
    this.pendingProduces = [];
    for (const entry of pending) {
      if (entry.done) continue;
      entry.done = true;
      entry.respond({ topic: this.topic, partition: this.partition, error, baseOffset: entry.baseOffset });
    }
  }

  private maybeFlush(): void {
    if (this.log.unflushedMessages >= this.settings.flushMessages) this.log.flush(this.now);
  }

  /** Called periodically by the broker: log.flush.interval.ms / flush.ms. */
  flushIfDue(): void {
    if (this.log.unflushedMessages > 0 && this.now - this.log.lastFlushMs >= this.settings.flushMs) this.log.flush(this.now);
  }

  // ---------------------------------------------------------------- leader: high watermark and ISR

  private maybeAdvanceHighWatermark(): void {
    if (this.role !== "leader") return;
    let next = this.log.logEndOffset;
    if (!this.bugs.has("high-watermark-at-log-end")) {
      const settings = this.host.context.brokerSettings;
      if (settings.highWatermarkNeedsMinIsr && this.isrBelowMinimum()) return;
      for (const replica of this.maximalIsr()) {
        if (replica === this.host.brokerId) continue;
        next = Math.min(next, this.followers.get(replica)?.logEndOffset ?? -1);
      }
    }
    if (next <= this.highWatermark) return;
    // A leader's high watermark only grows, and never passes its log end.
    assert(next <= this.log.logEndOffset, `${this.name}: high watermark ${next} past the log end ${this.log.logEndOffset}`);
    this.highWatermark = next;
    this.host.trace(`high watermark ${this.name} ${next}`);
    this.completePendingProduces();
    this.completeParkedFetches();
  }

  /** While an ISR change is in flight the leader counts both the old and new members (Kafka's maximal ISR). */
  private maximalIsr(): readonly number[] {
    if (this.pendingIsr === null) return this.isr;
    return [...this.isr, ...this.pendingIsr.filter((replica) => !this.isr.includes(replica))];
  }

  /** Called periodically by the broker (every replica.lag.time.max.ms / 2, as Kafka's isr-expiration task). */
  maybeShrinkIsr(): void {
    if (this.role !== "leader" || this.pendingIsr !== null) return;
    const lagMax = this.host.context.brokerSettings.replicaLagTimeMaxMs;
    const outOfSync = this.isr.filter((replica) => replica !== this.host.brokerId && this.now - (this.followers.get(replica)?.lastCaughtUpTimeMs ?? 0) > lagMax);
    if (outOfSync.length === 0) return;
    this.host.trace(`shrink isr ${this.name} drop [${outOfSync.join(",")}]`);
    this.proposeIsr(this.isr.filter((replica) => !outOfSync.includes(replica)));
  }

  private maybeExpandIsr(replica: number, follower: FollowerState): void {
    if (this.role !== "leader" || this.pendingIsr !== null || this.isr.includes(replica)) return;
    const epochStart = this.log.epochCache.endOffsetFor(this.leaderEpoch - 1, this.log.logEndOffset);
    const currentEpochStart = epochStart.epoch < 0 ? 0 : epochStart.endOffset;
    if (follower.logEndOffset < this.highWatermark || follower.logEndOffset < currentEpochStart) return;
    this.host.trace(`expand isr ${this.name} add ${replica}`);
    this.proposeIsr([...this.isr, replica]);
  }

  private proposeIsr(isr: readonly number[]): void {
    this.pendingIsr = isr;
    const generation = this.generation;
    const partitionEpoch = this.partitionEpoch;
    const send = (): void => {
      if (this.generation !== generation || this.pendingIsr !== isr || this.partitionEpoch !== partitionEpoch) return;
      this.host.send(this.host.context.controllerNode, {
        kind: "alter-partition",
        brokerId: this.host.brokerId,
        brokerEpoch: this.host.brokerEpoch,
        topic: this.topic,
        partition: this.partition,
        leaderEpoch: this.leaderEpoch,
        partitionEpoch: this.partitionEpoch,
        isr,
      });
      this.host.timer(alterPartitionRetryMs, send);
    };
    send();
  }

  onAlterPartitionResponse(response: Extract<Message, { kind: "alter-partition-response" }>): void {
    if (this.role !== "leader" || this.pendingIsr === null) return;
    this.pendingIsr = null;
    if (response.state !== null) this.applyState(response.state);
  }

  // ---------------------------------------------------------------- leader: serving fetches

  onReplicaFetch(from: string, request: ReplicaFetch): void {
    const reply = (fields: Partial<ReplicaFetchResponse>): void =>
      this.host.send(from, {
        kind: "replica-fetch-response",
        requestId: request.requestId,
        topic: this.topic,
        partition: this.partition,
        error: null,
        highWatermark: this.highWatermark,
        leaderLogEndOffset: this.log.logEndOffset,
        batches: [],
        divergingEpoch: null,
        ...fields,
      });
    const epochError = this.checkEpoch(request.currentLeaderEpoch);
    if (epochError !== null) return reply({ error: epochError });
    if (!this.replicas.includes(request.replicaId)) return reply({ error: "NOT_LEADER_OR_FOLLOWER" });
    if (request.lastFetchedEpoch >= 0) {
      const end = this.log.epochCache.endOffsetFor(request.lastFetchedEpoch, this.log.logEndOffset);
      if (end.epoch < request.lastFetchedEpoch || end.endOffset < request.fetchOffset) {
        return reply({ divergingEpoch: { epoch: end.epoch, endOffset: end.endOffset } });
      }
    }
    if (request.fetchOffset > this.log.logEndOffset) return reply({ error: "OFFSET_OUT_OF_RANGE" });
    this.updateFollower(request.replicaId, request.fetchOffset);
    const batches = this.log.read(request.fetchOffset, this.log.logEndOffset, this.host.context.brokerSettings.replicaFetchMaxBytes);
    const waitMs = this.host.context.brokerSettings.replicaFetchWaitMaxMs;
    if (batches.length > 0 || waitMs === 0) return reply({ batches });
    assert(this.parkedFetches.length < maxParkedFetches, `${this.name}: too many parked fetches`);
    const parked: ParkedFetch = { request, from, done: false };
    this.parkedFetches.push(parked);
    this.host.timer(waitMs, () => {
      if (parked.done) return;
      parked.done = true;
      this.parkedFetches = this.parkedFetches.filter((entry) => entry !== parked);
      if (this.role === "leader" && this.checkEpoch(request.currentLeaderEpoch) === null) this.onReplicaFetchReady(parked);
    });
  }

  /** A parked fetch completes when data arrives or the high watermark moves (so followers learn it promptly). */
  private completeParkedFetches(): void {
    if (this.parkedFetches.length === 0) return;
    const parked = this.parkedFetches;
    this.parkedFetches = [];
    for (const entry of parked) {
      if (entry.done) continue;
      entry.done = true;
      this.onReplicaFetchReady(entry);
    }
  }

  private onReplicaFetchReady(entry: ParkedFetch): void {
    const batches = this.log.read(entry.request.fetchOffset, this.log.logEndOffset, this.host.context.brokerSettings.replicaFetchMaxBytes);
    this.host.send(entry.from, {
      kind: "replica-fetch-response",
      requestId: entry.request.requestId,
      topic: this.topic,
      partition: this.partition,
      error: null,
      highWatermark: this.highWatermark,
      leaderLogEndOffset: this.log.logEndOffset,
      batches,
      divergingEpoch: null,
    });
  }

  private failParkedFetches(): void {
    const parked = this.parkedFetches;
    this.parkedFetches = [];
    for (const entry of parked) {
      if (entry.done) continue;
      entry.done = true;
      this.host.send(entry.from, {
        kind: "replica-fetch-response",
        requestId: entry.request.requestId,
        topic: this.topic,
        partition: this.partition,
        error: "NOT_LEADER_OR_FOLLOWER",
        highWatermark: this.highWatermark,
        leaderLogEndOffset: this.log.logEndOffset,
        batches: [],
        divergingEpoch: null,
      });
    }
  }

  private checkEpoch(requestEpoch: number): ErrorCode | null {
    if (requestEpoch >= 0 && requestEpoch < this.leaderEpoch) return "FENCED_LEADER_EPOCH";
    if (this.role !== "leader") return "NOT_LEADER_OR_FOLLOWER";
    if (requestEpoch > this.leaderEpoch) return "UNKNOWN_LEADER_EPOCH";
    return null;
  }

  private updateFollower(replica: number, fetchOffset: number): void {
    const follower = this.followers.get(replica);
    if (follower === undefined) return;
    const now = this.now;
    const leaderEnd = this.log.logEndOffset;
    // Kafka's rule: caught up now if the fetch reached the log end; caught up as of the previous
    // fetch if it reached what the log end was then.
    if (fetchOffset >= leaderEnd) follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, now);
    else if (fetchOffset >= follower.lastFetchLeaderLogEndOffset) follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, follower.lastFetchTimeMs);
    follower.lastFetchLeaderLogEndOffset = leaderEnd;
    follower.lastFetchTimeMs = now;
    assert(fetchOffset <= leaderEnd, `${this.name}: follower ${replica} fetches at ${fetchOffset}, past the leader's log end ${leaderEnd}`);
    follower.logEndOffset = fetchOffset;
    this.maybeExpandIsr(replica, follower);
    this.maybeAdvanceHighWatermark();
  }

  // ---------------------------------------------------------------- leader: consumers

  /**
   * A consumer fetch: read_uncommitted up to the high watermark; read_committed up to the last stable
   * offset (the planted bug last-stable-offset-at-high-watermark serves it to the high watermark too),
   * with the aborted transactions of the range so the consumer can skip their batches.
   */
  readForConsumer(request: ConsumerFetchPartition, maxBytes: number, readCommitted = false): ConsumerFetchResult {
    const lastStableOffset = this.lastStableOffset;
    const result = (error: ErrorCode | null, batches: readonly StoredBatch[]): ConsumerFetchResult => ({
      topic: this.topic,
      partition: this.partition,
      error,
      highWatermark: this.highWatermark,
      lastStableOffset,
      batches,
      ...(readCommitted && batches.length > 0 ? { abortedTransactions: this.transactions.abortedIn(batches[0]!.baseOffset, lastOffsetOf(batches.at(-1)!) + 1) } : {}),
    });
    const epochError = this.checkEpoch(request.currentLeaderEpoch);
    if (epochError !== null) return result(epochError, []);
    if (request.fetchOffset < this.log.startOffset || request.fetchOffset > this.log.logEndOffset) return result("OFFSET_OUT_OF_RANGE", []);
    const upTo = readCommitted && !this.bugs.has("last-stable-offset-at-high-watermark") ? lastStableOffset : this.highWatermark;
    const batches = this.log.read(request.fetchOffset, upTo, maxBytes);
    if (batches.length > 0) this.host.trace(`serve ${this.name} from ${request.fetchOffset} to ${lastOffsetOf(batches.at(-1)!)} ${readCommitted ? `last stable offset ${upTo}` : `high watermark ${upTo}`}`);
    return result(null, batches);
  }

  /** OffsetsForLeaderEpoch for a consumer (KIP-320): where `epoch` ends in this leader's log. */
  endOffsetForConsumer(currentLeaderEpoch: number, epoch: number): { error: ErrorCode | null; epoch: number; endOffset: number } {
    const epochError = this.checkEpoch(currentLeaderEpoch);
    if (epochError !== null) return { error: epochError, epoch: -1, endOffset: -1 };
    const end = this.log.epochCache.endOffsetFor(epoch, this.log.logEndOffset);
    return { error: null, epoch: end.epoch, endOffset: end.endOffset };
  }

  // ---------------------------------------------------------------- follower

  private sendFetch(): void {
    if (this.role !== "follower" || this.leaderId === null) return;
    const requestId = this.host.nextRequestId();
    this.fetchRequestId = requestId;
    const legacy = this.bugs.has("truncate-to-high-watermark");
    this.host.send(brokerNodeName(this.leaderId), {
      kind: "replica-fetch",
      requestId,
      replicaId: this.host.brokerId,
      topic: this.topic,
      partition: this.partition,
      fetchOffset: this.log.logEndOffset,
      lastFetchedEpoch: legacy ? -1 : this.log.epochCache.latestEpoch,
      currentLeaderEpoch: this.leaderEpoch,
    });
    this.host.timer(this.host.context.brokerSettings.replicaSocketTimeoutMs, () => {
      if (this.fetchRequestId === requestId) this.sendFetch();
    });
  }

  private fetchLater(delayMs: number): void {
    const generation = this.generation;
    this.fetchRequestId = 0;
    this.host.timer(delayMs, () => {
      if (this.generation === generation && this.fetchRequestId === 0) this.sendFetch();
    });
  }

  onReplicaFetchResponse(response: ReplicaFetchResponse): void {
    if (this.role !== "follower" || response.requestId !== this.fetchRequestId) return;
    this.fetchRequestId = 0;
    if (response.error === "OFFSET_OUT_OF_RANGE") {
      // Only reachable without the divergence check: the leader's log is shorter than ours.
      this.truncate(Math.min(response.leaderLogEndOffset, this.log.logEndOffset), "offset out of range at leader");
      return this.sendFetch();
    }
    if (response.error !== null) return this.fetchLater(this.host.context.brokerSettings.replicaFetchBackoffMs);
    if (response.divergingEpoch !== null) {
      this.truncateByDivergence(response.divergingEpoch);
      return this.sendFetch();
    }
    for (const batch of response.batches) {
      if (batch.baseOffset !== this.log.logEndOffset) {
        this.host.trace(`ignore ${this.name} batch at ${batch.baseOffset} with log end ${this.log.logEndOffset}`);
        return this.fetchLater(0);
      }
      this.log.append(batch);
      this.producers.update(batch);
      this.transactions.update(batch);
    }
    if (response.batches.length > 0) {
      this.maybeFlush();
      this.host.trace(`replicate ${this.name} to ${this.log.logEndOffset} from leader ${this.leaderId} high watermark ${response.highWatermark}`);
    }
    const highWatermark = Math.min(response.highWatermark, this.log.logEndOffset);
    if (highWatermark > this.highWatermark) this.highWatermark = highWatermark;
    assert(this.highWatermark <= this.log.logEndOffset, `${this.name}: follower high watermark ${this.highWatermark} past its log end ${this.log.logEndOffset}`);
    this.sendFetch();
  }

  /** KIP-101 truncation: to the end of the last epoch both logs share, never to the high watermark. */
  private truncateByDivergence(diverging: { epoch: number; endOffset: number }): void {
    const end = this.log.logEndOffset;
    let target: number;
    if (diverging.epoch < 0 || diverging.endOffset < 0) {
      target = Math.min(this.highWatermark, end);
    } else {
      const mine = this.log.epochCache.endOffsetFor(diverging.epoch, end);
      if (mine.epoch < 0) target = Math.min(diverging.endOffset, end);
      else if (mine.epoch !== diverging.epoch) target = Math.min(mine.endOffset, end);
      else target = Math.min(diverging.endOffset, mine.endOffset);
    }
    this.truncate(target, `diverged at epoch ${diverging.epoch} end ${diverging.endOffset}`);
  }

  private truncate(offset: number, reason: string): void {
    const before = this.log.logEndOffset;
    // Truncation only removes a suffix: its point lies within the log.
    assert(offset >= 0 && offset <= before, `${this.name}: truncation to ${offset} outside the log [0, ${before}] (${reason})`);
    this.log.truncateTo(offset);
    if (this.highWatermark > offset) this.highWatermark = offset;
    assert(this.log.logEndOffset === offset && this.highWatermark <= offset, `${this.name}: after truncating to ${offset} the log ends at ${this.log.logEndOffset}, high watermark ${this.highWatermark}`);
    if (offset < before) {
      this.producers.rebuild(this.log);
      this.transactions.rebuild(this.log);
      this.host.trace(`truncate ${this.name} ${before} -> ${offset} (${reason})`);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  checkpointHighWatermark(): void {
    this.log.highWatermarkCheckpoint = this.highWatermark;
  }
}
