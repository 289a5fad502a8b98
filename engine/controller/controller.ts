import type { EngineContext } from "../context.js";
import { brokerNodeName } from "../context.js";
import { readTopicSettings, type TopicSettings } from "../broker/settings.js";
import type { SimulatedNode } from "../network/node.js";
import type { ErrorCode } from "../protocol/errors.js";
import type { Message, MetadataRecord, PartitionRecord } from "../protocol/messages.js";
import { assert } from "../simulation/assert.js";
import type { Disk } from "../storage/disk.js";
import { chooseLeader, nextElr, shrinkIsr } from "./election.js";

type TopicConfig = Readonly<Record<string, string | number | boolean>>;

/** The controller's durable state: KRaft keeps it in the fsynced metadata log, so it survives anything. */
export interface ControllerState {
  readonly records: MetadataRecord[];
  readonly brokers: Map<number, { epoch: number; fenced: boolean }>;
  readonly topics: Map<string, { config: TopicConfig; settings: TopicSettings; partitions: PartitionRecord[] }>;
  nextBrokerEpoch: number;
  nextProducerIdBlock: number;
}

const producerIdBlockSize = 1_000_000;
/** A heartbeat response carries at most this many metadata records; the broker asks again for more. */
const maxRecordsPerResponse = 5_000;

/**
 * The active KRaft controller: owns metadata, tracks broker liveness by heartbeats and session
 * timeouts, fences brokers, elects leaders, applies ISR changes the leaders propose (AlterPartition),
 * and creates topics and partitions. Brokers learn changes by push and, as a backstop, in heartbeat
 * responses (pull), so a lost push is repaired on the next heartbeat.
 */
export class Controller {
  private readonly state: ControllerState;
  private readonly lastHeartbeatMs = new Map<number, number>();
  /** The metadata offset a registering broker must reach before it is unfenced. */
  private readonly catchUpTarget = new Map<number, number>();
  private pushedUpTo: number;

  constructor(
    private readonly node: SimulatedNode,
    disk: Disk,
    private readonly context: EngineContext,
  ) {
    if (disk.controllerState === undefined) {
      const fresh: ControllerState = { records: [], brokers: new Map(), topics: new Map(), nextBrokerEpoch: 0, nextProducerIdBlock: 0 };
      disk.controllerState = fresh;
    }
    this.state = disk.controllerState as ControllerState;
    this.pushedUpTo = this.state.records.length;
    // After a controller restart every broker gets a fresh session instead of being fenced at once.
    for (const brokerId of this.state.brokers.keys()) this.lastHeartbeatMs.set(brokerId, context.scheduler.nowMs);
    this.scheduleSessionCheck();
  }

  get metadataOffset(): number {
    return this.state.records.length;
  }

  partitionStates(topic: string): readonly PartitionRecord[] | undefined {
    return this.state.topics.get(topic)?.partitions;
  }

  isFenced(brokerId: number): boolean {
    return this.state.brokers.get(brokerId)?.fenced ?? true;
  }

  /**
   * Controlled shutdown (SIGTERM): leadership moves away and the broker leaves the ISRs before it
   * exits. The request/response handshake is collapsed into this one call.
   */
  controlledShutdown(brokerId: number): void {
    const broker = this.state.brokers.get(brokerId);
    if (broker === undefined || broker.fenced) return;
    this.trace(`controlled shutdown broker ${brokerId}`);
    this.fenceBroker(brokerId);
    this.pushNewRecords();
  }

  handle(from: string, message: Message): boolean {
    switch (message.kind) {
      case "register":
        this.onRegister(from, message);
        break;
      case "heartbeat":
        this.onHeartbeat(from, message);
        break;
      case "alter-partition":
        this.onAlterPartition(from, message);
        break;
      case "create-topic":
        this.respondAdmin(from, message.requestId, this.createTopic(message.topic, message.partitions, message.replicationFactor, message.config));
        break;
      case "create-partitions":
        this.respondAdmin(from, message.requestId, this.createPartitions(message.topic, message.totalCount));
        break;
      default:
        return false;
    }
    this.pushNewRecords();
    return true;
  }

  private send(to: string, message: Message): void {
    this.context.network.send(this.node, to, message);
  }

  private trace(text: string): void {
    this.context.trace.record(this.context.scheduler.nowMs, this.node.name, text);
  }

  private append(record: MetadataRecord): void {
    assert(record.offset === this.state.records.length, "metadata offsets are dense");
    this.state.records.push(record);
  }

  private pushNewRecords(): void {
    if (this.pushedUpTo === this.state.records.length) return;
    const records = this.state.records.slice(this.pushedUpTo);
    this.pushedUpTo = this.state.records.length;
    for (const brokerId of this.state.brokers.keys()) this.send(brokerNodeName(brokerId), { kind: "metadata-push", records });
  }

  private scheduleSessionCheck(): void {
    const interval = Math.max(1, Math.min(this.context.brokerSettings.brokerHeartbeatIntervalMs, this.context.brokerSettings.brokerSessionTimeoutMs / 4));
    this.node.timer(interval, () => {
      const now = this.context.scheduler.nowMs;
      for (const [brokerId, broker] of this.state.brokers) {
        if (broker.fenced) continue;
        const last = this.lastHeartbeatMs.get(brokerId) ?? now;
        if (now - last > this.context.brokerSettings.brokerSessionTimeoutMs) {
          this.trace(`fence broker ${brokerId} session expired`);
          this.fenceBroker(brokerId);
        }
      }
      this.electOfflinePartitions();
      this.pushNewRecords();
      this.scheduleSessionCheck();
    });
  }

  private onRegister(from: string, message: Extract<Message, { kind: "register" }>): void {
    const previous = this.state.brokers.get(message.brokerId);
    if (previous !== undefined && !previous.fenced) {
      this.trace(`fence broker ${message.brokerId} re-registered`);
      this.fenceBroker(message.brokerId);
    }
    const epoch = ++this.state.nextBrokerEpoch;
    this.state.brokers.set(message.brokerId, { epoch, fenced: true });
    this.lastHeartbeatMs.set(message.brokerId, this.context.scheduler.nowMs);
    this.catchUpTarget.set(message.brokerId, this.state.records.length);
    if (!message.cleanShutdown) this.dropFromElr(message.brokerId);
    const producerIdBlockStart = this.state.nextProducerIdBlock;
    this.state.nextProducerIdBlock += producerIdBlockSize;
    this.trace(`register broker ${message.brokerId} epoch ${epoch} clean=${message.cleanShutdown}`);
    this.send(from, { kind: "register-response", brokerEpoch: epoch, producerIdBlockStart });
  }

  private onHeartbeat(from: string, message: Extract<Message, { kind: "heartbeat" }>): void {
    const broker = this.state.brokers.get(message.brokerId);
    if (broker === undefined || broker.epoch !== message.brokerEpoch) {
      this.send(from, { kind: "heartbeat-response", error: "STALE_BROKER_EPOCH", fenced: true, records: [] });
      return;
    }
    this.lastHeartbeatMs.set(message.brokerId, this.context.scheduler.nowMs);
    if (broker.fenced && message.metadataOffset >= (this.catchUpTarget.get(message.brokerId) ?? 0)) this.unfenceBroker(message.brokerId);
    const records = this.state.records.slice(message.metadataOffset, message.metadataOffset + maxRecordsPerResponse);
    this.send(from, { kind: "heartbeat-response", error: null, fenced: broker.fenced, records });
  }

  private fenceBroker(brokerId: number): void {
    const broker = this.state.brokers.get(brokerId);
    assert(broker !== undefined, `fence of unknown broker ${brokerId}`);
    broker.fenced = true;
    this.append({ type: "broker", offset: this.state.records.length, brokerId, fenced: true });
    for (const [topic, entry] of this.state.topics) {
      for (const partition of entry.partitions) {
        if (!partition.replicas.includes(brokerId)) continue;
        if (!partition.isr.includes(brokerId) && partition.leader !== brokerId) continue;
        const shrunk = shrinkIsr(partition.isr, partition.elr, [brokerId], entry.settings.minInsyncReplicas, this.context.brokerSettings.eligibleLeaderReplicas);
        if (partition.leader === brokerId) this.elect(topic, partition, shrunk.isr, shrunk.elr, entry.settings);
        else this.change(partition, { ...partition, isr: shrunk.isr, elr: shrunk.elr }, false);
      }
    }
  }

  private unfenceBroker(brokerId: number): void {
    const broker = this.state.brokers.get(brokerId)!;
    broker.fenced = false;
    this.trace(`unfence broker ${brokerId}`);
    this.append({ type: "broker", offset: this.state.records.length, brokerId, fenced: false });
    this.electOfflinePartitions();
  }

  /** Unclean restarts may have lost data, so they no longer count as eligible leader replicas (KIP-966). */
  private dropFromElr(brokerId: number): void {
    for (const entry of this.state.topics.values()) {
      for (const partition of entry.partitions) {
        if (partition.elr.includes(brokerId)) this.change(partition, { ...partition, elr: partition.elr.filter((replica) => replica !== brokerId) }, false);
      }
    }
  }

  private electOfflinePartitions(): void {
    for (const [topic, entry] of this.state.topics) {
      for (const partition of entry.partitions) {
        if (partition.leader === null) this.elect(topic, partition, partition.isr, partition.elr, entry.settings);
      }
    }
  }

  private isLive = (brokerId: number): boolean => this.state.brokers.get(brokerId)?.fenced === false;

  private elect(topic: string, partition: PartitionRecord, isr: readonly number[], elr: readonly number[], settings: TopicSettings): void {
    const outcome = chooseLeader({
      replicas: partition.replicas,
      isr,
      elr,
      lastKnownLeader: this.context.brokerSettings.eligibleLeaderReplicas ? partition.lastKnownLeader : null,
      uncleanAllowed: settings.uncleanLeaderElection,
      forceUnclean: this.context.bugs.has("unclean-election-always"),
      isLive: this.isLive,
    });
    if (outcome.leader === null && partition.leader === null && sameMembers(isr, partition.isr) && sameMembers(elr, partition.elr)) return;
    const next: PartitionRecord = {
      ...partition,
      leader: outcome.leader,
      isr: outcome.isr,
      elr: outcome.elr,
      lastKnownLeader: outcome.leader === null ? (partition.leader ?? partition.lastKnownLeader) : null,
    };
    const leaderChanged = outcome.leader !== partition.leader;
    this.change(partition, next, leaderChanged);
    if (leaderChanged && outcome.leader !== null) {
      const epoch = partition.leaderEpoch + 1;
      this.trace(`elect ${topic}-${partition.partition} leader ${outcome.leader} epoch ${epoch}${outcome.unclean ? " unclean" : ""} isr [${outcome.isr.join(",")}]`);
      this.context.reportElection({ topic, partition: partition.partition, leader: outcome.leader, epoch, unclean: outcome.unclean, timeMs: this.context.scheduler.nowMs });
    } else if (leaderChanged) {
      this.trace(`offline ${topic}-${partition.partition} epoch ${partition.leaderEpoch + 1} isr [${outcome.isr.join(",")}] elr [${outcome.elr.join(",")}]`);
    }
  }

  /** Replaces a partition's state with the next partition epoch (and leader epoch when the leader changed). */
  private change(current: PartitionRecord, next: PartitionRecord, leaderChanged: boolean): PartitionRecord {
    const entry = this.state.topics.get(current.topic);
    assert(entry !== undefined && entry.partitions[current.partition] === current, "changing a stale partition state");
    const state: PartitionRecord = {
      ...next,
      leaderEpoch: leaderChanged ? current.leaderEpoch + 1 : current.leaderEpoch,
      partitionEpoch: current.partitionEpoch + 1,
    };
    assert(state.leader === null || state.replicas.includes(state.leader), "leader outside the replicas");
    entry.partitions[current.partition] = state;
    this.append({ type: "partition", offset: this.state.records.length, state });
    return state;
  }

  private onAlterPartition(from: string, message: Extract<Message, { kind: "alter-partition" }>): void {
    const reply = (error: ErrorCode | null, state: PartitionRecord | null): void =>
      this.send(from, { kind: "alter-partition-response", topic: message.topic, partition: message.partition, error, state });
    const broker = this.state.brokers.get(message.brokerId);
    const entry = this.state.topics.get(message.topic);
    const partition = entry?.partitions[message.partition];
    if (broker === undefined || broker.epoch !== message.brokerEpoch) return reply("STALE_BROKER_EPOCH", null);
    if (entry === undefined || partition === undefined) return reply("UNKNOWN_TOPIC_OR_PARTITION", null);
    if (partition.leader !== message.brokerId || partition.leaderEpoch !== message.leaderEpoch) return reply("FENCED_LEADER_EPOCH", partition);
    if (partition.partitionEpoch !== message.partitionEpoch) return reply("INVALID_UPDATE_VERSION", partition);
    const added = message.isr.filter((replica) => !partition.isr.includes(replica));
    if (!message.isr.includes(message.brokerId) || message.isr.some((replica) => !partition.replicas.includes(replica))) return reply("INVALID_UPDATE_VERSION", partition);
    if (added.some((replica) => !this.isLive(replica))) return reply("INELIGIBLE_REPLICA", partition);
    const elr = this.context.brokerSettings.eligibleLeaderReplicas ? nextElr(partition.isr, message.isr, partition.elr, entry.settings.minInsyncReplicas) : [];
    const state = this.change(partition, { ...partition, isr: [...message.isr], elr }, false);
    this.trace(`isr ${message.topic}-${message.partition} [${state.isr.join(",")}] partition epoch ${state.partitionEpoch}`);
    reply(null, state);
  }

  private respondAdmin(to: string, requestId: number, outcome: { error: ErrorCode | null; message: string }): void {
    this.send(to, { kind: "admin-response", requestId, error: outcome.error, message: outcome.message });
  }

  private assignReplicas(firstPartition: number, count: number, replicationFactor: number): number[][] {
    const live = [...this.state.brokers.entries()].filter(([, broker]) => !broker.fenced).map(([brokerId]) => brokerId).sort((a, b) => a - b);
    const start = this.context.random.integerBetween(0, live.length - 1);
    const assignments: number[][] = [];
    for (let partition = firstPartition; partition < firstPartition + count; partition++) {
      const replicas: number[] = [];
      for (let index = 0; index < replicationFactor; index++) replicas.push(live[(start + partition + index) % live.length]!);
      assignments.push(replicas);
    }
    return assignments;
  }

  private liveBrokerCount(): number {
    return [...this.state.brokers.values()].filter((broker) => !broker.fenced).length;
  }

  private createTopic(topic: string, partitions: number, replicationFactor: number, config: TopicConfig): { error: ErrorCode | null; message: string } {
    if (this.state.topics.has(topic)) return { error: "TOPIC_ALREADY_EXISTS", message: `Topic '${topic}' already exists.` };
    if (!Number.isInteger(partitions) || partitions < 1) return { error: "INVALID_PARTITIONS", message: `partitions: ${partitions} is not allowed; use an integer >= 1` };
    const live = this.liveBrokerCount();
    if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > live) {
      return { error: "INVALID_REPLICATION_FACTOR", message: `replicationFactor: ${replicationFactor} is not allowed; use an integer in [1, ${live}] (live brokers)` };
    }
    let settings: TopicSettings;
    try {
      settings = readTopicSettings(config, this.context.brokerSettings);
    } catch (error) {
      return { error: "INVALID_CONFIG", message: (error as Error).message };
    }
    if (settings.minInsyncReplicas > replicationFactor) {
      return { error: "INVALID_CONFIG", message: `min.insync.replicas: ${settings.minInsyncReplicas} is not allowed; it must be at most the replication factor ${replicationFactor}` };
    }
    const entry = { config, settings, partitions: [] as PartitionRecord[] };
    this.state.topics.set(topic, entry);
    this.append({ type: "topic", offset: this.state.records.length, topic, partitions, config });
    this.trace(`create topic ${topic} partitions ${partitions} replication ${replicationFactor}`);
    this.addPartitions(topic, entry, 0, partitions, replicationFactor);
    return { error: null, message: "" };
  }

  private addPartitions(topic: string, entry: { partitions: PartitionRecord[] }, first: number, count: number, replicationFactor: number): void {
    const assignments = this.assignReplicas(first, count, replicationFactor);
    for (let index = 0; index < count; index++) {
      const replicas = assignments[index]!;
      const state: PartitionRecord = { topic, partition: first + index, replicas, leader: replicas[0]!, leaderEpoch: 0, partitionEpoch: 0, isr: replicas, elr: [], lastKnownLeader: null };
      entry.partitions.push(state);
      this.append({ type: "partition", offset: this.state.records.length, state });
      this.trace(`elect ${topic}-${state.partition} leader ${replicas[0]} epoch 0 isr [${replicas.join(",")}]`);
      this.context.reportElection({ topic, partition: state.partition, leader: replicas[0]!, epoch: 0, unclean: false, timeMs: this.context.scheduler.nowMs });
    }
  }

  private createPartitions(topic: string, totalCount: number): { error: ErrorCode | null; message: string } {
    const entry = this.state.topics.get(topic);
    if (entry === undefined) return { error: "UNKNOWN_TOPIC_OR_PARTITION", message: `Topic '${topic}' does not exist.` };
    const current = entry.partitions.length;
    if (!Number.isInteger(totalCount) || totalCount <= current) {
      return {
        error: "INVALID_PARTITIONS",
        message: totalCount === current ? `Topic already has ${current} partitions.` : `Topic currently has ${current} partitions, which is higher than the requested ${totalCount}.`,
      };
    }
    const replicationFactor = entry.partitions[0]!.replicas.length;
    if (replicationFactor > this.liveBrokerCount()) {
      return { error: "INVALID_REPLICATION_FACTOR", message: `replication factor ${replicationFactor} is larger than the ${this.liveBrokerCount()} live brokers` };
    }
    this.append({ type: "topic", offset: this.state.records.length, topic, partitions: totalCount, config: entry.config });
    this.trace(`add partitions ${topic} ${current} -> ${totalCount}`);
    this.addPartitions(topic, entry, current, totalCount - current, replicationFactor);
    return { error: null, message: "" };
  }
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((member) => b.includes(member));
}

/** The partitions of a topic as the controller's durable metadata has them (readable while it is down). */
export function readPartitionStates(disk: Disk, topic: string): readonly PartitionRecord[] | undefined {
  const state = disk.controllerState as ControllerState | undefined;
  return state?.topics.get(topic)?.partitions;
}
