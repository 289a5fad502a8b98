/**
 * Kafka's own configuration keys, per scope, with Kafka's defaults and the values each accepts.
 * Defaults follow Apache Kafka 4.1 (broker, topic, Java producer and consumer documentation). Only the
 * keys the harness reasons about or that scenarios plausibly set are listed; an unknown key is refused
 * rather than ignored, because a misspelt key would silently change what a run tests.
 */
import type { ConfigValue } from "../history/event.js";

export const defaultsKafkaVersion = "4.1";

export type ConfigScope = "broker" | "topic" | "producer" | "consumer";

export type KeyKind =
  | { readonly type: "int"; readonly min: number; readonly max: number }
  | { readonly type: "boolean" }
  | { readonly type: "enum"; readonly values: readonly string[] }
  | { readonly type: "string" }
  /** A string that may be absent (Kafka's `null` default). */
  | { readonly type: "optional-string" };

export interface KeySpec {
  /** Kafka's default; `null` where Kafka's default is null. */
  readonly default: ConfigValue | null;
  readonly kind: KeyKind;
}

/** Java's Integer.MAX_VALUE and Long.MAX_VALUE ("unbounded"): the latter is not exact in a double. */
export const integerMax = 2_147_483_647;
export const longMax = Number.MAX_SAFE_INTEGER;

const int = (min: number, max: number = longMax): KeyKind => ({ type: "int", min, max });
const bool: KeyKind = { type: "boolean" };
const oneOf = (...values: string[]): KeyKind => ({ type: "enum", values });
const text: KeyKind = { type: "string" };
const optionalText: KeyKind = { type: "optional-string" };

export const brokerKeys: Readonly<Record<string, KeySpec>> = {
  "num.partitions": { default: 1, kind: int(1, integerMax) },
  "default.replication.factor": { default: 1, kind: int(1, 32767) },
  "min.insync.replicas": { default: 1, kind: int(1, integerMax) },
  "unclean.leader.election.enable": { default: false, kind: bool },
  "auto.create.topics.enable": { default: true, kind: bool },
  "auto.leader.rebalance.enable": { default: true, kind: bool },
  "log.flush.interval.messages": { default: longMax, kind: int(1) },
  "log.flush.interval.ms": { default: null, kind: int(0) },
  "log.flush.scheduler.interval.ms": { default: longMax, kind: int(0) },
  "log.retention.ms": { default: 604_800_000, kind: int(-1) },
  "log.retention.bytes": { default: -1, kind: int(-1) },
  "log.segment.bytes": { default: 1_073_741_824, kind: int(1_048_576, integerMax) },
  "log.cleanup.policy": { default: "delete", kind: oneOf("delete", "compact", "delete,compact", "compact,delete") },
  "replica.lag.time.max.ms": { default: 30_000, kind: int(1) },
  "offsets.topic.replication.factor": { default: 3, kind: int(1, 32767) },
  "transaction.state.log.replication.factor": { default: 3, kind: int(1, 32767) },
  "transaction.state.log.min.isr": { default: 2, kind: int(1, integerMax) },
  "group.initial.rebalance.delay.ms": { default: 3_000, kind: int(0, integerMax) },
  "group.min.session.timeout.ms": { default: 6_000, kind: int(0, integerMax) },
  "group.max.session.timeout.ms": { default: 1_800_000, kind: int(0, integerMax) },
  "controlled.shutdown.enable": { default: true, kind: bool },
  "broker.session.timeout.ms": { default: 9_000, kind: int(1, integerMax) },
  "broker.heartbeat.interval.ms": { default: 2_000, kind: int(1, integerMax) },
  "replica.fetch.wait.max.ms": { default: 500, kind: int(0, integerMax) },
  "replica.fetch.max.bytes": { default: 1_048_576, kind: int(0, integerMax) },
  "replica.fetch.backoff.ms": { default: 1_000, kind: int(0, integerMax) },
  "replica.socket.timeout.ms": { default: 30_000, kind: int(1, integerMax) },
  "replica.high.watermark.checkpoint.interval.ms": { default: 5_000, kind: int(1) },
  // Kafka 4.1 turns Eligible Leader Replicas (KIP-966) on for new clusters; the engine takes it as a switch.
  "eligible.leader.replicas.enable": { default: true, kind: bool },
  "controller.quorum.fetch.timeout.ms": { default: 2_000, kind: int(0, integerMax) },
  "controller.quorum.election.timeout.ms": { default: 1_000, kind: int(0, integerMax) },
  "offsets.topic.num.partitions": { default: 50, kind: int(1, integerMax) },
  "transaction.state.log.num.partitions": { default: 50, kind: int(1, integerMax) },
  "transaction.max.timeout.ms": { default: 900_000, kind: int(1, integerMax) },
  "transaction.abort.timed.out.transaction.cleanup.interval.ms": { default: 10_000, kind: int(1, integerMax) },
  "num.network.threads": { default: 3, kind: int(1, integerMax) },
};

export const topicKeys: Readonly<Record<string, KeySpec>> = {
  "min.insync.replicas": { default: 1, kind: int(1, integerMax) },
  "unclean.leader.election.enable": { default: false, kind: bool },
  "flush.messages": { default: longMax, kind: int(1) },
  "flush.ms": { default: longMax, kind: int(0) },
  "retention.ms": { default: 604_800_000, kind: int(-1) },
  "retention.bytes": { default: -1, kind: int(-1) },
  "segment.bytes": { default: 1_073_741_824, kind: int(14, integerMax) },
  "segment.ms": { default: 604_800_000, kind: int(1) },
  "cleanup.policy": { default: "delete", kind: oneOf("delete", "compact", "delete,compact", "compact,delete") },
  "min.compaction.lag.ms": { default: 0, kind: int(0) },
  "max.message.bytes": { default: 1_048_588, kind: int(0, integerMax) },
  "message.timestamp.type": { default: "CreateTime", kind: oneOf("CreateTime", "LogAppendTime") },
};

/** A topic key and the broker key that supplies its default when the topic does not override it. */
export const topicKeyBrokerDefault: Readonly<Record<string, string>> = {
  "min.insync.replicas": "min.insync.replicas",
  "unclean.leader.election.enable": "unclean.leader.election.enable",
  "flush.messages": "log.flush.interval.messages",
  "retention.ms": "log.retention.ms",
  "retention.bytes": "log.retention.bytes",
  "segment.bytes": "log.segment.bytes",
  "cleanup.policy": "log.cleanup.policy",
};

export const producerKeys: Readonly<Record<string, KeySpec>> = {
  acks: { default: "all", kind: oneOf("all", "-1", "0", "1") },
  // Since Kafka 3.0 idempotence is on by default; it is silently dropped only when the user did not set
  // it and set something incompatible (see effective.ts).
  "enable.idempotence": { default: true, kind: bool },
  retries: { default: integerMax, kind: int(0, integerMax) },
  "max.in.flight.requests.per.connection": { default: 5, kind: int(1, integerMax) },
  "delivery.timeout.ms": { default: 120_000, kind: int(0, integerMax) },
  "request.timeout.ms": { default: 30_000, kind: int(0, integerMax) },
  // KIP-1030 (Kafka 4.0) raised linger.ms from 0 to 5.
  "linger.ms": { default: 5, kind: int(0, integerMax) },
  "batch.size": { default: 16_384, kind: int(0, integerMax) },
  "buffer.memory": { default: 33_554_432, kind: int(0) },
  "retry.backoff.ms": { default: 100, kind: int(0) },
  "max.block.ms": { default: 60_000, kind: int(0) },
  "compression.type": { default: "none", kind: oneOf("none", "gzip", "snappy", "lz4", "zstd") },
  "transactional.id": { default: null, kind: optionalText },
  "transaction.timeout.ms": { default: 60_000, kind: int(1, integerMax) },
  "partitioner.class": { default: null, kind: optionalText },
  "partitioner.ignore.keys": { default: false, kind: bool },
  "client.id": { default: "", kind: text },
  "metadata.max.age.ms": { default: 300_000, kind: int(0) },
  "bootstrap.servers": { default: null, kind: optionalText },
  "key.serializer": { default: null, kind: optionalText },
  "value.serializer": { default: null, kind: optionalText },
};

export const consumerKeys: Readonly<Record<string, KeySpec>> = {
  "group.id": { default: null, kind: optionalText },
  "group.instance.id": { default: null, kind: optionalText },
  "group.protocol": { default: "classic", kind: oneOf("classic", "consumer") },
  "enable.auto.commit": { default: true, kind: bool },
  "auto.commit.interval.ms": { default: 5_000, kind: int(0, integerMax) },
  "auto.offset.reset": { default: "latest", kind: oneOf("earliest", "latest", "none") },
  "isolation.level": { default: "read_uncommitted", kind: oneOf("read_uncommitted", "read_committed") },
  "max.poll.records": { default: 500, kind: int(1, integerMax) },
  "max.poll.interval.ms": { default: 300_000, kind: int(1, integerMax) },
  "default.api.timeout.ms": { default: 60_000, kind: int(0, integerMax) },
  "session.timeout.ms": { default: 45_000, kind: int(1, integerMax) },
  "heartbeat.interval.ms": { default: 3_000, kind: int(1, integerMax) },
  "fetch.min.bytes": { default: 1, kind: int(0, integerMax) },
  "fetch.max.wait.ms": { default: 500, kind: int(0, integerMax) },
  "partition.assignment.strategy": {
    default: "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
    kind: text,
  },
  "client.id": { default: "", kind: text },
  "max.partition.fetch.bytes": { default: 1_048_576, kind: int(0, integerMax) },
  "request.timeout.ms": { default: 30_000, kind: int(0, integerMax) },
  "retry.backoff.ms": { default: 100, kind: int(0) },
  "metadata.max.age.ms": { default: 300_000, kind: int(0) },
  "bootstrap.servers": { default: null, kind: optionalText },
  "key.deserializer": { default: null, kind: optionalText },
  "value.deserializer": { default: null, kind: optionalText },
  // Not a Kafka key: how long the harness's consumer waits in one poll (the engine accepts it too).
  "poll.timeout.ms": { default: 1_000, kind: int(0, integerMax) },
};

export const keysByScope: Readonly<Record<ConfigScope, Readonly<Record<string, KeySpec>>>> = {
  broker: brokerKeys,
  topic: topicKeys,
  producer: producerKeys,
  consumer: consumerKeys,
};

function defaultsOf(keys: Readonly<Record<string, KeySpec>>): Readonly<Record<string, ConfigValue | null>> {
  return Object.fromEntries(Object.entries(keys).map(([key, spec]) => [key, spec.default]));
}

/** Kafka 4.1's defaults per scope (`null` where Kafka's default is null). */
export const defaults: Readonly<Record<ConfigScope, Readonly<Record<string, ConfigValue | null>>>> = {
  broker: defaultsOf(brokerKeys),
  topic: defaultsOf(topicKeys),
  producer: defaultsOf(producerKeys),
  consumer: defaultsOf(consumerKeys),
};
