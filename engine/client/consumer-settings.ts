import type { EngineConfig } from "../api.js";
import { honouredKeys } from "../honoured-keys.js";
import { checkKeys, readChoice, readNumber } from "../config.js";

export interface ConsumerSettings {
  readonly readCommitted: boolean;
  readonly autoOffsetReset: "earliest" | "latest" | "none";
  readonly fetchMaxWaitMs: number;
  readonly maxPollRecords: number;
  readonly maxPartitionFetchBytes: number;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  /** Not a Kafka key: how long one poll() waits for records (Kafka takes it as poll's argument). */
  readonly pollTimeoutMs: number;
}

/** Honoured consumer keys (engine/honoured-keys.ts); every one is read below or honoured only at its modelled value. */
export const consumerConfigKeys: readonly string[] = Object.keys(honouredKeys.consumer);

export function readConsumerSettings(config: EngineConfig): ConsumerSettings {
  checkKeys(config, honouredKeys.consumer, "consumer");
  return {
    readCommitted: readChoice(config, "isolation.level", "read_uncommitted", ["read_uncommitted", "read_committed"]) === "read_committed",
    autoOffsetReset: readChoice(config, "auto.offset.reset", "latest", ["earliest", "latest", "none"]),
    fetchMaxWaitMs: readNumber(config, "fetch.max.wait.ms", 500, { min: 0 }),
    maxPollRecords: readNumber(config, "max.poll.records", 500, { min: 1 }),
    maxPartitionFetchBytes: readNumber(config, "max.partition.fetch.bytes", 1_048_576, { min: 1 }),
    requestTimeoutMs: readNumber(config, "request.timeout.ms", 30_000, { min: 1 }),
    retryBackoffMs: readNumber(config, "retry.backoff.ms", 100, { min: 0 }),
    pollTimeoutMs: readNumber(config, "poll.timeout.ms", 1_000, { min: 0 }),
  };
}
