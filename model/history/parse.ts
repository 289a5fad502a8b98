/**
 * Reading a history from JSON Lines text: line 1 the header, then one event per line. Every line is
 * validated as it is read; the first problem is thrown as a HistoryFormatError (file, line, field).
 * Blank lines are allowed only at the end (a trailing newline).
 */
import type { History } from "./event.js";
import { HistoryReader } from "./reader.js";

export function parseHistory(text: string, fileName: string): History {
  const reader = new HistoryReader(fileName);
  // Scanning for newlines (rather than split) keeps no array of a million line strings alive.
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    if (end < 0) break;
    reader.line(text.slice(start, end));
    start = end + 1;
  }
  reader.line(text.slice(start));
  return reader.finish();
}
