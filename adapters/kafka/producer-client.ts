/**
 * One scenario producer on kafkajs: sends are pipelined (each recorded when its promise settles), so
 * requests really are in flight together, bounded by `max.in.flight.requests.per.connection`.
 * The send gets exactly the retries its configuration says, no more.
 */
import kafkajs from "kafkajs";
import type { Kafka, Producer, logCreator } from "kafkajs";
import type { SendValue } from "../../model/index.js";
import type { ProducerSettings } from "./client-config.js";
import { classifySendError } from "./errors.js";
import type { HistoryRecorder } from "../protocol/recorder.js";

const { Kafka: KafkaClient, Partitioners, logLevel } = kafkajs;

export interface ProducerClientOptions {
  readonly id: string;
  readonly brokers: readonly string[];
  readonly settings: ProducerSettings;
  readonly logCreator: logCreator;
  readonly recorder: HistoryRecorder;
  /** Scenario topic name -> topic name on the cluster. */
  readonly physicalTopic: (name: string) => string;
}

export function kafkaForClient(id: string, brokers: readonly string[], settings: { retries: number; retryBackoffMs: number; retryBackoffMaxMs: number; requestTimeoutMs: number }, creator: logCreator): Kafka {
  return new KafkaClient({
    clientId: id,
    brokers: [...brokers],
    requestTimeout: settings.requestTimeoutMs,
    connectionTimeout: Math.min(settings.requestTimeoutMs, 3000),
    retry: {
      retries: settings.retries,
      initialRetryTime: Math.max(1, settings.retryBackoffMs),
      maxRetryTime: Math.max(1, settings.retryBackoffMaxMs),
    },
    logLevel: logLevel.ERROR,
    logCreator: creator,
  });
}

export class ProducerClient {
  private readonly producer: Producer;
  private readonly pending = new Set<Promise<void>>();
  private connected = false;
  /** max.in.flight=1: the send the next one waits for. */
  private chain: Promise<void> = Promise.resolve();
  private chained = 0;
  static readonly maximumChained = 100_000;

  constructor(private readonly options: ProducerClientOptions) {
    const { settings } = options;
    const kafka = kafkaForClient(options.id, options.brokers, settings, options.logCreator);
    this.producer = kafka.producer({
      // kafkajs's DefaultPartitioner is the Java client's murmur2 one (O2 depends on it).
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: settings.idempotent,
      maxInFlightRequests: settings.maxInFlightRequests,
      allowAutoTopicCreation: false,
      ...(settings.transactionalId === undefined ? {} : { transactionalId: settings.transactionalId }),
      retry: {
        retries: settings.retries,
        initialRetryTime: Math.max(1, settings.retryBackoffMs),
        maxRetryTime: Math.max(1, settings.retryBackoffMaxMs),
      },
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Connects before the workload starts (harness side: not part of the history). */
  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  /** Starts one send; returns at once. Its completion is recorded when kafkajs settles it. */
  send(topic: string, key: string | null, value: string, partition: number | undefined): void {
    if (!this.connected) throw new Error(`producer ${this.options.id} sends before it connected`);
    const invokeValue: SendValue = { topic, key, value, ...(partition === undefined ? {} : { partition }) };
    const operation = this.options.recorder.invoke(this.options.id, "send", invokeValue);
    const { settings } = this.options;
    const attempts = settings.retries + 1;
    // Java gives a send up after delivery.timeout.ms; kafkajs has no such bound, so it is kept here.
    // kafkajs may go on retrying in the background: the outcome stays unknown (info), as in Java.
    let settled = false;
    const expiry: { timer?: NodeJS.Timeout } = {};
    const settle = (type: "ok" | "fail" | "info", value: SendValue, error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(expiry.timer);
      operation.complete(type, value, error);
    };
    const dispatch = (): Promise<unknown> =>
      this.producer.send({
        topic: this.options.physicalTopic(topic),
        acks: settings.acks,
        timeout: settings.requestTimeoutMs,
        messages: [{ key, value, ...(partition === undefined ? {} : { partition }) }],
      });
    // With one request in flight, Java retries a batch before anything sent later goes out, so send
    // order is kept. kafkajs retries each send() on its own, so here the next send waits for the last.
    const sent = settings.maxInFlightRequests === 1 ? this.chain.then(dispatch, dispatch) : dispatch();
    if (settings.maxInFlightRequests === 1) {
      if (this.chained >= ProducerClient.maximumChained) throw new Error(`producer ${this.options.id}: more than ${ProducerClient.maximumChained} sends waiting`);
      this.chained += 1;
      this.chain = sent.then(
        () => undefined,
        () => undefined,
      ).finally(() => {
        this.chained -= 1;
      });
    }
    const promise = (sent as Promise<Awaited<ReturnType<Producer["send"]>>>)
      .then(
        (metadata) => {
          const first = metadata[0];
          if (settings.acks === 0 || first === undefined || first.baseOffset === undefined || Number(first.baseOffset) < 0) {
            // acks=0: the broker never answers, so nothing is known about the write.
            settle("info", { ...invokeValue, ...(first === undefined ? {} : { partition: first.partition }) }, "NO_ACKNOWLEDGEMENT");
            return;
          }
          settle("ok", { ...invokeValue, partition: first.partition, offset: Number(first.baseOffset) });
        },
        (error: unknown) => {
          const classification = classifySendError(error, attempts);
          settle(classification.type, invokeValue, classification.error);
        },
      )
      .finally(() => {
        this.pending.delete(promise);
      });
    expiry.timer = setTimeout(() => {
      settle("info", invokeValue, "DELIVERY_TIMEOUT");
      this.pending.delete(promise);
    }, settings.deliveryTimeoutMs);
    this.pending.add(promise);
  }

  /** Waits for in-flight sends, at most `boundMs`; returns how many were still open. */
  async settle(boundMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
    });
    await Promise.race([Promise.allSettled([...this.pending]), bound]);
    clearTimeout(timer);
    return this.pending.size;
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
