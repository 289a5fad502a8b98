/**
 * One transactional producer of the scenario on kafkajs (`transactional.id`), as an application uses
 * kafkajs's transaction API: the producer instance connects on its first transaction (kafkajs's
 * connect is initTransactions: InitProducerId with the transactional id, fencing older instances),
 * then per step `producer.transaction()` (begin), each record sent in turn (kafkajs refuses
 * concurrent operations on one transaction), `endAfterMs` of waiting, `commit()` or `abort()`.
 *
 * After an end that did not succeed the instance is disconnected and the next transaction starts a
 * new one, which initialises again: what an application does after a fencing or an unknown outcome.
 * Steps of one client run one after another, bounded (`transactionBacklogBound`).
 *
 * kafkajs does not report its producer id and epoch: txn-init completions carry only the id.
 */
import kafkajs from "kafkajs";
import type { Kafka, Producer, Transaction } from "kafkajs";
import type { SendValue } from "../../model/index.js";
import type { TransactionStep } from "../../chaos/scenario.js";
import type { ProducerSettings } from "./client-config.js";
import type { HistoryRecorder, OpenOperation } from "../protocol/recorder.js";
import { classifySendError, kafkajsErrorName } from "./errors.js";

const { Partitioners } = kafkajs;

/** Transaction steps one client may have waiting; more is a scenario mistake, not a workload. */
export const transactionBacklogBound = 64;

/** End errors that prove the transaction did not commit: the coordinator refused the EndTxn of this epoch. */
const notCommitted = new Set(["PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH", "INVALID_TXN_STATE", "TRANSACTIONAL_ID_AUTHORIZATION_FAILED"]);

export interface TransactionClientOptions {
  readonly id: string;
  readonly kafka: Kafka;
  readonly settings: ProducerSettings;
  readonly recorder: HistoryRecorder;
  readonly physicalTopic: (name: string) => string;
  /** Scenario ms -> wall ms (the run's time scale). */
  readonly scaleMs: (ms: number) => number;
  readonly log: (line: string) => void;
}

export class TransactionClient {
  private producer: Producer | null = null;
  private readonly backlog: TransactionStep[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  /** Operations this client invoked and has not completed (closed as info when the run abandons them). */
  private readonly open = new Set<OpenOperation>();
  droppedTransactions = 0;

  constructor(private readonly options: TransactionClientOptions) {
    if (options.settings.transactionalId === undefined) throw new Error(`client ${options.id} has no transactional.id`);
  }

  private get transactionalId(): string {
    return this.options.settings.transactionalId ?? "";
  }

  /** Starts the step, or queues it behind the transaction under way. Returns at once. */
  transaction(step: TransactionStep): void {
    if (this.closed) return;
    if (this.running !== null) {
      if (this.backlog.length >= transactionBacklogBound) this.droppedTransactions++;
      else this.backlog.push(step);
      return;
    }
    this.start(step);
  }

  private start(step: TransactionStep): void {
    this.running = this.run(step)
      .catch((error: unknown) => this.options.log(`kafka: ${this.options.id}: transaction driver error: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
        const next = this.backlog.shift();
        if (next !== undefined && !this.closed) this.start(next);
      });
  }

  private invoke(f: string, value: unknown): OpenOperation {
    const operation = this.options.recorder.invoke(this.options.id, f, value);
    this.open.add(operation);
    return operation;
  }

  private complete(operation: OpenOperation, type: "ok" | "fail" | "info", value: unknown, error?: string): void {
    if (!this.open.delete(operation)) return;
    operation.complete(type, value, error);
  }

  private async run(step: TransactionStep): Promise<void> {
    const producer = await this.connected();
    if (producer === null || this.closed) return;
    const transactionalId = this.transactionalId;
    const begin = this.invoke("txn-begin", { transactionalId });
    let transaction: Transaction;
    try {
      transaction = await producer.transaction();
    } catch (error) {
      // kafkajs's begin is local; a refusal means this instance is unusable (fenced or broken).
      this.complete(begin, "fail", { transactionalId }, kafkajsErrorName(error));
      await this.replace();
      return;
    }
    this.complete(begin, "ok", undefined);
    const invoked = performance.now();
    const attempts = this.options.settings.retries + 1;
    for (const record of step.sends) {
      if (this.closed) return;
      const value: SendValue = { topic: record.topic, key: record.key, value: record.value, ...(record.partition === undefined ? {} : { partition: record.partition }) };
      const send = this.invoke("send", value);
      try {
        const metadata = await transaction.send({
          topic: this.options.physicalTopic(record.topic),
          acks: -1,
          timeout: this.options.settings.requestTimeoutMs,
          messages: [{ key: record.key, value: record.value, ...(record.partition === undefined ? {} : { partition: record.partition }) }],
        });
        const first = metadata[0];
        if (first === undefined || first.baseOffset === undefined || Number(first.baseOffset) < 0) this.complete(send, "info", value, "NO_ACKNOWLEDGEMENT");
        else this.complete(send, "ok", { ...value, partition: first.partition, offset: Number(first.baseOffset) });
      } catch (error) {
        const classification = classifySendError(error, attempts);
        this.complete(send, classification.type, value, classification.error);
      }
    }
    const waitMs = this.options.scaleMs(step.endAfterMs ?? 0) - (performance.now() - invoked);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (this.closed) return;
    const f = step.end === "commit" ? "txn-commit" : "txn-abort";
    const end = this.invoke(f, { transactionalId });
    try {
      if (step.end === "commit") await transaction.commit();
      else await transaction.abort();
      this.complete(end, "ok", undefined);
    } catch (error) {
      const name = kafkajsErrorName(error);
      // Only a refusal of this epoch's EndTxn proves the outcome; a timeout may still have committed.
      this.complete(end, notCommitted.has(name) || step.end === "abort" ? "fail" : "info", undefined, name);
      await this.replace();
    }
  }

  /** This client's producer instance, connecting (txn-init) if it has none; null if the init failed. */
  private async connected(): Promise<Producer | null> {
    if (this.producer !== null) return this.producer;
    const { settings } = this.options;
    const transactionalId = this.transactionalId;
    const producer = this.options.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      transactionalId,
      transactionTimeout: settings.transactionTimeoutMs,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: settings.retries, initialRetryTime: Math.max(1, settings.retryBackoffMs), maxRetryTime: Math.max(1, settings.retryBackoffMaxMs) },
    });
    const init = this.invoke("txn-init", { transactionalId });
    try {
      await producer.connect();
      this.complete(init, "ok", { transactionalId });
      this.producer = producer;
      return producer;
    } catch (error) {
      this.complete(init, "info", { transactionalId }, kafkajsErrorName(error));
      await producer.disconnect().catch(() => undefined);
      return null;
    }
  }

  private async replace(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  /** Waits for the transaction under way (and the backlog), at most `boundMs`. */
  async settle(boundMs: number): Promise<void> {
    const deadline = performance.now() + boundMs;
    while ((this.running !== null || this.backlog.length > 0) && performance.now() < deadline) {
      await Promise.race([this.running ?? Promise.resolve(), new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(250, deadline - performance.now()))))]);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.backlog.length = 0;
    await this.replace();
  }
}
