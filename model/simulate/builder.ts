/**
 * A small builder for hand-made histories (tests, examples, benchmarks): it numbers events, keeps each
 * process's clock moving forward, and writes the header, so a test reads like the story it tells.
 */
import type {
  ClientDescription,
  ConfigMap,
  EventType,
  History,
  HistoryEvent,
  HistoryHeader,
  ReadRecord,
  TopicDescription,
} from "../history/event.js";

export interface BuilderSetup {
  readonly brokers?: readonly number[];
  readonly broker?: ConfigMap;
  readonly topics: readonly TopicDescription[];
  readonly clients: Readonly<Record<string, ClientDescription>>;
  readonly target?: string;
  /** The client library that produced the history (header.client). */
  readonly client?: { readonly name: string; readonly version: string };
}

export interface Acknowledgement {
  readonly partition: number;
  readonly offset?: number;
}

export class HistoryBuilder {
  readonly header: HistoryHeader;
  private readonly events: HistoryEvent[] = [];
  /** One shared clock: every event is 1 ns after the previous one, so no process goes backwards. */
  time = 0;
  /** The key each payload was sent with, so reads made by helpers carry the right key. */
  private readonly keys = new Map<string, string | null>();

  constructor(setup: BuilderSetup) {
    this.header = {
      kind: "kafka-harness-history",
      version: 1,
      target: setup.target ?? "hand-made",
      kafkaVersion: "4.1",
      brokers: setup.brokers ?? [1, 2, 3],
      broker: setup.broker ?? {},
      topics: setup.topics,
      clients: setup.clients,
      ...(setup.client === undefined ? {} : { client: setup.client }),
    };
  }

  /** The key `value` was sent with (null when keyless or never sent). */
  keyOf(value: string): string | null {
    return this.keys.get(value) ?? null;
  }

  get length(): number {
    return this.events.length;
  }

  event(process: string, type: EventType, f: string, value?: unknown, error?: string): number {
    const index = this.events.length;
    this.time += 1;
    const event: HistoryEvent = {
      index,
      time: this.time,
      process,
      type,
      f,
      ...(value === undefined ? {} : { value }),
      ...(error === undefined ? {} : { error }),
    };
    this.events.push(event);
    return index;
  }

  sendInvoke(process: string, topic: string, key: string | null, value: string, partition?: number): number {
    this.keys.set(value, key);
    return this.event(process, "invoke", "send", { topic, key, value, ...(partition === undefined ? {} : { partition }) });
  }

  sendOk(process: string, topic: string, key: string | null, value: string, ack: Acknowledgement): number {
    return this.event(process, "ok", "send", { topic, key, value, partition: ack.partition, ...(ack.offset === undefined ? {} : { offset: ack.offset }) });
  }

  sendFailed(process: string, topic: string, key: string | null, value: string, type: "fail" | "info", error: string): number {
    return this.event(process, type, "send", { topic, key, value }, error);
  }

  /** invoke + ok in one step. */
  send(process: string, topic: string, key: string | null, value: string, ack: Acknowledgement): number {
    this.sendInvoke(process, topic, key, value);
    return this.sendOk(process, topic, key, value, ack);
  }

  poll(process: string, records: readonly ReadRecord[], final = false): number {
    this.event(process, "invoke", "poll", final ? { final: true } : undefined);
    return this.event(process, "ok", "poll", { records });
  }

  assign(process: string, partitions: readonly { topic: string; partition: number }[]): number {
    this.event(process, "invoke", "assign", { partitions });
    return this.event(process, "ok", "assign", { partitions });
  }

  seek(process: string, topic: string, partition: number, offset: number): number {
    this.event(process, "invoke", "seek", { topic, partition, offset });
    return this.event(process, "ok", "seek", { topic, partition, offset });
  }

  nemesis(f: string, nodes: readonly string[]): number {
    this.event("nemesis", "invoke", f, { nodes });
    return this.event("nemesis", "info", f, { nodes });
  }

  /**
   * A fault as the engine records it: the invocation says what the scenario asked for, only the
   * completion names the nodes it actually hit (`[]` for a fault with no effect) and the links it cut.
   */
  fault(f: string, hit: readonly string[], cuts?: readonly (readonly [string, string])[]): number {
    this.event("nemesis", "invoke", f, { description: `${f} as the scenario said it` });
    return this.event("nemesis", "ok", f, { nodes: hit, ...(cuts === undefined ? {} : { cuts }) });
  }

  election(topic: string, partition: number, leader: number, epoch: number, unclean = false): number {
    return this.event("observer", "info", "leader-elected", { topic, partition, leader, epoch, unclean });
  }

  endOffsets(offsets: readonly { topic: string; partition: number; startOffset: number; endOffset: number }[]): number {
    this.event("final-reader", "invoke", "end-offsets");
    return this.event("final-reader", "ok", "end-offsets", { offsets });
  }

  build(): History {
    return { header: this.header, events: [...this.events] };
  }
}

export function record(topic: string, partition: number, offset: number, value: string, key: string | null = null): ReadRecord {
  return { topic, partition, offset, key, value };
}
