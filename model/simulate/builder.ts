/**
 * A small builder for hand-made histories (tests, examples, benchmarks): it numbers events, keeps each
 * process's clock moving forward, and writes the header, so a test reads like the story it tells.
 */
import type {
  ClientDescription,
  CommitMode,
  ConfigMap,
  EventType,
  History,
  HistoryEvent,
  HistoryHeader,
  ReadRecord,
  TopicDescription,
} from "../history/event.js";
import { GroupMember } from "./group-member.js";

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
  /** The payload acknowledged at each "topic/partition/offset", so helpers can read by offset. */
  private readonly acknowledged = new Map<string, string>();

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

  /** The record acknowledged at an offset (a helper's read of it); throws when none was. */
  recordAt(topic: string, partition: number, offset: number): ReadRecord {
    const value = this.acknowledged.get(`${topic}/${partition}/${offset}`);
    if (value === undefined) throw new Error(`no send was acknowledged at ${topic}-${partition} offset ${offset}`);
    return { topic, partition, offset, key: this.keyOf(value), value };
  }

  /**
   * A group consumer's story (simulate/group-member.ts): subscribe, rebalance calls, polls by offset,
   * processing, commits, crash, told in the member's words. `member` is the coordinator's member id.
   */
  member(process: string, member: string, topic?: string): GroupMember {
    return new GroupMember(this, process, member, topic);
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
    if (ack.offset !== undefined) this.acknowledged.set(`${topic}/${ack.partition}/${ack.offset}`, value);
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

  /** The coordinator's view of a completed generation (observer `group-generation`). */
  groupGeneration(group: string, generation: number, protocol: string, members: readonly { member: string; client: string; instance?: string; partitions: readonly { topic: string; partition: number }[] }[]): number {
    return this.event("observer", "info", "group-generation", { group, generation, protocol, members });
  }

  /** The coordinator stored a committed offset (observer `offset-committed`). */
  offsetCommitted(group: string, topic: string, partition: number, offset: number, generation: number, member: string): number {
    return this.event("observer", "info", "offset-committed", { group, topic, partition, offset, generation, member });
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

/** A group consumer's header entry: `group.id`, the commit mode, and `enable.auto.commit` to match it. */
export function groupConsumer(group: string, commitMode: CommitMode, config: ConfigMap = {}): ClientDescription {
  return { role: "consumer", config: { "group.id": group, "enable.auto.commit": commitMode === "auto", ...config }, commitMode };
}

export function record(topic: string, partition: number, offset: number, value: string, key: string | null = null): ReadRecord {
  return { topic, partition, offset, key, value };
}
