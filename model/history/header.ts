/**
 * Header checks shared by the reader and the checker: the configuration a history carries must be
 * one Kafka would accept, else the history is bad input (line 1, the offending key).
 */
import type { HistoryHeader } from "./event.js";
import { HistoryFormatError } from "./format-error.js";
import { ConfigurationError } from "../config/error.js";
import { validateSetup } from "../config/validate.js";
import { effectiveConsumer } from "../config/effective.js";

/**
 * A group consumer's commit mode (event.ts): required with `group.id`, refused without it, and `auto`
 * exactly when `enable.auto.commit` is in effect (Kafka's default is true, so a manual mode needs
 * `enable.auto.commit=false`).
 */
function validateCommitModes(header: HistoryHeader, file: string): void {
  for (const [id, client] of Object.entries(header.clients)) {
    if (client.role !== "consumer") continue;
    const field = `clients.${id}.commitMode`;
    const consumer = effectiveConsumer(client.config, `clients.${id}.config`);
    const mode = client.commitMode;
    if (consumer.groupId === null) {
      if (mode !== undefined) throw new HistoryFormatError(file, 1, field, `commitMode=${mode} is for group consumers; ${id} has no group.id (allowed: no commitMode, or set group.id)`);
      continue;
    }
    if (mode === undefined) {
      throw new HistoryFormatError(file, 1, field, `${id} is a member of group '${consumer.groupId}' and needs a commitMode (allowed: sync-after-processing, sync-before-processing, async-after-processing, auto, none)`);
    }
    if ((mode === "auto") !== consumer.autoCommit) {
      const allowed = consumer.autoCommit ? "auto (enable.auto.commit is true; set it to false for a manual mode)" : "sync-after-processing, sync-before-processing, async-after-processing or none (enable.auto.commit is false)";
      throw new HistoryFormatError(file, 1, field, `commitMode=${mode} does not fit enable.auto.commit=${consumer.autoCommit} (allowed: ${allowed})`);
    }
  }
}

export function validateHeaderConfiguration(header: HistoryHeader, file: string): void {
  try {
    validateSetup({ brokers: header.brokers, broker: header.broker, topics: header.topics, clients: header.clients });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new HistoryFormatError(file, 1, `${error.where}.${error.key}`, error.message);
    throw error;
  }
  validateCommitModes(header, file);
  for (const topic of header.topics) {
    for (const replicas of topic.assignment ?? []) {
      for (const broker of replicas) {
        if (!header.brokers.includes(broker)) {
          throw new HistoryFormatError(file, 1, `topics.${topic.name}.assignment`, `broker ${broker} is not one of the brokers ${header.brokers.join(", ")}`);
        }
      }
      if (replicas.length !== topic.replicationFactor) {
        throw new HistoryFormatError(file, 1, `topics.${topic.name}.assignment`, `expected ${topic.replicationFactor} replicas per partition, got ${replicas.length}`);
      }
    }
  }
}
