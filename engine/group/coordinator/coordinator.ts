/**
 * The group coordinator of one broker. Kafka's rule: a group is coordinated by the leader of the
 * `__consumer_offsets` partition its id hashes to, so coordination fails over exactly as that
 * partition's leadership does. The broker tells the coordinator whenever it becomes or stops being the
 * leader of an offsets partition; on becoming leader it replays the partition's log (group metadata
 * and committed offsets) and from then on answers for the groups that hash there. Every change it
 * makes is first appended to that partition with acks=all, and acted on only once replicated.
 */
import type { CoordinatorObservation } from "../../api.js";
import type { PartitionReplica } from "../../broker/partition-replica.js";
import type { EngineContext } from "../../context.js";
import type { ErrorCode } from "../../protocol/errors.js";
import { offsetsTopic, type GroupPartition, type GroupRequest, type GroupResponse } from "../../protocol/group-messages.js";
import { assert } from "../../simulation/assert.js";
import { javaStringHash } from "../assignors/java-hash.js";
import { Group, type GroupHost } from "./group.js";
import { decodeRecords, encodeRecord, type GroupMetadataRecord, type OffsetRecord } from "./offsets-records.js";

/** offsets.commit.timeout.ms (Kafka's default): how long a commit waits for replication of its record. */
const offsetsCommitTimeoutMs = 5_000;
/** Bounds: groups per offsets partition. */
const maxGroupsPerPartition = 10_000;

/** Kafka's partitionFor(groupId): Utils.abs(groupId.hashCode) % offsets.topic.num.partitions. */
export function coordinatorPartition(group: string, partitions: number): number {
  const hash = javaStringHash(group);
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}

/** What the coordinator needs from its broker. */
export interface CoordinatorBroker {
  readonly brokerId: number;
  readonly context: EngineContext;
  send(to: string, message: GroupResponse): void;
  timer(delayMs: number, action: () => void): void;
  trace(text: string): void;
  replica(topic: string, partition: number): PartitionReplica | undefined;
  /** The offsets topic's partition count and each partition's leader, from this broker's metadata (null: no offsets topic yet). */
  offsetsLeaders(): readonly (number | null)[] | null;
}

/** The groups of one offsets partition this broker leads, as loaded at one leader epoch. */
interface Shard {
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly groups: Map<string, Group>;
  /** Committed offsets by `group/topic/partition` (`*` for the group under offsets-shared-across-groups). */
  readonly offsets: Map<string, number>;
  alive: boolean;
}

export class GroupCoordinator {
  private readonly shards = new Map<number, Shard>();
  private memberCounter = 0;

  constructor(private readonly broker: CoordinatorBroker) {}

  private get context(): EngineContext {
    return this.broker.context;
  }

  private get sharedOffsets(): boolean {
    return this.context.bugs.has("offsets-shared-across-groups");
  }

  // ---------------------------------------------------------------- leadership of offsets partitions

  /** Called by the broker after every metadata change of one of its `__consumer_offsets` replicas. */
  onOffsetsPartition(replica: PartitionReplica): void {
    const current = this.shards.get(replica.partition);
    if (replica.role === "leader") {
      if (current !== undefined && current.leaderEpoch === replica.leaderEpoch) return;
      if (current !== undefined) this.unload(current);
      this.load(replica);
    } else if (current !== undefined) {
      this.unload(current);
    }
  }

  /** Rebuilds every group of the partition from its log, to the log end (what Kafka's loader reads). */
  private load(replica: PartitionReplica): void {
    const shard: Shard = { partition: replica.partition, leaderEpoch: replica.leaderEpoch, groups: new Map(), offsets: new Map(), alive: true };
    this.shards.set(replica.partition, shard);
    const lastMetadata = new Map<string, GroupMetadataRecord>();
    const lastOffsets = new Map<string, OffsetRecord>();
    let records = 0;
    for (const record of decodeRecords(replica.log.allBatches())) {
      records++;
      if (record.type === "group") lastMetadata.set(record.group, record);
      else lastOffsets.set(offsetKey(record.group, record), record);
    }
    for (const [id, record] of lastMetadata) shard.groups.set(id, Group.loaded(id, this.host(shard, id), record));
    for (const [key, record] of lastOffsets) {
      shard.offsets.set(key, record.offset);
      if (record.group === null) plantedSharedOffsets(this.context).set(key, record.offset);
      // What the new coordinator serves from now on, reported as stored now when it differs from the
      // last report: a commit whose append was not confirmed (its client got an unknown outcome) may
      // take effect only here, at the reload; one already reported is not reported twice.
      if (record.group !== null && lastReported(this.context).get(key) !== reportKey(record)) {
        this.report({ kind: "offset-committed", group: record.group, topic: record.topic, partition: record.partition, offset: record.offset, generation: record.generation, member: record.member });
      }
    }
    this.broker.trace(`coordinator load ${offsetsTopic}-${replica.partition} epoch ${replica.leaderEpoch}: ${records} records, groups [${[...lastMetadata.keys()].join(",")}]`);
  }

  private unload(shard: Shard): void {
    shard.alive = false;
    this.shards.delete(shard.partition);
    this.broker.trace(`coordinator unload ${offsetsTopic}-${shard.partition} epoch ${shard.leaderEpoch}`);
  }

  // ---------------------------------------------------------------- requests

  /** Answers a group request (the broker routes every group request here). */
  handle(from: string, request: GroupRequest): void {
    if (request.kind === "find-coordinator") return this.findCoordinator(from, request);
    const leaders = this.broker.offsetsLeaders();
    const shard = leaders === null ? undefined : this.shards.get(coordinatorPartition(request.group, leaders.length));
    if (shard === undefined) return this.refuse(from, request, "NOT_COORDINATOR");
    let group = shard.groups.get(request.group);
    if (group === undefined) {
      // OffsetFetch and a standalone commit do not create a group in memory before it is needed.
      assert(shard.groups.size < maxGroupsPerPartition, `too many groups on ${offsetsTopic}-${shard.partition}`);
      group = new Group(request.group, this.host(shard, request.group));
      shard.groups.set(request.group, group);
    }
    const reply = (message: GroupResponse): void => this.broker.send(from, message);
    const requestId = request.requestId;
    switch (request.kind) {
      case "join-group":
        return group.join(request, (answer) => reply({ kind: "join-group-response", requestId, group: request.group, ...answer }));
      case "sync-group":
        return group.sync(request.member, request.generation, request.assignments, (error, partitions) => reply({ kind: "sync-group-response", requestId, error, partitions }));
      case "group-heartbeat":
        return reply({ kind: "group-heartbeat-response", requestId, error: group.heartbeat(request.member, request.generation) });
      case "leave-group":
        return reply({ kind: "leave-group-response", requestId, error: group.leave(request.member, request.reason) });
      case "offset-commit":
        return group.commit(request.member, request.generation, request.offsets, this.sharedOffsets, (error) => reply({ kind: "offset-commit-response", requestId, error }));
      case "offset-fetch":
        return reply({ kind: "offset-fetch-response", requestId, error: null, offsets: group.fetch(request.partitions) });
    }
  }

  private findCoordinator(from: string, request: Extract<GroupRequest, { kind: "find-coordinator" }>): void {
    const leaders = this.broker.offsetsLeaders();
    const leader = leaders === null ? null : leaders[coordinatorPartition(request.group, leaders.length)] ?? null;
    const error: ErrorCode | null = leader === null ? "COORDINATOR_NOT_AVAILABLE" : null;
    this.broker.send(from, { kind: "find-coordinator-response", requestId: request.requestId, error, brokerId: leader ?? -1 });
  }

  private refuse(from: string, request: Exclude<GroupRequest, { kind: "find-coordinator" }>, error: ErrorCode): void {
    const requestId = request.requestId;
    switch (request.kind) {
      case "join-group":
        return this.broker.send(from, { kind: "join-group-response", requestId, error, group: request.group, generation: -1, protocol: "", leader: "", member: request.member, members: [] });
      case "sync-group":
        return this.broker.send(from, { kind: "sync-group-response", requestId, error, partitions: [] });
      case "group-heartbeat":
        return this.broker.send(from, { kind: "group-heartbeat-response", requestId, error });
      case "leave-group":
        return this.broker.send(from, { kind: "leave-group-response", requestId, error });
      case "offset-commit":
        return this.broker.send(from, { kind: "offset-commit-response", requestId, error });
      case "offset-fetch":
        return this.broker.send(from, { kind: "offset-fetch-response", requestId, error, offsets: [] });
    }
  }

  // ---------------------------------------------------------------- what a group gets from here

  private host(shard: Shard, group: string): GroupHost {
    const settings = this.context.brokerSettings;
    const bugs = this.context.bugs;
    const scheduler = this.context.scheduler;
    return {
      get nowMs() {
        return scheduler.nowMs;
      },
      timer: (delayMs, action) => this.broker.timer(delayMs, () => shard.alive && action()),
      trace: (text) => this.broker.trace(text),
      newMemberId: (client) => `${client}-${this.broker.brokerId}.${shard.leaderEpoch}.${++this.memberCounter}`,
      append: (records, done) => this.append(shard, records, done),
      storeOffset: (record) => {
        shard.offsets.set(offsetKey(record.group, record), record.offset);
        if (record.group === null) plantedSharedOffsets(this.context).set(offsetKey(null, record), record.offset);
        this.report({ kind: "offset-committed", group, topic: record.topic, partition: record.partition, offset: record.offset, generation: record.generation, member: record.member });
      },
      committed: (id, partition) => this.committed(shard, id, partition),
      reportGeneration: (record) => this.report(generationObservation(record)),
      initialRebalanceDelayMs: settings.groupInitialRebalanceDelayMs,
      minSessionTimeoutMs: settings.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: settings.groupMaxSessionTimeoutMs,
      bugs: { assignWithoutRebalance: bugs.has("assign-without-rebalance"), acceptStaleCommit: bugs.has("accept-stale-commit") },
      alive: () => shard.alive,
    };
  }

  /** The planted bug offsets-shared-across-groups looks offsets up by partition alone, cluster-wide. */
  private committed(shard: Shard, group: string, partition: GroupPartition): number {
    if (!this.sharedOffsets) return shard.offsets.get(offsetKey(group, partition)) ?? -1;
    return plantedSharedOffsets(this.context).get(offsetKey(null, partition)) ?? -1;
  }

  private append(shard: Shard, records: readonly (GroupMetadataRecord | OffsetRecord)[], done: (error: ErrorCode | null) => void): void {
    const replica = this.broker.replica(offsetsTopic, shard.partition);
    if (!shard.alive || replica === undefined || replica.role !== "leader") return done("NOT_COORDINATOR");
    const batch = { topic: offsetsTopic, partition: shard.partition, producerId: -1, producerEpoch: -1, baseSequence: -1, records: records.map(encodeRecord) };
    replica.appendAsLeader(batch, -1, offsetsCommitTimeoutMs, (result) => {
      // A write that is in the log but not confirmed may still be replicated and loaded by the next
      // coordinator: the client must treat it as unknown (REQUEST_TIMED_OUT), never as refused.
      if (result.error === null) return done(shard.alive ? null : "REQUEST_TIMED_OUT");
      if (result.baseOffset >= 0) return done("REQUEST_TIMED_OUT");
      // Refused before writing: Kafka's mapping of append errors for the group protocol.
      done(result.error === "NOT_LEADER_OR_FOLLOWER" ? "NOT_COORDINATOR" : "COORDINATOR_NOT_AVAILABLE");
    });
  }

  private report(observation: CoordinatorObservation): void {
    if (observation.kind === "offset-committed") lastReported(this.context).set(offsetKey(observation.group, observation), reportKey(observation));
    this.context.reportCoordinator(observation);
  }
}

/**
 * The planted bug offsets-shared-across-groups: one store of offsets by partition for the whole
 * simulated cluster (one per simulation, so runs stay independent and deterministic).
 */
const sharedOffsetsByCluster = new WeakMap<EngineContext, Map<string, number>>();

function plantedSharedOffsets(context: EngineContext): Map<string, number> {
  let shared = sharedOffsetsByCluster.get(context);
  if (shared === undefined) {
    shared = new Map();
    sharedOffsetsByCluster.set(context, shared);
  }
  return shared;
}

/** The last offset-committed report per group and partition, cluster-wide (one map per simulation). */
const reportsByCluster = new WeakMap<EngineContext, Map<string, string>>();

function lastReported(context: EngineContext): Map<string, string> {
  let reports = reportsByCluster.get(context);
  if (reports === undefined) {
    reports = new Map();
    reportsByCluster.set(context, reports);
  }
  return reports;
}

function reportKey(entry: { readonly offset: number; readonly generation: number; readonly member: string }): string {
  return `${entry.offset}@${entry.generation}/${entry.member}`;
}

function offsetKey(group: string | null, partition: GroupPartition): string {
  return `${group ?? "*"}/${partition.topic}/${partition.partition}`;
}

function generationObservation(record: GroupMetadataRecord): CoordinatorObservation {
  return {
    kind: "group-generation",
    group: record.group,
    generation: record.generation,
    protocol: record.protocol,
    members: record.members.map((member) => ({ member: member.member, client: member.client, ...(member.instance === undefined ? {} : { instance: member.instance }), partitions: member.assignment.map((entry) => ({ topic: entry.topic, partition: entry.partition })) })),
  };
}
