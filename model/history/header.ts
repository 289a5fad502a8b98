/**
 * Header checks shared by the reader and the checker: the configuration a history carries must be
 * one Kafka would accept, else the history is bad input (line 1, the offending key).
 */
import type { HistoryHeader } from "./event.js";
import { HistoryFormatError } from "./format-error.js";
import { ConfigurationError } from "../config/error.js";
import { validateSetup } from "../config/validate.js";

export function validateHeaderConfiguration(header: HistoryHeader, file: string): void {
  try {
    validateSetup({ brokers: header.brokers, broker: header.broker, topics: header.topics, clients: header.clients });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new HistoryFormatError(file, 1, `${error.where}.${error.key}`, error.message);
    throw error;
  }
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
