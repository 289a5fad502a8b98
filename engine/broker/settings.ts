import type { EngineConfig } from "../api.js";
import { checkKeys, readBoolean, readNumber, readUnboundedNumber, versionAtLeast, type KafkaVersion } from "../config.js";

/** Broker configuration, Kafka's names and defaults. */
export interface BrokerSettings {
  readonly replicaLagTimeMaxMs: number;
  readonly brokerSessionTimeoutMs: number;
  readonly brokerHeartbeatIntervalMs: number;
  readonly minInsyncReplicas: number;
  readonly uncleanLeaderElection: boolean;
  readonly flushIntervalMessages: number;
  readonly flushIntervalMs: number;
  readonly replicaFetchWaitMaxMs: number;
  readonly replicaFetchMaxBytes: number;
  readonly replicaFetchBackoffMs: number;
  readonly replicaSocketTimeoutMs: number;
  readonly highWatermarkCheckpointIntervalMs: number;
  /** KIP-966; on by default from Kafka 4.1 (new clusters). */
  readonly eligibleLeaderReplicas: boolean;
  /** Kafka 4.x: the high watermark does not advance while the ISR is below min.insync.replicas. */
  readonly highWatermarkNeedsMinIsr: boolean;
}

export const brokerConfigKeys = [
  "replica.lag.time.max.ms",
  "broker.session.timeout.ms",
  "broker.heartbeat.interval.ms",
  "min.insync.replicas",
  "unclean.leader.election.enable",
  "log.flush.interval.messages",
  "log.flush.interval.ms",
  "replica.fetch.wait.max.ms",
  "replica.fetch.max.bytes",
  "replica.fetch.backoff.ms",
  "replica.socket.timeout.ms",
  "replica.high.watermark.checkpoint.interval.ms",
  "eligible.leader.replicas.enable",
  // Accepted and ignored: they change nothing the engine models.
  "default.replication.factor",
  "num.partitions",
  "auto.create.topics.enable",
  "offsets.topic.replication.factor",
  "transaction.state.log.replication.factor",
  "transaction.state.log.min.isr",
  "group.initial.rebalance.delay.ms",
] as const;

export function readBrokerSettings(config: EngineConfig, version: KafkaVersion): BrokerSettings {
  checkKeys(config, brokerConfigKeys, "broker");
  const settings: BrokerSettings = {
    replicaLagTimeMaxMs: readNumber(config, "replica.lag.time.max.ms", 30_000, { min: 1 }),
    brokerSessionTimeoutMs: readNumber(config, "broker.session.timeout.ms", 9_000, { min: 1 }),
    brokerHeartbeatIntervalMs: readNumber(config, "broker.heartbeat.interval.ms", 2_000, { min: 1 }),
    minInsyncReplicas: readNumber(config, "min.insync.replicas", 1, { min: 1 }),
    uncleanLeaderElection: readBoolean(config, "unclean.leader.election.enable", false),
    flushIntervalMessages: readUnboundedNumber(config, "log.flush.interval.messages", Infinity, 1),
    flushIntervalMs: readUnboundedNumber(config, "log.flush.interval.ms", Infinity, 0),
    replicaFetchWaitMaxMs: readNumber(config, "replica.fetch.wait.max.ms", 500, { min: 0 }),
    replicaFetchMaxBytes: readNumber(config, "replica.fetch.max.bytes", 1_048_576, { min: 1 }),
    replicaFetchBackoffMs: readNumber(config, "replica.fetch.backoff.ms", 1_000, { min: 0 }),
    replicaSocketTimeoutMs: readNumber(config, "replica.socket.timeout.ms", 30_000, { min: 1 }),
    highWatermarkCheckpointIntervalMs: readNumber(config, "replica.high.watermark.checkpoint.interval.ms", 5_000, { min: 1 }),
    eligibleLeaderReplicas: readBoolean(config, "eligible.leader.replicas.enable", versionAtLeast(version, 4, 1)),
    highWatermarkNeedsMinIsr: versionAtLeast(version, 4, 0),
  };
  if (settings.brokerHeartbeatIntervalMs >= settings.brokerSessionTimeoutMs) {
    throw new Error(
      `config "broker.heartbeat.interval.ms": ${settings.brokerHeartbeatIntervalMs} is not allowed; it must be below broker.session.timeout.ms (${settings.brokerSessionTimeoutMs})`,
    );
  }
  return settings;
}

/** Topic-level overrides (Kafka's topic config names). */
export interface TopicSettings {
  readonly minInsyncReplicas: number;
  readonly uncleanLeaderElection: boolean;
  readonly flushMessages: number;
  readonly flushMs: number;
}

export const topicConfigKeys = [
  "min.insync.replicas",
  "unclean.leader.election.enable",
  "flush.messages",
  "flush.ms",
  // Accepted and ignored until retention and compaction are modelled.
  "cleanup.policy",
  "retention.ms",
  "retention.bytes",
  "segment.bytes",
] as const;

export function readTopicSettings(config: Readonly<Record<string, string | number | boolean>>, broker: BrokerSettings): TopicSettings {
  checkKeys(config, topicConfigKeys, "topic");
  return {
    minInsyncReplicas: readNumber(config, "min.insync.replicas", broker.minInsyncReplicas, { min: 1 }),
    uncleanLeaderElection: readBoolean(config, "unclean.leader.election.enable", broker.uncleanLeaderElection),
    flushMessages: readUnboundedNumber(config, "flush.messages", broker.flushIntervalMessages, 1),
    flushMs: readUnboundedNumber(config, "flush.ms", broker.flushIntervalMs, 0),
  };
}
