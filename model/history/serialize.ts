/**
 * Writing a history as JSON Lines, deterministically: the header first, then one event per line, the
 * event's fields in a fixed order and every nested object's keys sorted, so the same history always
 * gives the same bytes (the engine's replays are compared byte for byte).
 */
import type { History, HistoryEvent } from "./event.js";

const eventFieldOrder = ["index", "time", "process", "type", "f", "value", "error"] as const;

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot serialise ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonical(item))).join(",")}]`;
  const object = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const entry = object[key];
    if (entry === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonical(entry)}`);
  }
  return `{${parts.join(",")}}`;
}

export function serializeEvent(event: HistoryEvent): string {
  const parts: string[] = [];
  const object = event as unknown as Record<string, unknown>;
  for (const key of eventFieldOrder) {
    const entry = object[key];
    if (entry === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonical(entry)}`);
  }
  // Fields added to the contract later keep a stable place: after the known ones, sorted.
  for (const key of Object.keys(object).sort()) {
    if ((eventFieldOrder as readonly string[]).includes(key) || object[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonical(object[key])}`);
  }
  return `{${parts.join(",")}}`;
}

export function serializeHistory(history: History): string {
  const lines = [canonical(history.header)];
  for (const event of history.events) lines.push(serializeEvent(event));
  return `${lines.join("\n")}\n`;
}
