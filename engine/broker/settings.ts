import type { EngineConfig } from "../api.js";
import { honouredKeys } from "../honoured-keys.js";
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
  /** The group coordinator's settings (engine/group/coordinator). */
  readonly offsetsTopicPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  /** The transaction coordinator's settings (engine/transaction/coordinator). */
  readonly transactionStatePartitions: number;
  readonly transactionStateReplicationFactor: number;
  readonly transactionMaxTimeoutMs: number;
  readonly transactionCleanupIntervalMs: number;
}

/** Honoured broker keys (engine/honoured-keys.ts); every one is read below. */
export const brokerConfigKeys: readonly string[] = Object.keys(honouredKeys.broker);

export function readBrokerSettings(config: EngineConfig, version: KafkaVersion): BrokerSettings {
  checkKeys(config, honouredKeys.broker, "broker");
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
    offsetsTopicPartitions: readNumber(config, "offsets.topic.num.partitions", 50, { min: 1, max: 1000 }),
    offsetsTopicReplicationFactor: readNumber(config, "offsets.topic.replication.factor", 3, { min: 1, max: 32767 }),
    groupInitialRebalanceDelayMs: readNumber(config, "group.initial.rebalance.delay.ms", 3_000, { min: 0 }),
    groupMinSessionTimeoutMs: readNumber(config, "group.min.session.timeout.ms", 6_000, { min: 0 }),
    groupMaxSessionTimeoutMs: readNumber(config, "group.max.session.timeout.ms", 1_800_000, { min: 0 }),
    transactionStatePartitions: readNumber(config, "transaction.state.log.num.partitions", 50, { min: 1, max: 1000 }),
    transactionStateReplicationFactor: readNumber(config, "transaction.state.log.replication.factor", 3, { min: 1, max: 32767 }),
    transactionMaxTimeoutMs: readNumber(config, "transaction.max.timeout.ms", 900_000, { min: 1 }),
    transactionCleanupIntervalMs: readNumber(config, "transaction.abort.timed.out.transaction.cleanup.interval.ms", 10_000, { min: 1 }),
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

/** Honoured topic keys (engine/honoured-keys.ts); every one is read below. */
export const topicConfigKeys: readonly string[] = Object.keys(honouredKeys.topic);

export function readTopicSettings(config: Readonly<Record<string, string | number | boolean>>, broker: BrokerSettings): TopicSettings {
  checkKeys(config, honouredKeys.topic, "topic");
  return {
    minInsyncReplicas: readNumber(config, "min.insync.replicas", broker.minInsyncReplicas, { min: 1 }),
    uncleanLeaderElection: readBoolean(config, "unclean.leader.election.enable", broker.uncleanLeaderElection),
    flushMessages: readUnboundedNumber(config, "flush.messages", broker.flushIntervalMessages, 1),
    flushMs: readUnboundedNumber(config, "flush.ms", broker.flushIntervalMs, 0),
  };
}
