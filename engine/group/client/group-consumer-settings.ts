import type { EngineConfig } from "../../api.js";
import { readBoolean, readNumber, readText } from "../../config.js";
import { assignorNamesFor, defaultStrategy, type AssignorName } from "../assignors/index.js";

/** What a group consumer reads beside the fetch settings of engine/client/consumer-settings.ts (Kafka's names and defaults). */
export interface GroupConsumerSettings {
  readonly group: string;
  /** group.instance.id: a static member (KIP-345); null for a dynamic one. */
  readonly instance: string | null;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  /** Assignors in the member's order of preference. */
  readonly assignors: readonly AssignorName[];
  readonly defaultApiTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
}

export function readGroupConsumerSettings(config: EngineConfig): GroupConsumerSettings {
  const group = readText(config, "group.id");
  if (group === undefined || group.trim() === "") throw new Error(`config "group.id": ${JSON.stringify(group)} is not allowed; a group consumer needs a non-empty group id`);
  const strategy = readText(config, "partition.assignment.strategy");
  const settings: GroupConsumerSettings = {
    group,
    instance: readText(config, "group.instance.id") ?? null,
    sessionTimeoutMs: readNumber(config, "session.timeout.ms", 45_000, { min: 1 }),
    heartbeatIntervalMs: readNumber(config, "heartbeat.interval.ms", 3_000, { min: 1 }),
    maxPollIntervalMs: readNumber(config, "max.poll.interval.ms", 300_000, { min: 1 }),
    autoCommit: readBoolean(config, "enable.auto.commit", true),
    autoCommitIntervalMs: readNumber(config, "auto.commit.interval.ms", 5_000, { min: 0 }),
    assignors: strategy === undefined ? defaultStrategy : assignorNamesFor(strategy),
    defaultApiTimeoutMs: readNumber(config, "default.api.timeout.ms", 60_000, { min: 0 }),
    requestTimeoutMs: readNumber(config, "request.timeout.ms", 30_000, { min: 1 }),
    retryBackoffMs: readNumber(config, "retry.backoff.ms", 100, { min: 0 }),
  };
  if (settings.heartbeatIntervalMs >= settings.sessionTimeoutMs) {
    throw new Error(`config "heartbeat.interval.ms": ${settings.heartbeatIntervalMs} is not allowed; it must be below session.timeout.ms (${settings.sessionTimeoutMs})`);
  }
  return settings;
}
