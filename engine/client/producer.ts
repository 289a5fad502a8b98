import type { Producer, SendResult } from "../api.js";
import type { EngineContext } from "../context.js";
import { brokerNodeName } from "../context.js";
import type { SimulatedNode } from "../network/node.js";
import { provesNothingAppended, type ErrorCode } from "../protocol/errors.js";
import type { Message, ProducePartitionResult } from "../protocol/messages.js";
import { assert } from "../simulation/assert.js";
import { recordSize, type StoredRecord } from "../storage/partition-log.js";
import { ClientMetadata } from "./client-metadata.js";
import { partitionForKey, partitionForKeyUtf16 } from "./murmur2.js";
import type { ProducerSettings } from "./producer-settings.js";

type Done = (result: SendResult) => void;

/**
 * What a transactional producer's transaction manager tells the sender: a batch goes out only once its
 * partition was added to the open transaction (AddPartitionsToTxn), as in the Java client. Asking
 * about a partition not yet added makes the manager add it, and it wakes the sender when done.
 */
export interface TransactionGate {
  partitionAdded(topic: string, partition: number): boolean;
}

interface ProducerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly records: StoredRecord[];
  readonly callbacks: Done[];
  bytes: number;
  readonly createdMs: number;
  /** Drained at least once: no more records join it. */
  sealed: boolean;
  attempts: number;
  /** Some attempt may have been appended (timeout, or an error that does not prove otherwise). */
  maybeAppended: boolean;
  inFlight: boolean;
  resolved: boolean;
  retryAtMs: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

interface InFlightRequest {
  readonly brokerId: number;
  readonly batches: readonly ProducerBatch[];
}

/** Records waiting for a topic's metadata (bounded by max.block.ms, and by this count). */
const maxWaitingSends = 1_000_000;
const maxSenderRounds = 64;

const retriableErrors: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "NOT_LEADER_OR_FOLLOWER",
  "FENCED_LEADER_EPOCH",
  "UNKNOWN_LEADER_EPOCH",
  "NOT_ENOUGH_REPLICAS",
  "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
  "REQUEST_TIMED_OUT",
  "UNKNOWN_TOPIC_OR_PARTITION",
  "COORDINATOR_NOT_AVAILABLE",
]);

/**
 * The Java producer's behaviour that matters for guarantees: the default partitioner (murmur2 for
 * keys, sticky for null keys), an accumulator with linger.ms and batch.size, a sender limited by
 * max.in.flight.requests.per.connection (and, at 1, one batch in flight per partition), retries
 * with retry.backoff.ms bounded by retries and delivery.timeout.ms, request.timeout.ms, metadata
 * refresh on leader errors, and idempotence (InitProducerId, per-partition sequences, in-order retries).
 */
export class ProducerClient implements Producer {
  private readonly queues = new Map<string, ProducerBatch[]>();
  private readonly inFlight = new Map<number, InFlightRequest>();
  private readonly inFlightPerBroker = new Map<number, number>();
  /**
   * Partitions (queue keys) with a batch in flight, when max.in.flight.requests.per.connection=1: the
   * Java sender mutes such a partition (guaranteeMessageOrder) until the batch completes, because the
   * per-connection limit alone lets the next batch go to a new leader while the first is still
   * unanswered by the old one, and the retried first batch would then land after the second.
   */
  private readonly mutedPartitions = new Set<string>();
  private readonly metadata: ClientMetadata;
  private readonly waiting: { topic: string; key: string | null; value: string; partition: number | undefined; done: Done; settled: boolean }[] = [];
  private readonly sticky = new Map<string, { partition: number; bytes: number }>();
  private readonly nextSequence = new Map<string, number>();
  /**
   * Per partition, the sequenced batches from the oldest unresolved one on, in sequence order. The
   * broker remembers the last five batches per producer, so no new sequence is handed out while this
   * window holds max.in.flight (<= 5) batches: a retry then always falls inside the broker's memory and
   * is recognised as a duplicate instead of reading as out of order.
   */
  private readonly windows = new Map<string, ProducerBatch[]>();
  private producerId = -1;
  private producerEpoch = -1;
  private initRequestId = 0;
  /** A batch with a sequence failed for good: get a new producer id before sending more. */
  private needsNewProducerId = false;
  private requestCounter = 0;
  private nextWakeMs = Infinity;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly settings: ProducerSettings,
    private readonly transaction?: TransactionGate,
  ) {
    this.metadata = new ClientMetadata(node, context, () => ++this.requestCounter, settings.requestTimeoutMs, settings.retryBackoffMs, () => this.onMetadata());
  }

  /** The Java client's guaranteeMessageOrder: one batch per partition in flight, whatever the leader. */
  private get guaranteesMessageOrder(): boolean {
    return this.settings.maxInFlight === 1;
  }

  private get now(): number {
    return this.context.scheduler.nowMs;
  }

  send(record: { topic: string; key: string | null; value: string; partition?: number }, done: Done): void {
    if (this.closed) return done({ type: "fail", error: "IllegalStateException: producer closed" });
    this.metadata.want(record.topic);
    const partitions = this.metadata.partitions(record.topic);
    if (partitions === undefined) {
      assert(this.waiting.length < maxWaitingSends, `${this.id}: too many sends waiting for metadata`);
      const entry = { topic: record.topic, key: record.key, value: record.value, partition: record.partition, done, settled: false };
      this.waiting.push(entry);
      this.metadata.refresh();
      this.node.timer(this.settings.maxBlockMs, () => {
        if (entry.settled) return;
        entry.settled = true;
        entry.done({ type: "fail", error: `TimeoutException: topic ${record.topic} not present in metadata after ${this.settings.maxBlockMs} ms` });
      });
      return;
    }
    if (this.metadata.ageMs(record.topic) > this.settings.metadataMaxAgeMs) this.metadata.refresh();
    this.accumulate(record.topic, record.key, record.value, record.partition, partitions.length, done);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const entry of this.waiting) {
      if (!entry.settled) {
        entry.settled = true;
        entry.done({ type: "info", error: "producer closed before the send completed" });
      }
    }
    const unresolved: ProducerBatch[] = [];
    for (const request of this.inFlight.values()) unresolved.push(...request.batches);
    for (const queue of this.queues.values()) unresolved.push(...queue);
    this.inFlight.clear();
    this.mutedPartitions.clear();
    this.queues.clear();
    for (const batch of unresolved) this.finish(batch, { type: "info", error: "producer closed before the send completed" });
  }

  handle(message: Message): void {
    if (this.closed) return;
    switch (message.kind) {
      case "metadata-response":
        return this.metadata.handle(message);
      case "init-producer-id-response":
        return this.onInitProducerId(message);
      case "produce-response":
        return this.onProduceResponse(message.requestId, message.results);
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- partitioning and batching

  private accumulate(topic: string, key: string | null, value: string, explicit: number | undefined, partitionCount: number, done: Done): void {
    let partition: number;
    const record: StoredRecord = { key, value };
    const size = recordSize(record);
    if (explicit !== undefined) {
      if (!Number.isInteger(explicit) || explicit < 0 || explicit >= partitionCount) {
        return done({ type: "fail", error: `partition: ${explicit} is not allowed; topic ${topic} has partitions 0..${partitionCount - 1}` });
      }
      partition = explicit;
    } else if (key !== null && !this.settings.ignoreKeys) {
      partition = this.context.bugs.has("wrong-key-hash") ? partitionForKeyUtf16(key, partitionCount) : partitionForKey(key, partitionCount);
    } else {
      partition = this.stickyPartition(topic, partitionCount, size);
    }
    const queueKey = `${topic}-${partition}`;
    let queue = this.queues.get(queueKey);
    if (queue === undefined) {
      queue = [];
      this.queues.set(queueKey, queue);
    }
    let batch = queue.at(-1);
    if (batch === undefined || batch.sealed || batch.attempts > 0 || (batch.records.length > 0 && batch.bytes + size > this.settings.batchSize)) {
      batch = {
        topic,
        partition,
        key: queueKey,
        records: [],
        callbacks: [],
        bytes: 0,
        createdMs: this.now,
        sealed: false,
        attempts: 0,
        maybeAppended: false,
        inFlight: false,
        resolved: false,
        retryAtMs: 0,
        producerId: -1,
        producerEpoch: -1,
        baseSequence: -1,
      };
      queue.push(batch);
      const created = batch;
      this.node.timer(this.settings.deliveryTimeoutMs, () => this.expire(created));
    }
    batch.records.push(record);
    batch.callbacks.push(done);
    batch.bytes += size;
    if (batch.bytes >= this.settings.batchSize) this.wake(this.now);
    else this.wake(batch.createdMs + this.settings.lingerMs);
  }

  /** KIP-794's uniform sticky partitioner: stay on one partition until batch.size bytes went to it. */
  private stickyPartition(topic: string, partitionCount: number, size: number): number {
    let state = this.sticky.get(topic);
    if (state === undefined || state.bytes >= this.settings.batchSize || state.partition >= partitionCount) {
      let next = this.context.random.integerBetween(0, partitionCount - 1);
      if (state !== undefined && partitionCount > 1 && next === state.partition) next = (next + 1) % partitionCount;
      state = { partition: next, bytes: 0 };
      this.sticky.set(topic, state);
    }
    state.bytes += size;
    return state.partition;
  }

  private onMetadata(): void {
    const pending = this.waiting.splice(0, this.waiting.length);
    for (const entry of pending) {
      if (entry.settled) continue;
      const partitions = this.metadata.partitions(entry.topic);
      if (partitions === undefined) {
        this.waiting.push(entry);
        continue;
      }
      entry.settled = true;
      this.accumulate(entry.topic, entry.key, entry.value, entry.partition, partitions.length, entry.done);
    }
    if (this.waiting.length > 0) this.metadata.refreshLater();
    this.wake(this.now);
  }

  // ---------------------------------------------------------------- sender

  private wake(atMs: number): void {
    if (atMs >= this.nextWakeMs) return;
    this.nextWakeMs = atMs;
    this.node.timer(Math.max(0, atMs - this.now), () => {
      if (this.nextWakeMs <= this.now) this.nextWakeMs = Infinity;
      this.runSender();
    });
  }

  private runSender(): void {
    if (this.closed) return;
    // A transactional producer's id and epoch come from its transaction coordinator (setIdentity).
    if (this.transaction !== undefined && this.producerId < 0) return;
    if (this.settings.idempotence && (this.producerId < 0 || this.needsNewProducerId)) {
      if (this.needsNewProducerId && this.inFlight.size > 0) return;
      this.initProducerId();
      return;
    }
    let leaderMissing = false;
    let nextWake = Infinity;
    for (let round = 0; round < maxSenderRounds; round++) {
      const drained = new Map<number, ProducerBatch[]>();
      for (const queue of this.queues.values()) {
        const batch = queue[0];
        if (batch === undefined) continue;
        const leader = this.metadata.leader(batch.topic, batch.partition)?.leader ?? null;
        if (leader === null) {
          leaderMissing = true;
          continue;
        }
        if (this.mutedPartitions.has(batch.key)) continue;
        if (this.transaction !== undefined && !this.transaction.partitionAdded(batch.topic, batch.partition)) continue;
        const full = batch.bytes >= this.settings.batchSize || queue.length > 1 || batch.sealed;
        const readyAt = batch.attempts > 0 ? batch.retryAtMs : full ? batch.createdMs : batch.createdMs + this.settings.lingerMs;
        if (readyAt > this.now) {
          nextWake = Math.min(nextWake, readyAt);
          continue;
        }
        const inFlight = (this.inFlightPerBroker.get(leader) ?? 0) + (drained.has(leader) ? 1 : 0);
        if (inFlight >= this.settings.maxInFlight) continue;
        if (this.settings.idempotence && batch.baseSequence < 0 && (this.windows.get(batch.key)?.length ?? 0) >= this.settings.maxInFlight) continue;
        queue.shift();
        batch.sealed = true;
        let list = drained.get(leader);
        if (list === undefined) {
          list = [];
          drained.set(leader, list);
        }
        list.push(batch);
      }
      if (drained.size === 0) break;
      for (const [brokerId, batches] of drained) this.sendProduce(brokerId, batches);
    }
    if (leaderMissing) {
      this.metadata.refresh();
      this.metadata.refreshLater();
    }
    if (nextWake < Infinity) this.wake(nextWake);
  }

  private sendProduce(brokerId: number, drained: ProducerBatch[]): void {
    const batches: ProducerBatch[] = [];
    for (const batch of drained) {
      // Sent under a producer id since replaced, and maybe in the log: resending under the new id
      // could duplicate it, so its outcome stays unknown.
      if (this.settings.idempotence && batch.producerId >= 0 && batch.producerId !== this.producerId && batch.maybeAppended) {
        this.finish(batch, { type: "info", error: "producer id reset while the batch was unresolved", partition: batch.partition });
      } else {
        batches.push(batch);
      }
    }
    if (batches.length === 0) return;
    const requestId = ++this.requestCounter;
    for (const batch of batches) {
      if (this.settings.idempotence && (batch.baseSequence < 0 || batch.producerId !== this.producerId)) {
        batch.producerId = this.producerId;
        batch.producerEpoch = this.producerEpoch;
        let window = this.windows.get(batch.key);
        if (window === undefined) {
          window = [];
          this.windows.set(batch.key, window);
        }
        window.push(batch);
        batch.baseSequence = this.nextSequence.get(batch.key) ?? 0;
        this.nextSequence.set(batch.key, batch.baseSequence + batch.records.length);
      }
      batch.inFlight = true;
      batch.attempts++;
    }
    this.context.network.send(this.node, brokerNodeName(brokerId), {
      kind: "produce",
      requestId,
      acks: this.settings.acks,
      timeoutMs: this.settings.requestTimeoutMs,
      batches: batches.map((batch) => ({
        topic: batch.topic,
        partition: batch.partition,
        producerId: this.settings.idempotence ? batch.producerId : -1,
        producerEpoch: this.settings.idempotence ? batch.producerEpoch : -1,
        baseSequence: this.settings.idempotence ? batch.baseSequence : -1,
        records: batch.records,
        ...(this.transaction === undefined ? {} : { transactional: true }),
      })),
    });
    if (this.settings.acks === 0) {
      // acks=0: the producer never hears back; Kafka reports offset -1.
      for (const batch of batches) {
        batch.inFlight = false;
        this.finish(batch, null, -1);
      }
      return;
    }
    if (this.guaranteesMessageOrder) {
      for (const batch of batches) {
        assert(!this.mutedPartitions.has(batch.key), `${this.id}: ${batch.key} sent while muted`);
        this.mutedPartitions.add(batch.key);
      }
    }
    this.inFlight.set(requestId, { brokerId, batches });
    this.inFlightPerBroker.set(brokerId, (this.inFlightPerBroker.get(brokerId) ?? 0) + 1);
    this.node.timer(this.settings.requestTimeoutMs, () => {
      if (!this.inFlight.has(requestId)) return;
      this.onProduceResponse(
        requestId,
        batches.map((batch) => ({ topic: batch.topic, partition: batch.partition, error: "REQUEST_TIMED_OUT", baseOffset: -1 })),
      );
    });
  }

  private onProduceResponse(requestId: number, results: readonly ProducePartitionResult[]): void {
    const request = this.inFlight.get(requestId);
    if (request === undefined) return;
    this.inFlight.delete(requestId);
    this.inFlightPerBroker.set(request.brokerId, (this.inFlightPerBroker.get(request.brokerId) ?? 1) - 1);
    // Unmuted before the outcome is handled: a retried batch is re-queued at the front and is the
    // partition's next send, exactly as in the Java sender (completeBatch unmutes, reenqueue adds first).
    for (const batch of request.batches) this.mutedPartitions.delete(batch.key);
    for (const batch of request.batches) {
      const result = results.find((entry) => entry.topic === batch.topic && entry.partition === batch.partition);
      batch.inFlight = false;
      if (result === undefined) this.onBatchError(batch, "REQUEST_TIMED_OUT");
      else if (result.error === null) this.finish(batch, null, result.baseOffset);
      else this.onBatchError(batch, result.error);
    }
    this.wake(this.now);
  }

  private onBatchError(batch: ProducerBatch, error: ErrorCode): void {
    if (batch.resolved) return;
    if (!provesNothingAppended(error)) batch.maybeAppended = true;
    if (error !== "NOT_ENOUGH_REPLICAS" && error !== "NOT_ENOUGH_REPLICAS_AFTER_APPEND" && error !== "OUT_OF_ORDER_SEQUENCE_NUMBER") this.metadata.refresh();
    // OutOfOrderSequence is retried until delivery.timeout.ms: an earlier batch may still land (or its
    // response may have overtaken this one when the network reorders); if the broker truly lost the
    // producer's state, the batch expires and the producer id is reset.
    const retriable = retriableErrors.has(error) || error === "OUT_OF_ORDER_SEQUENCE_NUMBER";
    const expired = this.now >= batch.createdMs + this.settings.deliveryTimeoutMs;
    if (retriable && batch.attempts <= this.settings.retries && !expired) {
      batch.retryAtMs = this.now + this.settings.retryBackoffMs;
      this.requeue(batch);
      return;
    }
    this.finish(batch, error);
  }

  private requeue(batch: ProducerBatch): void {
    let queue = this.queues.get(batch.key);
    if (queue === undefined) {
      queue = [];
      this.queues.set(batch.key, queue);
    }
    if (this.settings.idempotence) {
      // In sequence order, so the broker sees sequences without gaps again.
      let index = 0;
      while (index < queue.length && queue[index]!.baseSequence >= 0 && queue[index]!.baseSequence < batch.baseSequence) index++;
      queue.splice(index, 0, batch);
    } else if (this.context.bugs.has("retry-to-back")) {
      queue.push(batch);
    } else {
      queue.unshift(batch);
    }
  }

  private expire(batch: ProducerBatch): void {
    if (batch.resolved || batch.inFlight) return;
    const queue = this.queues.get(batch.key);
    if (queue !== undefined) {
      const index = queue.indexOf(batch);
      if (index >= 0) queue.splice(index, 1);
    }
    this.finish(batch, "REQUEST_TIMED_OUT", -1, `TimeoutException: expired after delivery.timeout.ms ${this.settings.deliveryTimeoutMs}`);
  }

  private finish(batch: ProducerBatch, error: ErrorCode | null | SendResult, baseOffset = -1, message?: string): void {
    if (batch.resolved) return;
    batch.resolved = true;
    const window = this.windows.get(batch.key);
    if (window !== undefined) while (window.length > 0 && window[0]!.resolved) window.shift();
    if (error !== null && typeof error === "object") {
      for (const callback of batch.callbacks) callback(error);
      return;
    }
    if (error === null) {
      const sameOffset = baseOffset < 0 || this.context.bugs.has("ack-batch-base-offset");
      batch.callbacks.forEach((callback, index) => callback({ type: "ok", partition: batch.partition, offset: sameOffset ? baseOffset : baseOffset + index }));
      return;
    }
    this.context.trace.record(this.now, this.node.name, `give up ${batch.key} sequence ${batch.baseSequence} attempts ${batch.attempts}: ${message ?? error}`);
    // A transactional producer does not start over: the transaction must abort (its manager sees the failure).
    if (this.settings.idempotence && batch.baseSequence >= 0 && this.transaction === undefined) this.resetProducerId();
    const result: SendResult = { type: batch.maybeAppended ? "info" : "fail", error: message ?? error, partition: batch.partition };
    for (const callback of batch.callbacks) callback(result);
  }

  // ---------------------------------------------------------------- transactions

  /** The transaction coordinator's producer id and epoch (InitProducerId with a transactional.id). */
  setIdentity(producerId: number, producerEpoch: number): void {
    assert(this.transaction !== undefined, `${this.id}: setIdentity on a producer without transactions`);
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.nextSequence.clear();
    this.windows.clear();
    this.wake(this.now);
  }

  /** Lets the sender look at the queues again (a partition was added to the transaction). */
  wakeNow(): void {
    this.wake(this.now);
  }

  /** Fails every send not in flight (a fatal or abortable transaction error): nothing of them was sent, or the outcome is unknown. */
  failQueued(error: string): void {
    for (const entry of this.waiting.splice(0, this.waiting.length)) {
      if (entry.settled) continue;
      entry.settled = true;
      entry.done({ type: "fail", error });
    }
    for (const queue of this.queues.values()) {
      for (const batch of queue.splice(0, queue.length)) this.finish(batch, { type: batch.maybeAppended ? "info" : "fail", error, partition: batch.partition });
    }
  }

  // ---------------------------------------------------------------- idempotence

  /**
   * A sequenced batch failed for good, so later sequences would meet a gap: start over with a new
   * producer id (as KIP-360's epoch bump does). Queued batches that may already be in the log are
   * reported unknown rather than resent under the new id, which would duplicate them.
   */
  private resetProducerId(): void {
    if (this.needsNewProducerId) return;
    this.needsNewProducerId = true;
    this.nextSequence.clear();
    this.windows.clear();
    for (const queue of this.queues.values()) {
      for (const batch of [...queue]) {
        if (batch.maybeAppended) {
          queue.splice(queue.indexOf(batch), 1);
          this.finish(batch, { type: "info", error: "OUT_OF_ORDER_SEQUENCE_NUMBER: producer id reset after a failed batch", partition: batch.partition });
        } else {
          // Loses its sequence: it is counted again when it gets a new one.
          batch.baseSequence = -1;
        }
      }
    }
  }

  private initProducerId(): void {
    if (this.initRequestId !== 0) return;
    const requestId = ++this.requestCounter;
    this.initRequestId = requestId;
    const brokerId = this.context.brokerIds[this.context.random.integerBetween(0, this.context.brokerIds.length - 1)]!;
    this.context.network.send(this.node, brokerNodeName(brokerId), { kind: "init-producer-id", requestId });
    this.node.timer(this.settings.requestTimeoutMs, () => {
      if (this.initRequestId !== requestId) return;
      this.initRequestId = 0;
      this.wake(this.now);
    });
  }

  private onInitProducerId(message: Extract<Message, { kind: "init-producer-id-response" }>): void {
    if (message.requestId !== this.initRequestId) return;
    this.initRequestId = 0;
    if (message.error !== null) {
      this.node.timer(this.settings.retryBackoffMs, () => this.wake(this.now));
      return;
    }
    this.producerId = message.producerId;
    this.producerEpoch = message.producerEpoch;
    this.needsNewProducerId = false;
    this.nextSequence.clear();
    this.context.trace.record(this.now, this.node.name, `producer id ${this.producerId}`);
    this.wake(this.now);
  }
}
