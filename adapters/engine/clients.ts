/**
 * Drives the scenario's clients on the simulation and records what they saw. Every operation is an
 * invoke now and a completion when the engine's callback fires; completions that never come (the
 * client was abandoned) are closed as `info` by `abandonOutstanding`, so every invoke has exactly one
 * completion.
 */
import type { ReadRecord, SendValue } from "../../model/index.js";
import type { Consumer, EngineRecord, Producer, Simulation } from "../../engine/api.js";
import type { ClientSpec, Step } from "../../chaos/scenario.js";
import type { HistoryRecorder, OpenOperation } from "../protocol/recorder.js";
import { isGroupConsumer, isTransactionalProducer } from "../../chaos/validate.js";
import { GroupDriver } from "./group-driver.js";
import { TransactionDriver } from "./transactions.js";

export function toReadRecord(record: EngineRecord): ReadRecord {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value };
}

export class ClientDriver {
  private readonly producers = new Map<string, Producer>();
  private readonly consumers = new Map<string, Consumer>();
  /** Operations invoked and not yet completed, by a per-run id (insertion order = invoke order). */
  private readonly outstanding = new Map<number, OpenOperation>();
  private readonly polling = new Set<string>();
  private nextOperation = 0;
  private closed = false;
  /** Poll steps skipped because the consumer's previous poll had not returned (a consumer polls serially). */
  skippedPolls = 0;

  /** The scenario's group consumers (a consumer with group.id): their own application loops. */
  readonly groups: GroupDriver;
  /** The scenario's transactional producers (a producer with transactional.id). */
  readonly transactions: TransactionDriver;

  constructor(
    private readonly simulation: Simulation,
    private readonly recorder: HistoryRecorder,
  ) {
    this.groups = new GroupDriver(simulation, recorder);
    this.transactions = new TransactionDriver(simulation, {
      begin: (process, f, value) => this.begin(process, f, value),
      complete: (id, type, value, error) => this.complete(id, type, value, error),
    });
  }

  create(client: ClientSpec): void {
    if (isGroupConsumer(client)) this.groups.create(client);
    else if (isTransactionalProducer(client)) this.transactions.create(client);
    else if (client.role === "producer") this.producers.set(client.id, this.simulation.producer(client.id, client.config));
    else this.consumers.set(client.id, this.simulation.consumer(client.id, client.config));
  }

  get outstandingCount(): number {
    return this.outstanding.size;
  }

  private begin(process: string, f: string, value: unknown): number {
    const id = this.nextOperation++;
    this.outstanding.set(id, this.recorder.invoke(process, f, value));
    return id;
  }

  /** Record a completion unless the operation was already closed (abandoned at the end of the run). */
  private complete(id: number, type: "ok" | "fail" | "info", value: unknown, error?: string): boolean {
    const operation = this.outstanding.get(id);
    if (operation === undefined || this.closed) return false;
    this.outstanding.delete(id);
    operation.complete(type, value, error);
    return true;
  }

  apply(step: Exclude<Step, { op: "fault" }>): void {
    switch (step.op) {
      case "send":
        this.send(step.client, { topic: step.topic, key: step.key, value: step.value, ...(step.partition === undefined ? {} : { partition: step.partition }) });
        return;
      case "transaction":
        this.transactions.apply(step);
        return;
      case "poll":
        if (this.groups.has(step.client)) this.groups.poll(step.client);
        else this.poll(step.client, false);
        return;
      case "subscribe":
        this.groups.subscribe(step.client, step.topics);
        return;
      case "assign": {
        const consumer = this.consumerOf(step.client);
        const value = { partitions: step.partitions.map((partition) => ({ topic: partition.topic, partition: partition.partition })) };
        const id = this.begin(step.client, "assign", value);
        consumer.assign(value.partitions);
        this.complete(id, "ok", value);
        return;
      }
      case "seek": {
        const consumer = this.consumerOf(step.client);
        const value = { topic: step.topic, partition: step.partition, offset: step.offset };
        const id = this.begin(step.client, "seek", value);
        consumer.seek({ topic: step.topic, partition: step.partition }, step.offset);
        this.complete(id, "ok", value);
        return;
      }
    }
  }

  send(client: string, value: SendValue): void {
    const producer = this.producers.get(client);
    if (producer === undefined) throw new Error(`no producer ${client}`);
    const id = this.begin(client, "send", value);
    producer.send({ ...value }, (result) => {
      // acks=0 learns no offset (Kafka reports -1): the completion then names only the partition.
      if (result.type === "ok") this.complete(id, "ok", result.offset >= 0 ? { ...value, partition: result.partition, offset: result.offset } : { ...value, partition: result.partition });
      else this.complete(id, result.type, result.partition === undefined ? value : { ...value, partition: result.partition }, result.error);
    });
  }

  /** Returns false when the consumer is still waiting for its previous poll. */
  poll(client: string, final: boolean, onRecords?: (records: readonly EngineRecord[]) => void): boolean {
    const consumer = this.consumerOf(client);
    if (this.polling.has(client)) {
      this.skippedPolls++;
      return false;
    }
    this.polling.add(client);
    const id = this.begin(client, "poll", final ? { final: true } : {});
    consumer.poll((result) => {
      this.polling.delete(client);
      if (result.type === "ok") {
        const records = result.records.map(toReadRecord);
        if (this.complete(id, "ok", final ? { records, final: true } : { records })) onRecords?.(result.records);
      } else {
        this.complete(id, result.type, final ? { final: true } : {}, result.error);
      }
    });
    return true;
  }

  addConsumer(id: string, consumer: Consumer): void {
    this.consumers.set(id, consumer);
  }

  consumerOf(client: string): Consumer {
    const consumer = this.consumers.get(client);
    if (consumer === undefined) throw new Error(`no consumer ${client}`);
    return consumer;
  }

  /** Abandon every client's operations: producers and consumers close, unfinished operations end as info. */
  closeAll(): void {
    for (const producer of this.producers.values()) producer.close();
    for (const consumer of this.consumers.values()) consumer.close();
    this.groups.closeAll();
    this.transactions.closeAll();
    this.abandonOutstanding("CLIENT_CLOSED");
  }

  abandonOutstanding(error: string): void {
    for (const [id, operation] of [...this.outstanding]) {
      this.outstanding.delete(id);
      operation.complete("info", this.recorder.events[operation.invokeIndex]?.value, error);
    }
  }

  /** After this no callback may add to the history. */
  finish(): void {
    this.abandonOutstanding("RUN_ENDED");
    this.closed = true;
  }
}
