/**
 * Reading a history from JSON Lines text: line 1 the header, then one event per line. Every line is
 * validated as it is read; the first problem is thrown as a HistoryFormatError (file, line, field).
 * Blank lines are allowed only at the end (a trailing newline).
 */
import type { History, HistoryEvent } from "./event.js";
import { HistoryFormatError } from "./format-error.js";
import { validateHeaderConfiguration } from "./header.js";
import { pairOperations } from "./operations.js";
import { topicPartitionCounts, validateEventShape, validateHeaderShape } from "./shape.js";
import { markValidated } from "./validate.js";

function parseLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HistoryFormatError(file, line, "line", `not valid JSON (${reason})`);
  }
}

export function parseHistory(text: string, fileName: string): History {
  const lines = text.split("\n");
  // Drop the trailing empty line(s) a final newline leaves; blank lines elsewhere are an error.
  let last = lines.length;
  while (last > 0 && (lines[last - 1] as string).trim() === "") last--;
  if (last === 0) throw new HistoryFormatError(fileName, 1, "header", "the file is empty; the first line must be the history header");
  const header = validateHeaderShape({ file: fileName, line: 1 }, parseLine(lines[0] as string, fileName, 1));
  validateHeaderConfiguration(header, fileName);
  const topics = topicPartitionCounts(header);
  const events: HistoryEvent[] = new Array<HistoryEvent>(last - 1);
  for (let position = 1; position < last; position++) {
    const line = position + 1;
    const raw = (lines[position] as string).trim();
    if (raw === "") throw new HistoryFormatError(fileName, line, "line", "blank line inside the history");
    const context = { file: fileName, line };
    events[position - 1] = validateEventShape(context, topics, parseLine(raw, fileName, line), position - 1);
  }
  const history: History = { header, events };
  pairOperations(history, fileName);
  markValidated(history);
  return history;
}
