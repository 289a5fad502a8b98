/**
 * One scenario consumer: assign, seek and poll steps, each recorded. Steps of one consumer run one
 * after another (a Java consumer is single-threaded); different consumers run concurrently.
 */
import type { Kafka } from "kafkajs";
import type { AssignValue, PollValue, SeekValue, TopicPartition } from "../../model/index.js";
import type { ConsumerSettings } from "./client-config.js";
import { PartitionReader } from "./partition-reader.js";
import type { HistoryRecorder } from "../protocol/recorder.js";
import { rootCause } from "./errors.js";

export interface ConsumerClientOptions {
  readonly id: string;
  readonly kafka: Kafka;
  readonly settings: ConsumerSettings;
  readonly recorder: HistoryRecorder;
  readonly groupId: string;
  readonly physicalTopic: (name: string) => string;
  readonly scenarioTopic: (physical: string) => string;
}

function errorName(error: unknown): string {
  const cause = rootCause(error);
  if (typeof cause?.type === "string") return cause.type;
  if (typeof cause?.name === "string") return cause.name;
  return "UNKNOWN_ERROR";
}

export class ConsumerClient {
  private readonly reader: PartitionReader;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Steps waiting behind a slow one; beyond this the scenario outruns the consumer. */
  static readonly maximumQueued = 10_000;

  constructor(private readonly options: ConsumerClientOptions) {
    this.reader = new PartitionReader({
      kafka: options.kafka,
      groupId: options.groupId,
      readUncommitted: options.settings.readUncommitted,
      fromBeginning: options.settings.fromBeginning,
      scenarioTopic: options.scenarioTopic,
    });
  }

  private enqueue(work: () => Promise<void>): void {
    if (this.queued >= ConsumerClient.maximumQueued) throw new Error(`consumer ${this.options.id}: more than ${ConsumerClient.maximumQueued} steps queued`);
    this.queued += 1;
    this.queue = this.queue.then(work).finally(() => {
      this.queued -= 1;
    });
  }

  assign(partitions: readonly TopicPartition[]): void {
    this.enqueue(async () => {
      const value: AssignValue = { partitions };
      const operation = this.options.recorder.invoke(this.options.id, "assign", value);
      try {
        await this.reader.assign(partitions.map((entry) => ({ topic: this.options.physicalTopic(entry.topic), partition: entry.partition })));
        operation.complete("ok", value);
      } catch (error) {
        operation.complete("info", value, errorName(error));
      }
    });
  }

  seek(topic: string, partition: number, offset: number): void {
    this.enqueue(async () => {
      const value: SeekValue = { topic, partition, offset };
      const operation = this.options.recorder.invoke(this.options.id, "seek", value);
      try {
        this.reader.seek(this.options.physicalTopic(topic), partition, offset);
        operation.complete("ok", value);
      } catch (error) {
        operation.complete("info", value, errorName(error));
      }
    });
  }

  poll(): void {
    this.enqueue(async () => {
      const operation = this.options.recorder.invoke(this.options.id, "poll", {});
      const records = this.reader.drain(this.options.settings.maxPollRecords);
      const value: PollValue = { records };
      operation.complete("ok", value);
    });
  }

  /** Waits for queued steps, at most `boundMs`. */
  async settle(boundMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue, new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}
