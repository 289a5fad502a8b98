/**
 * How a read_committed consumer recognises aborted data: a transactional batch of a producer whose
 * aborted transaction (as the leader's fetch answer lists it) spans the batch's offsets.
 */
import { lastOffsetOf, type StoredBatch } from "../storage/partition-log.js";
import type { AbortedTransaction } from "./messages.js";

/** Whether a data batch belongs to one of the aborted transactions (its producer, inside the range). */
export function isAbortedBatch(batch: StoredBatch, aborted: readonly AbortedTransaction[]): boolean {
  if (batch.transactional !== true) return false;
  for (const entry of aborted) {
    if (entry.producerId === batch.producerId && batch.baseOffset >= entry.firstOffset && lastOffsetOf(batch) < entry.markerOffset) return true;
  }
  return false;
}
