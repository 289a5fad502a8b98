/**
 * Full validation of an in-memory history: header shape and configuration, every event's shape,
 * and the relations between events. Histories read by parseHistory are validated once and remembered.
 */
import type { History } from "./event.js";
import { validateHeaderConfiguration } from "./header.js";
import { lineOfEvent } from "./format-error.js";
import { pairOperations } from "./operations.js";
import { topicPartitionCounts, validateEventShape, validateHeaderShape } from "./shape.js";

const validated = new WeakSet<History>();

export function markValidated(history: History): void {
  validated.add(history);
}

export function validateHistory(history: History, file: string): void {
  if (validated.has(history)) return;
  validateHeaderShape({ file, line: 1 }, history.header);
  validateHeaderConfiguration(history.header, file);
  const topics = topicPartitionCounts(history.header);
  const events = history.events;
  for (let index = 0; index < events.length; index++) {
    validateEventShape({ file, line: lineOfEvent(index) }, topics, events[index], index);
  }
  pairOperations(history, file);
  validated.add(history);
}
