/**
 * Reads partitions through a kafkajs consumer and keeps, per partition, the position the harness
 * expects next. kafkajs has no `assign`: a consumer group with a groupId unique to the run stands in
 * (its only member owns every partition of the topics), and every batch is checked against the
 * position, so a batch fetched before a seek (stale) is dropped instead of being reported as a skip.
 *
 * Records wait in a bounded buffer until the owner drains them (a poll, or the final read).
 */
import type { Batch, Consumer, EachBatchPayload, Kafka } from "kafkajs";
import type { ReadRecord } from "../../model/index.js";

/** Records held between drains; a full buffer makes eachBatch wait (backpressure), bounded in time. */
export const bufferCapacity = 50_000;
const backpressureWaitMs = 10_000;

/** Members kafkajs's Batch has at runtime (src/consumer/batch.js) but its typings leave out. */
interface FullBatch extends Batch {
  readonly fetchedOffset: string;
  isEmptyIncludingFiltered(): boolean;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export interface PartitionReaderOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly readUncommitted: boolean;
  readonly fromBeginning: boolean;
  /** Cluster topic name -> the scenario's topic name, used in recorded records. */
  readonly scenarioTopic: (physical: string) => string;
  readonly onError?: (error: unknown) => void;
}

export class PartitionReader {
  private consumer: Consumer | null = null;
  private readonly buffer: ReadRecord[] = [];
  /** Next offset expected per physical partition; absent: take the first batch as it comes. */
  private readonly positions = new Map<string, number>();
  /** Highest high watermark seen per physical partition (the fetch response's). */
  private readonly highWatermarks = new Map<string, number>();
  private wanted = new Set<string>();
  private drainWaiters: (() => void)[] = [];

  constructor(private readonly options: PartitionReaderOptions) {}

  get buffered(): number {
    return this.buffer.length;
  }

  position(topic: string, partition: number): number | undefined {
    return this.positions.get(partitionKey(topic, partition));
  }

  highWatermark(topic: string, partition: number): number | undefined {
    return this.highWatermarks.get(partitionKey(topic, partition));
  }

  /** Replaces the set of partitions read (physical topic names); restarts the consumer when topics change. */
  async assign(partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    if (this.closed) return;
    this.wanted = new Set(partitions.map((entry) => partitionKey(entry.topic, entry.partition)));
    // Records of partitions no longer assigned are dropped, as a Java consumer drops them on assign.
    for (let index = this.buffer.length - 1; index >= 0; index -= 1) {
      const record = this.buffer[index];
      if (record !== undefined && !this.wanted.has(partitionKey(this.physicalOf(record), record.partition))) this.buffer.splice(index, 1);
    }
    await this.stopConsumer();
    const topics = [...new Set(partitions.map((entry) => entry.topic))];
    if (topics.length === 0) return;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      readUncommitted: this.options.readUncommitted,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 250,
      // kafkajs restarts a crashed consumer forever; not once the reader is closed.
      retry: { restartOnFailure: async () => !this.closed },
    });
    this.consumer = consumer;
    await consumer.connect();
    // close() may come while this assign waits (a run aborted early): a consumer started after it
    // would retry against a removed cluster forever and keep the process alive.
    if (this.closed) return this.stopStarted(consumer);
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning });
    if (this.closed) return this.stopStarted(consumer);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: (payload) => this.accept(payload),
    });
    for (const entry of partitions) {
      const position = this.positions.get(partitionKey(entry.topic, entry.partition));
      if (position !== undefined) consumer.seek({ topic: entry.topic, partition: entry.partition, offset: String(position) });
    }
  }

  /** Moves one partition's position; buffered records of it are dropped. */
  seek(topic: string, partition: number, offset: number): void {
    const key = partitionKey(topic, partition);
    this.positions.set(key, offset);
    for (let index = this.buffer.length - 1; index >= 0; index -= 1) {
      const record = this.buffer[index];
      if (record !== undefined && record.partition === partition && this.physicalOf(record) === topic) this.buffer.splice(index, 1);
    }
    this.consumer?.seek({ topic, partition, offset: String(offset) });
  }

  /** Takes up to `maximum` buffered records, oldest first. */
  drain(maximum: number): ReadRecord[] {
    const taken = this.buffer.splice(0, maximum);
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
    return taken;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopConsumer();
    for (const wake of this.drainWaiters) wake();
    this.drainWaiters = [];
  }

  private readonly physicalNames = new Map<string, string>();

  private physicalOf(record: ReadRecord): string {
    return this.physicalNames.get(record.topic) ?? record.topic;
  }

  private closed = false;

  private async stopStarted(consumer: { disconnect(): Promise<void> }): Promise<void> {
    if (this.consumer === consumer) this.consumer = null;
    await consumer.disconnect().catch((error: unknown) => this.options.onError?.(error));
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer !== null) await consumer.disconnect().catch((error: unknown) => this.options.onError?.(error));
  }

  private async accept({ batch: plainBatch, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const batch = plainBatch as FullBatch;
    const key = partitionKey(batch.topic, batch.partition);
    if (!this.wanted.has(key) || !isRunning() || isStale()) return;
    const fetchedOffset = Number(batch.fetchedOffset);
    const expected = this.positions.get(key);
    // A batch fetched from another position than the harness's (before a seek) is stale: drop it.
    if (expected !== undefined && fetchedOffset !== expected) return;
    const highWatermark = Number(batch.highWatermark);
    this.highWatermarks.set(key, Math.max(highWatermark, this.highWatermarks.get(key) ?? -1));
    if (batch.isEmptyIncludingFiltered()) {
      if (expected === undefined) this.positions.set(key, fetchedOffset);
      return;
    }
    const scenarioTopic = this.options.scenarioTopic(batch.topic);
    this.physicalNames.set(scenarioTopic, batch.topic);
    for (let wait = 0; this.buffer.length + batch.messages.length > bufferCapacity && wait < 1; wait += 1) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backpressureWaitMs);
        this.drainWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.buffer.length + batch.messages.length > bufferCapacity) {
      throw new Error(`reader buffer above ${bufferCapacity} records: nobody drains it`);
    }
    for (const message of batch.messages) {
      this.buffer.push({
        topic: scenarioTopic,
        partition: batch.partition,
        offset: Number(message.offset),
        key: message.key === null ? null : message.key.toString("utf8"),
        value: message.value === null ? "" : message.value.toString("utf8"),
      });
    }
    // lastOffset() counts control records and filtered aborted ones too: the next fetch starts after them.
    this.positions.set(key, Number(batch.lastOffset()) + 1);
  }
}
