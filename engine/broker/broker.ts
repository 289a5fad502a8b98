import type { EngineContext } from "../context.js";
import type { SimulatedNode } from "../network/node.js";
import type { ErrorCode } from "../protocol/errors.js";
import type { ConsumerFetchResult, Message, MetadataRecord, PartitionRecord, ProducePartitionResult } from "../protocol/messages.js";
import { assert } from "../simulation/assert.js";
import type { Disk } from "../storage/disk.js";
import { GroupCoordinator } from "../group/coordinator/coordinator.js";
import { isGroupRequest, offsetsTopic, type GroupPartition, type GroupResponse } from "../protocol/group-messages.js";
import { isTransactionRequest, transactionStateTopic } from "../protocol/transaction-messages.js";
import { TransactionCoordinator } from "../transaction/coordinator/transaction-coordinator.js";
import { PartitionReplica, type ReplicaHost } from "./partition-replica.js";
import { readTopicSettings, type TopicSettings } from "./settings.js";

interface TopicMetadata {
  partitions: number;
  settings: TopicSettings;
  readonly states: PartitionRecord[];
}

/** How long a marker waits for replication before its coordinator hears a timeout (below the coordinator's request timeout). */
const markerAppendTimeoutMs = 5_000;

/** How often the broker checks time-based flushes when some topic has flush.ms set. */
const flushCheckIntervalMs = 100;

/**
 * A broker process. Its memory (this object) dies with the process; its disk does not. It registers
 * with the controller, heartbeats, follows the metadata log, hosts partition replicas and answers
 * clients (metadata, InitProducerId, produce, fetch, list offsets).
 */
export class Broker implements ReplicaHost {
  brokerEpoch = -1;
  private metadataOffset = 0;
  private readonly topics = new Map<string, TopicMetadata>();
  private readonly replicas = new Map<string, PartitionReplica>();
  private requestCounter = 0;
  private nextProducerId = 0;
  private producerIdEnd = 0;
  private readonly cleanStart: boolean;
  private readonly coordinator: GroupCoordinator;
  private readonly transactionCoordinator: TransactionCoordinator;

  constructor(
    readonly brokerId: number,
    private readonly node: SimulatedNode,
    private readonly disk: Disk,
    readonly context: EngineContext,
  ) {
    this.coordinator = new GroupCoordinator({
      brokerId,
      context,
      send: (to: string, message: GroupResponse) => this.send(to, message),
      timer: (delayMs: number, action: () => void) => this.timer(delayMs, action),
      trace: (text: string) => this.trace(text),
      replica: (topic: string, partition: number) => this.replica(topic, partition),
      offsetsLeaders: () => this.offsetsLeaders(),
    });
    this.transactionCoordinator = new TransactionCoordinator({
      brokerId,
      context,
      send: (to, message) => this.send(to, message),
      timer: (delayMs, action) => this.timer(delayMs, action),
      trace: (text) => this.trace(text),
      nextRequestId: () => this.nextRequestId(),
      replica: (topic, partition) => this.replica(topic, partition),
      stateLeaders: () => this.leadersOf(transactionStateTopic),
      leaderOf: (topic, partition) => this.topics.get(topic)?.states[partition]?.leader ?? null,
      allocateProducerId: () => (this.brokerEpoch < 0 || this.nextProducerId >= this.producerIdEnd ? null : this.nextProducerId++),
    });
    this.cleanStart = disk.cleanShutdown;
    disk.cleanShutdown = false;
    for (const log of disk.allLogs()) log.recover();
    this.trace(`start clean=${this.cleanStart}`);
    this.register();
    this.heartbeatLoop();
    this.isrLoop();
    this.checkpointLoop();
    this.flushLoop();
  }

  // ReplicaHost
  send(to: string, message: Message): void {
    this.context.network.send(this.node, to, message);
  }
  timer(delayMs: number, action: () => void): void {
    this.node.timer(delayMs, action);
  }
  trace(text: string): void {
    this.context.trace.record(this.context.scheduler.nowMs, this.node.name, text);
  }
  nextRequestId(): number {
    return ++this.requestCounter;
  }

  replica(topic: string, partition: number): PartitionReplica | undefined {
    return this.replicas.get(`${topic}-${partition}`);
  }

  allReplicas(): IterableIterator<PartitionReplica> {
    return this.replicas.values();
  }

  /** Clean shutdown (SIGTERM): flush every log and the high watermark checkpoint, mark the disk clean. */
  shutdownCleanly(): void {
    for (const replica of this.replicas.values()) {
      replica.log.flush(this.context.scheduler.nowMs);
      replica.checkpointHighWatermark();
    }
    this.disk.cleanShutdown = true;
    this.trace("clean shutdown");
  }

  private register(): void {
    if (this.brokerEpoch >= 0) return;
    this.send(this.context.controllerNode, { kind: "register", brokerId: this.brokerId, incarnation: this.node.incarnation, cleanShutdown: this.cleanStart });
    this.node.timer(this.context.brokerSettings.brokerHeartbeatIntervalMs, () => this.register());
  }

  private heartbeatLoop(): void {
    if (this.brokerEpoch >= 0) {
      this.send(this.context.controllerNode, { kind: "heartbeat", brokerId: this.brokerId, brokerEpoch: this.brokerEpoch, metadataOffset: this.metadataOffset });
    }
    this.node.timer(this.context.brokerSettings.brokerHeartbeatIntervalMs, () => this.heartbeatLoop());
  }

  private isrLoop(): void {
    this.node.timer(this.context.brokerSettings.replicaLagTimeMaxMs / 2, () => {
      for (const replica of this.replicas.values()) replica.maybeShrinkIsr();
      this.isrLoop();
    });
  }

  private checkpointLoop(): void {
    this.node.timer(this.context.brokerSettings.highWatermarkCheckpointIntervalMs, () => {
      for (const replica of this.replicas.values()) replica.checkpointHighWatermark();
      this.checkpointLoop();
    });
  }

  private flushLoop(): void {
    this.node.timer(flushCheckIntervalMs, () => {
      for (const replica of this.replicas.values()) if (Number.isFinite(replica.settings.flushMs)) replica.flushIfDue();
      this.flushLoop();
    });
  }

  /** Leaders of the offsets topic's partitions as this broker's metadata has them (null before the topic exists). */
  private offsetsLeaders(): readonly (number | null)[] | null {
    return this.leadersOf(offsetsTopic);
  }

  private leadersOf(topic: string): readonly (number | null)[] | null {
    const metadata = this.topics.get(topic);
    if (metadata === undefined) return null;
    return Array.from({ length: metadata.partitions }, (_, partition) => metadata.states[partition]?.leader ?? null);
  }

  handle(from: string, message: Message): void {
    if (isGroupRequest(message)) return this.coordinator.handle(from, message);
    if (isTransactionRequest(message)) return this.transactionCoordinator.handle(from, message);
    switch (message.kind) {
      case "register-response":
        if (this.brokerEpoch < 0) {
          this.brokerEpoch = message.brokerEpoch;
          this.nextProducerId = message.producerIdBlockStart;
          this.producerIdEnd = message.producerIdBlockStart + 1_000_000;
          this.heartbeatNow();
        }
        return;
      case "heartbeat-response":
        if (message.error === "STALE_BROKER_EPOCH") {
          this.brokerEpoch = -1;
          this.register();
          return;
        }
        this.applyMetadata(message.records);
        return;
      case "metadata-push":
        this.applyMetadata(message.records);
        return;
      case "alter-partition-response":
        this.replica(message.topic, message.partition)?.onAlterPartitionResponse(message);
        return;
      case "replica-fetch":
        return this.onReplicaFetch(from, message);
      case "replica-fetch-response":
        this.replica(message.topic, message.partition)?.onReplicaFetchResponse(message);
        return;
      case "metadata-request":
        return this.onMetadataRequest(from, message);
      case "init-producer-id":
        return this.onInitProducerId(from, message.requestId);
      case "produce":
        return this.onProduce(from, message);
      case "fetch":
        return this.onFetch(from, message);
      case "list-offsets":
        return this.onListOffsets(from, message);
      case "offsets-for-leader-epoch":
        return this.onOffsetsForLeaderEpoch(from, message);
      case "write-transaction-markers":
        return this.onWriteTransactionMarkers(from, message);
      case "write-transaction-markers-response":
        return this.transactionCoordinator.markers.onResponse(message);
      default:
        return;
    }
  }

  private heartbeatNow(): void {
    this.send(this.context.controllerNode, { kind: "heartbeat", brokerId: this.brokerId, brokerEpoch: this.brokerEpoch, metadataOffset: this.metadataOffset });
  }

  /** Applies the contiguous prefix of new records, then reconciles each touched partition once. */
  private applyMetadata(records: readonly MetadataRecord[]): void {
    const touched = new Map<string, PartitionRecord>();
    for (const record of records) {
      if (record.offset < this.metadataOffset) continue;
      if (record.offset > this.metadataOffset) {
        // A push overtook an earlier one (or one was lost): catch up through a heartbeat now.
        if (this.brokerEpoch >= 0) this.heartbeatNow();
        break;
      }
      this.metadataOffset++;
      if (record.type === "topic") {
        const existing = this.topics.get(record.topic);
        const settings = readTopicSettings(record.config, this.context.brokerSettings);
        if (existing === undefined) this.topics.set(record.topic, { partitions: record.partitions, settings, states: [] });
        else existing.partitions = record.partitions;
      } else if (record.type === "partition") {
        const topic = this.topics.get(record.state.topic);
        assert(topic !== undefined, `partition record before its topic: ${record.state.topic}`);
        topic.states[record.state.partition] = record.state;
        touched.set(`${record.state.topic}-${record.state.partition}`, record.state);
      }
    }
    for (const [key, state] of touched) {
      if (!state.replicas.includes(this.brokerId)) continue;
      let replica = this.replicas.get(key);
      if (replica === undefined) {
        const settings = this.topics.get(state.topic)!.settings;
        replica = new PartitionReplica(this, state.topic, state.partition, this.disk.log(state.topic, state.partition), settings);
        this.replicas.set(key, replica);
      }
      replica.applyState(state);
      if (state.topic === offsetsTopic) this.coordinator.onOffsetsPartition(replica);
      if (state.topic === transactionStateTopic) this.transactionCoordinator.onStatePartition(replica);
    }
  }

  private onReplicaFetch(from: string, request: Extract<Message, { kind: "replica-fetch" }>): void {
    const replica = this.replica(request.topic, request.partition);
    if (replica === undefined) {
      this.send(from, {
        kind: "replica-fetch-response",
        requestId: request.requestId,
        topic: request.topic,
        partition: request.partition,
        error: "NOT_LEADER_OR_FOLLOWER",
        highWatermark: 0,
        leaderLogEndOffset: 0,
        batches: [],
        divergingEpoch: null,
      });
      return;
    }
    replica.onReplicaFetch(from, request);
  }

  private onMetadataRequest(from: string, request: Extract<Message, { kind: "metadata-request" }>): void {
    const topics = request.topics.map((topic) => {
      const metadata = this.topics.get(topic);
      if (metadata === undefined) return { topic, error: "UNKNOWN_TOPIC_OR_PARTITION" as ErrorCode, partitions: [] };
      const partitions = metadata.states.slice(0, metadata.partitions).map((state) => ({ partition: state.partition, leader: state.leader, leaderEpoch: state.leaderEpoch }));
      return { topic, error: null, partitions };
    });
    this.send(from, { kind: "metadata-response", requestId: request.requestId, topics });
  }

  private onInitProducerId(from: string, requestId: number): void {
    if (this.brokerEpoch < 0 || this.nextProducerId >= this.producerIdEnd) {
      this.send(from, { kind: "init-producer-id-response", requestId, error: "COORDINATOR_NOT_AVAILABLE", producerId: -1, producerEpoch: -1 });
      return;
    }
    const producerId = this.nextProducerId++;
    this.trace(`init producer id ${producerId} for ${from}`);
    this.send(from, { kind: "init-producer-id-response", requestId, error: null, producerId, producerEpoch: 0 });
  }

  private onProduce(from: string, request: Extract<Message, { kind: "produce" }>): void {
    const results: ProducePartitionResult[] = [];
    let remaining = request.batches.length;
    const collect = (result: ProducePartitionResult): void => {
      results.push(result);
      remaining--;
      if (remaining === 0 && request.acks !== 0) {
        this.trace(`respond produce ${from}#${request.requestId} ${results.map((entry) => `${entry.topic}-${entry.partition}:${entry.error ?? entry.baseOffset}`).join(" ")}`);
        this.send(from, { kind: "produce-response", requestId: request.requestId, results });
      }
    };
    for (const batch of request.batches) {
      const replica = this.replica(batch.topic, batch.partition);
      if (replica === undefined) {
        const known = (this.topics.get(batch.topic)?.partitions ?? 0) > batch.partition;
        collect({ topic: batch.topic, partition: batch.partition, error: known ? "NOT_LEADER_OR_FOLLOWER" : "UNKNOWN_TOPIC_OR_PARTITION", baseOffset: -1 });
        continue;
      }
      replica.appendAsLeader(batch, request.acks, request.timeoutMs, collect);
    }
  }

  private onFetch(from: string, request: Extract<Message, { kind: "fetch" }>): void {
    const results: ConsumerFetchResult[] = request.partitions.map((partition) => {
      const replica = this.replica(partition.topic, partition.partition);
      if (replica === undefined) return { topic: partition.topic, partition: partition.partition, error: "NOT_LEADER_OR_FOLLOWER", highWatermark: -1, batches: [] };
      return replica.readForConsumer(partition, request.maxBytes, request.readCommitted);
    });
    this.send(from, { kind: "fetch-response", requestId: request.requestId, results });
  }

  private onListOffsets(from: string, request: Extract<Message, { kind: "list-offsets" }>): void {
    const replica = this.replica(request.topic, request.partition);
    if (replica === undefined || replica.role !== "leader") {
      this.send(from, { kind: "list-offsets-response", requestId: request.requestId, error: "NOT_LEADER_OR_FOLLOWER", offset: -1 });
      return;
    }
    const offset = request.earliest ? replica.log.startOffset : replica.highWatermark;
    this.send(from, { kind: "list-offsets-response", requestId: request.requestId, error: null, offset });
  }

  /** WriteTxnMarkers from a transaction coordinator: append each partition's marker (acks=all), answer once all did. */
  private onWriteTransactionMarkers(from: string, request: Extract<Message, { kind: "write-transaction-markers" }>): void {
    const results: (GroupPartition & { error: ErrorCode | null })[] = [];
    let remaining = request.partitions.length;
    const collect = (partition: GroupPartition, error: ErrorCode | null): void => {
      results.push({ topic: partition.topic, partition: partition.partition, error });
      if (--remaining === 0) this.send(from, { kind: "write-transaction-markers-response", requestId: request.requestId, results });
    };
    for (const partition of request.partitions) {
      const replica = this.replica(partition.topic, partition.partition);
      if (replica === undefined) {
        collect(partition, "NOT_LEADER_OR_FOLLOWER");
        continue;
      }
      replica.appendMarker(request, markerAppendTimeoutMs, (error) => collect(partition, error));
    }
  }

  private onOffsetsForLeaderEpoch(from: string, request: Extract<Message, { kind: "offsets-for-leader-epoch" }>): void {
    const replica = this.replica(request.topic, request.partition);
    const answer = replica === undefined ? { error: "NOT_LEADER_OR_FOLLOWER" as const, epoch: -1, endOffset: -1 } : replica.endOffsetForConsumer(request.currentLeaderEpoch, request.leaderEpoch);
    this.send(from, { kind: "offsets-for-leader-epoch-response", requestId: request.requestId, ...answer });
  }
}
