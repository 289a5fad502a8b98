/**
 * The configuration keys the engine honours: the single source of truth. The settings readers
 * (broker/settings.ts, client/*-settings.ts) accept exactly these keys and read each one; the engine
 * target refuses every other key of Kafka's catalogue before a scenario runs ("not modelled by the
 * engine"), because a key accepted and ignored would make a run test something other than it says.
 *
 * A key honoured only at some values (`values`) behaves in the engine exactly as Kafka does at those
 * values and at no other: `compression.type=none` is what the engine does, gzip is not modelled.
 */
import type { EngineConfigValue } from "./api.js";

export type EngineScope = "broker" | "topic" | "producer" | "consumer";

export interface HonouredKey {
  /** When present, the only values the engine models; any other value is refused. */
  readonly values?: readonly EngineConfigValue[];
  /** Why only those values (shown with the refusal). */
  readonly because?: string;
}

const any: HonouredKey = {};

export const honouredKeys: Readonly<Record<EngineScope, Readonly<Record<string, HonouredKey>>>> = {
  broker: {
    "replica.lag.time.max.ms": any,
    "broker.session.timeout.ms": any,
    "broker.heartbeat.interval.ms": any,
    "min.insync.replicas": any,
    "unclean.leader.election.enable": any,
    "log.flush.interval.messages": any,
    "log.flush.interval.ms": any,
    "replica.fetch.wait.max.ms": any,
    "replica.fetch.max.bytes": any,
    "replica.fetch.backoff.ms": any,
    "replica.socket.timeout.ms": any,
    "replica.high.watermark.checkpoint.interval.ms": any,
    "eligible.leader.replicas.enable": any,
    "offsets.topic.num.partitions": any,
    "offsets.topic.replication.factor": any,
    "group.initial.rebalance.delay.ms": any,
    "group.min.session.timeout.ms": any,
    "group.max.session.timeout.ms": any,
    "transaction.state.log.num.partitions": any,
    "transaction.state.log.replication.factor": any,
    "transaction.max.timeout.ms": any,
    "transaction.abort.timed.out.transaction.cleanup.interval.ms": any,
  },
  topic: {
    "min.insync.replicas": any,
    "unclean.leader.election.enable": any,
    "flush.messages": any,
    "flush.ms": any,
  },
  producer: {
    acks: any,
    "enable.idempotence": any,
    retries: any,
    "delivery.timeout.ms": any,
    "request.timeout.ms": any,
    "max.in.flight.requests.per.connection": any,
    "linger.ms": any,
    "batch.size": any,
    "retry.backoff.ms": any,
    "max.block.ms": any,
    "metadata.max.age.ms": any,
    "partitioner.ignore.keys": any,
    "compression.type": { values: ["none"], because: "the engine stores records uncompressed" },
    "transactional.id": any,
    "transaction.timeout.ms": any,
  },
  consumer: {
    "isolation.level": any,
    "auto.offset.reset": any,
    "fetch.max.wait.ms": any,
    "max.poll.records": any,
    "max.partition.fetch.bytes": any,
    "request.timeout.ms": any,
    "retry.backoff.ms": any,
    "poll.timeout.ms": any,
    "group.id": any,
    "group.instance.id": any,
    "session.timeout.ms": any,
    "heartbeat.interval.ms": any,
    "max.poll.interval.ms": any,
    "enable.auto.commit": any,
    "auto.commit.interval.ms": any,
    "partition.assignment.strategy": any,
    "default.api.timeout.ms": any,
    "group.protocol": { values: ["classic"], because: "the engine models the classic group protocol (JoinGroup/SyncGroup); KIP-848's consumer protocol is not modelled" },
    "fetch.min.bytes": { values: [1, "1"], because: "a fetch returns as soon as any record is there, Kafka's default of 1 byte" },
  },
};

/**
 * Why a key of Kafka's catalogue is not modelled, for the refusal message; keys without an entry
 * get the generic sentence. Grouped by the feature that would model them.
 */
export const unmodelledBecause: Readonly<Record<string, string>> = {
  "transaction.state.log.min.isr": "the engine writes the transaction state log with acks=all under the topic's min.insync.replicas (1 by default)",
  "transaction.two.phase.commit.enable": "KIP-939's two-phase commit is not modelled",
  "cleanup.policy": "retention and compaction are not modelled: the engine never deletes or compacts records",
  "log.cleanup.policy": "retention and compaction are not modelled: the engine never deletes or compacts records",
  "retention.ms": "retention is not modelled: the engine never deletes records",
  "retention.bytes": "retention is not modelled: the engine never deletes records",
  "log.retention.ms": "retention is not modelled: the engine never deletes records",
  "log.retention.bytes": "retention is not modelled: the engine never deletes records",
  "segment.bytes": "log segments are not modelled: each replica's log is one sequence",
  "segment.ms": "log segments are not modelled: each replica's log is one sequence",
  "log.segment.bytes": "log segments are not modelled: each replica's log is one sequence",
  "min.compaction.lag.ms": "compaction is not modelled",
  "num.network.threads": "the engine has no network threads: requests are simulated messages",
  "client.id": "clients are named by the scenario's client ids",
  "bootstrap.servers": "the engine's clients find the simulated cluster themselves",
  "key.serializer": "the engine's records are strings; there is nothing to serialise",
  "value.serializer": "the engine's records are strings; there is nothing to serialise",
  "key.deserializer": "the engine's records are strings; there is nothing to deserialise",
  "value.deserializer": "the engine's records are strings; there is nothing to deserialise",
  "partitioner.class": "only the built-in partitioner is modelled, with partitioner.ignore.keys",
  "buffer.memory": "producer memory is not bounded in the engine",
  "num.partitions": "topics are created by the scenario with their partition count; auto-creation is not modelled",
  "default.replication.factor": "topics are created by the scenario with their replication factor",
  "auto.create.topics.enable": "topic auto-creation is not modelled",
  "auto.leader.rebalance.enable": "preferred-leader rebalancing is not modelled",
  "controlled.shutdown.enable": "controlled shutdown is not modelled: brokers stop by the scenario's faults",
  "max.message.bytes": "record size limits are not modelled",
  "message.timestamp.type": "record timestamps are not modelled",
  "log.flush.scheduler.interval.ms": "the flush scheduler is not modelled; log.flush.interval.ms and log.flush.interval.messages are",
  "controller.quorum.fetch.timeout.ms": "the KRaft quorum's timeouts are not configurable in the engine",
  "controller.quorum.election.timeout.ms": "the KRaft quorum's timeouts are not configurable in the engine",
};
