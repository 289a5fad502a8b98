/**
 * Effective settings: what Kafka actually runs with, after defaults, topic-over-broker overrides and
 * the producer's implicit idempotence rule (on by default since Kafka 3.0, silently off when the user
 * left it unset and chose acks other than all, retries=0 or more than 5 requests in flight).
 */
import type { CommitMode, ConfigMap, ConfigValue } from "../history/event.js";
import { defaults, longMax, topicKeyBrokerDefault } from "./keys.js";
import { validateConfiguration } from "./validate.js";

export type Acks = "all" | "1" | "0";

export interface EffectiveProducer {
  readonly acks: Acks;
  readonly idempotence: boolean;
  readonly retries: number;
  readonly maxInFlight: number;
  readonly transactionalId: string | null;
  /** The built-in partitioner hashing keys with murmur2 (no partitioner.class, keys not ignored). */
  readonly keyHashing: boolean;
}

export interface EffectiveTopic {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly uncleanElection: boolean;
  /** Messages between fsyncs; above 1 means acknowledged records may sit only in the page cache. */
  readonly flushMessages: number;
  readonly cleanupPolicy: string;
}

export interface EffectiveConsumer {
  readonly groupId: string | null;
  readonly autoCommit: boolean;
  readonly isolationLevel: string;
  readonly autoOffsetReset: string;
  /** A group consumer's commit mode (the header's); `auto` when unsaid and auto commit is on; null otherwise. */
  readonly commitMode: CommitMode | null;
}

function pick(config: Readonly<Record<string, ConfigValue>>, key: string, fallback: ConfigValue | null | undefined): ConfigValue | null {
  const value = config[key];
  if (value !== undefined) return value;
  return fallback ?? null;
}

export function effectiveProducer(config: ConfigMap, where = "producer"): EffectiveProducer {
  const normalised = validateConfiguration("producer", config, where);
  const acks = String(pick(normalised, "acks", defaults.producer.acks)) as Acks;
  const retries = Number(pick(normalised, "retries", defaults.producer.retries));
  const maxInFlight = Number(pick(normalised, "max.in.flight.requests.per.connection", defaults.producer["max.in.flight.requests.per.connection"]));
  const transactionalId = normalised["transactional.id"];
  const explicit = normalised["enable.idempotence"];
  const compatible = acks === "all" && retries > 0 && maxInFlight <= 5;
  // Explicit true with incompatible settings was refused by validateConfiguration.
  const idempotence = explicit === undefined ? compatible : explicit === true;
  return {
    acks,
    idempotence,
    retries,
    maxInFlight,
    transactionalId: typeof transactionalId === "string" ? transactionalId : null,
    keyHashing: normalised["partitioner.class"] === undefined && normalised["partitioner.ignore.keys"] !== true,
  };
}

export function effectiveTopic(
  topic: { readonly partitions: number; readonly replicationFactor: number; readonly config: ConfigMap },
  brokerConfig: ConfigMap,
  where = "topic",
): EffectiveTopic {
  const own = validateConfiguration("topic", topic.config, `${where}.config`);
  const broker = validateConfiguration("broker", brokerConfig, "broker");
  const value = (topicKey: string): ConfigValue | null => {
    const brokerKey = topicKeyBrokerDefault[topicKey];
    const fromBroker = brokerKey === undefined ? undefined : broker[brokerKey];
    return pick(own, topicKey, fromBroker ?? defaults.topic[topicKey]);
  };
  return {
    partitions: topic.partitions,
    replicationFactor: topic.replicationFactor,
    minInsyncReplicas: Number(value("min.insync.replicas")),
    uncleanElection: value("unclean.leader.election.enable") === true,
    flushMessages: Number(value("flush.messages") ?? longMax),
    cleanupPolicy: String(value("cleanup.policy")),
  };
}

export function effectiveConsumer(config: ConfigMap, where = "consumer", commitMode?: CommitMode): EffectiveConsumer {
  const normalised = validateConfiguration("consumer", config, where);
  const groupId = normalised["group.id"];
  const autoCommit = pick(normalised, "enable.auto.commit", defaults.consumer["enable.auto.commit"]) === true;
  const grouped = typeof groupId === "string";
  return {
    groupId: grouped ? groupId : null,
    autoCommit,
    commitMode: commitMode ?? (grouped && autoCommit ? "auto" : null),
    isolationLevel: String(pick(normalised, "isolation.level", defaults.consumer["isolation.level"])),
    autoOffsetReset: String(pick(normalised, "auto.offset.reset", defaults.consumer["auto.offset.reset"])),
  };
}
