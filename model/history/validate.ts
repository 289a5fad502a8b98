/**
 * Full validation of an in-memory history: header shape and configuration, every event's shape,
 * and the relations between events. Histories read by parseHistory are validated once and remembered.
 */
import type { History } from "./event.js";
import { validateHeaderConfiguration } from "./header.js";
import { lineOfEvent } from "./format-error.js";
import { OperationPairer, rememberPairing } from "./operations.js";
import { topicPartitionCounts, transactionalClientsOf, validateEventShape, validateHeaderShape } from "./shape.js";
import { groupClientsOf } from "./group-shape.js";

const validated = new WeakSet<History>();

export function markValidated(history: History): void {
  validated.add(history);
}

export function validateHistory(history: History, file: string): void {
  if (validated.has(history)) return;
  validateHeaderShape({ file, line: 1 }, history.header);
  validateHeaderConfiguration(history.header, file);
  const topics = topicPartitionCounts(history.header);
  const groups = groupClientsOf(history.header);
  const transactional = transactionalClientsOf(history.header);
  const events = history.events;
  // One pass: each event's shape, then its relation to earlier events. A relation problem is only
  // thrown after every shape was checked, so the error reported is the one two passes would report.
  const pairer = new OperationPairer(history.header, events, file, events.length);
  const context = { file, line: 0 };
  for (let index = 0; index < events.length; index++) {
    context.line = lineOfEvent(index);
    const event = validateEventShape(context, topics, events[index], index, groups, transactional);
    pairer.add(event);
  }
  rememberPairing(history, pairer.finish());
  validated.add(history);
}
