/**
 * History serialisation: the model's canonical JSON Lines (header first, fixed field order, sorted
 * keys), so the same run gives the same bytes (replay compares them) and `check` reads the file.
 */
import { createHash } from "node:crypto";
import type { History } from "../model/index.js";
import { serializeHistory } from "../model/index.js";

export function historyToJsonLines(history: History): string {
  return serializeHistory(history);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The first line (1-based) where two JSON Lines texts differ, or null when they are identical. */
export function firstDifferentLine(left: string, right: string): number | null {
  if (left === right) return null;
  const a = left.split("\n");
  const b = right.split("\n");
  const length = Math.max(a.length, b.length);
  for (let line = 0; line < length; line++) if (a[line] !== b[line]) return line + 1;
  return length;
}
