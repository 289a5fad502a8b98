/**
 * The guarantee catalogue of docs/guarantees.md as data: stable ids, names, families, and whether
 * the checker judges them yet (T5 and log management come next).
 */
import type { GuaranteeId } from "./verdict.js";

export type GuaranteeFamily = "delivery" | "ordering" | "transactions" | "groups" | "log";

export interface GuaranteeEntry {
  readonly id: GuaranteeId;
  readonly name: string;
  readonly family: GuaranteeFamily;
  /** False while the checker leaves it `not-checked` (an extension point, see model/README.md). */
  readonly checked: boolean;
}

const entry = (id: GuaranteeId, name: string, family: GuaranteeFamily, checked: boolean): GuaranteeEntry => ({ id, name, family, checked });

export const guaranteeCatalogue: readonly GuaranteeEntry[] = [
  entry("D1", "at-most-once", "delivery", true),
  entry("D2", "at-least-once", "delivery", true),
  entry("D3", "exactly-once (idempotent)", "delivery", true),
  entry("D4", "acks=1 window", "delivery", true),
  entry("D5", "min ISR", "delivery", true),
  entry("D6", "high watermark", "delivery", true),
  entry("D7", "unclean election", "delivery", true),
  entry("D8", "leader epoch", "delivery", true),
  entry("D9", "log consistency", "delivery", true),
  entry("D10", "ack offset", "delivery", true),
  entry("O1", "partition order", "ordering", true),
  entry("O2", "key to partition", "ordering", true),
  entry("O3", "per-key order", "ordering", true),
  entry("O4", "no total order", "ordering", true),
  entry("T1", "atomicity", "transactions", true),
  entry("T2", "aborted invisible", "transactions", true),
  entry("T3", "last stable offset", "transactions", true),
  entry("T4", "markers", "transactions", true),
  entry("T5", "exactly-once processing", "transactions", false),
  entry("T6", "fencing", "transactions", true),
  entry("C1", "exclusive", "groups", true),
  entry("C2", "coverage", "groups", true),
  entry("C3", "committed offset", "groups", true),
  entry("C4", "processing", "groups", true),
  entry("C5", "auto commit", "groups", true),
  entry("C6", "async commit", "groups", true),
  entry("C7", "independent groups", "groups", true),
  entry("C8", "assignors", "groups", true),
  entry("L1", "retention", "log", false),
  entry("L2", "compaction", "log", false),
  entry("L3", "partition count", "log", false),
];

export function catalogueEntry(id: GuaranteeId): GuaranteeEntry {
  const found = guaranteeCatalogue.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`unknown guarantee id ${id}`);
  return found;
}
