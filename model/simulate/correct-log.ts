/**
 * A correct log, simulated: producers append to partitions in order, consumers read in order, faults
 * change nothing, final reads return every partition. Its histories are valid by construction, so the
 * checker must find nothing in them (the property tests) and must find exactly the planted anomaly
 * after one mutation. The benchmark uses it to produce a million events.
 */
import type { ClientDescription, ConfigMap, History, ReadRecord } from "../history/event.js";
import { partitionForKey } from "../partitioner/murmur2.js";
import { HistoryBuilder } from "./builder.js";

export type SendOutcome = "ok" | "fail" | "info-written" | "info-unwritten";

export type CorrectLogStep =
  | { readonly op: "send"; readonly producer: number; readonly key: string | null }
  /** Completes the producer's oldest send in flight (a no-op when none is). */
  | { readonly op: "complete"; readonly producer: number; readonly outcome: SendOutcome }
  | { readonly op: "poll"; readonly consumer: number; readonly max: number }
  | { readonly op: "fault"; readonly f: "kill" | "restart" | "pause" | "resume" | "partition" | "heal" | "stop"; readonly broker: number };

export interface CorrectLogOptions {
  readonly topic?: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly topicConfig?: ConfigMap;
  readonly producers: readonly ConfigMap[];
  readonly consumers: number;
  /** Records per final poll. */
  readonly finalBatch?: number;
  /**
   * Brokers in the cluster (3 by default). Every partition's replicas are brokers 1..replicationFactor,
   * written into the header's assignment, so brokers above that hold no replica: their faults explain nothing.
   */
  readonly brokers?: number;
  /** Faults logged after the final reads: too late to explain anything those reads showed. */
  readonly afterFinalReads?: readonly Extract<CorrectLogStep, { op: "fault" }>[];
}

interface InFlight {
  readonly key: string | null;
  readonly value: string;
  readonly partition: number;
}

export function simulateCorrectLog(options: CorrectLogOptions, steps: Iterable<CorrectLogStep>): History {
  const log = new CorrectLog(options);
  for (const step of steps) log.apply(step);
  return log.finish();
}

/** The simulated cluster's state: one log per partition, what each producer has in flight, each consumer's position. */
class CorrectLog {
  private readonly topic: string;
  private readonly partitions: number;
  private readonly builder: HistoryBuilder;
  private readonly logs: ReadRecord[][];
  private readonly inFlight: InFlight[][];
  private readonly sent: number[];
  private readonly roundRobin: number[];
  private readonly positions: number[][];
  private readonly nextPartition: number[];
  /** Brokers down now: a correct cluster refuses acks=all produces while fewer than min ISR are up. */
  private readonly down = new Set<number>();
  private readonly minInsync: number;
  private readonly replicationFactor: number;

  constructor(private readonly options: CorrectLogOptions) {
    const topic = options.topic ?? "events";
    const partitions = options.partitions;
    this.topic = topic;
    this.partitions = partitions;
    const clients: Record<string, ClientDescription> = {};
    options.producers.forEach((config, producer) => (clients[`producer-${producer}`] = { role: "producer", config }));
    for (let consumer = 0; consumer < options.consumers; consumer++) clients[`consumer-${consumer}`] = { role: "consumer", config: {} };
    clients["final-reader"] = { role: "reader", config: { "auto.offset.reset": "earliest" } };
    this.replicationFactor = options.replicationFactor ?? 3;
    const replicas = Array.from({ length: this.replicationFactor }, (_, index) => index + 1);
    this.builder = new HistoryBuilder({
      brokers: Array.from({ length: Math.max(options.brokers ?? 3, replicas.length) }, (_, index) => index + 1),
      topics: [{ name: topic, partitions, replicationFactor: replicas.length, config: options.topicConfig ?? {}, assignment: Array.from({ length: partitions }, () => replicas) }],
      clients,
    });
    this.logs = Array.from({ length: partitions }, () => []);
    this.inFlight = options.producers.map(() => []);
    this.sent = options.producers.map(() => 0);
    this.roundRobin = options.producers.map(() => 0);
    this.positions = Array.from({ length: options.consumers }, () => new Array<number>(partitions).fill(0));
    this.nextPartition = new Array<number>(options.consumers).fill(0);
    this.minInsync = Number(options.topicConfig?.["min.insync.replicas"] ?? 1);
    const allPartitions = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    for (let consumer = 0; consumer < options.consumers; consumer++) {
      this.builder.assign(`consumer-${consumer}`, allPartitions);
      // assign does not say where reading starts; a seek to 0 makes the first poll checkable too.
      for (let partition = 0; partition < partitions; partition++) this.builder.seek(`consumer-${consumer}`, topic, partition, 0);
    }
  }

  apply(step: CorrectLogStep): void {
    if (step.op === "send") this.send(step);
    else if (step.op === "complete") this.complete(step);
    else if (step.op === "poll") this.poll(step);
    else this.fault(step);
  }

  private send(step: Extract<CorrectLogStep, { op: "send" }>): void {
    const queue = this.inFlight[step.producer];
    const count = this.sent[step.producer];
    if (queue === undefined || count === undefined) throw new RangeError(`no producer ${step.producer}`);
    const value = `p${step.producer}-${count}`;
    this.sent[step.producer] = count + 1;
    let partition: number;
    if (step.key !== null) {
      partition = partitionForKey(step.key, this.partitions);
    } else {
      partition = (this.roundRobin[step.producer] ?? 0) % this.partitions;
      this.roundRobin[step.producer] = partition + 1;
    }
    this.builder.sendInvoke(`producer-${step.producer}`, this.topic, step.key, value);
    queue.push({ key: step.key, value, partition });
  }

  private complete(step: Extract<CorrectLogStep, { op: "complete" }>): void {
    const send = this.inFlight[step.producer]?.shift();
    if (send === undefined) return;
    const { builder, topic } = this;
    const process = `producer-${step.producer}`;
    const log = this.logs[send.partition] as ReadRecord[];
    const acks = String(this.options.producers[step.producer]?.acks ?? "all");
    const downReplicas = [...this.down].filter((broker) => broker <= this.replicationFactor).length;
    const refused = (acks === "all" || acks === "-1") && this.replicationFactor - downReplicas < this.minInsync;
    const outcome: SendOutcome = refused && step.outcome === "ok" ? "fail" : step.outcome;
    const appended = outcome === "ok" || outcome === "info-written";
    const offset = log.length;
    if (appended) log.push({ topic, partition: send.partition, offset, key: send.key, value: send.value });
    if (outcome === "ok") {
      builder.sendOk(process, topic, send.key, send.value, { partition: send.partition, ...(acks === "0" ? {} : { offset }) });
    } else if (outcome === "fail") {
      builder.sendFailed(process, topic, send.key, send.value, "fail", refused ? "NOT_ENOUGH_REPLICAS" : "INVALID_RECORD");
    } else {
      builder.sendFailed(process, topic, send.key, send.value, "info", "REQUEST_TIMED_OUT");
    }
  }

  private poll(step: Extract<CorrectLogStep, { op: "poll" }>): void {
    const position = this.positions[step.consumer];
    if (position === undefined) throw new RangeError(`no consumer ${step.consumer}`);
    const records: ReadRecord[] = [];
    // Round-robin over partitions, each read in offset order from the consumer's position.
    for (let turn = 0; turn < this.partitions && records.length < step.max; turn++) {
      const partition = ((this.nextPartition[step.consumer] ?? 0) + turn) % this.partitions;
      const log = this.logs[partition] as ReadRecord[];
      while ((position[partition] as number) < log.length && records.length < step.max) {
        records.push(log[position[partition] as number] as ReadRecord);
        position[partition] = (position[partition] as number) + 1;
      }
    }
    this.nextPartition[step.consumer] = ((this.nextPartition[step.consumer] ?? 0) + 1) % this.partitions;
    this.builder.poll(`consumer-${step.consumer}`, records);
  }

  private fault(step: Extract<CorrectLogStep, { op: "fault" }>): void {
    if (step.f === "kill" || step.f === "pause" || step.f === "stop") this.down.add(step.broker);
    if (step.f === "restart" || step.f === "resume") this.down.delete(step.broker);
    this.builder.nemesis(step.f, [`broker-${step.broker}`]);
  }

  /** Final reads of every partition, the end offsets, then the faults logged too late to matter. */
  finish(): History {
    const { builder, topic } = this;
    const batch = this.options.finalBatch ?? 500;
    for (let partition = 0; partition < this.partitions; partition++) {
      const log = this.logs[partition] as ReadRecord[];
      for (let start = 0; start === 0 || start < log.length; start += batch) {
        builder.poll("final-reader", log.slice(start, start + batch), true);
      }
    }
    builder.endOffsets(this.logs.map((log, partition) => ({ topic, partition, startOffset: 0, endOffset: log.length })));
    for (const fault of this.options.afterFinalReads ?? []) builder.nemesis(fault.f, [`broker-${fault.broker}`]);
    return builder.build();
  }
}
