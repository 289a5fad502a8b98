/**
 * One partition replica's view of the transactions in its log: which producers have a transaction
 * open (from their first transactional batch to their marker) and which transactions were aborted.
 * The last stable offset is the first offset of the oldest open transaction; read_committed fetches
 * stop there, and read_committed consumers skip the batches of aborted transactions (Kafka's
 * aborted-transaction index). Everything here follows from the log, so it is rebuilt from it after a
 * restart or a truncation, exactly as Kafka rebuilds its producer state and transaction index.
 */
import type { AbortedTransaction } from "../protocol/messages.js";
import { assert } from "../simulation/assert.js";
import type { PartitionLog, StoredBatch } from "../storage/partition-log.js";

/** Bound on aborted transactions kept per partition: a runaway workload, not a real one, exceeds it. */
const maxAbortedTransactions = 1_000_000;

export class TransactionIndex {
  /** Producer id -> first offset of its open transaction. */
  private readonly open = new Map<number, number>();
  /** In marker order, so ascending by marker offset. */
  private readonly aborted: AbortedTransaction[] = [];

  update(batch: StoredBatch): void {
    if (batch.producerId < 0) return;
    if (batch.control !== undefined) {
      const firstOffset = this.open.get(batch.producerId);
      this.open.delete(batch.producerId);
      if (batch.control === "abort" && firstOffset !== undefined) {
        assert(this.aborted.length < maxAbortedTransactions, "too many aborted transactions on one partition");
        this.aborted.push({ producerId: batch.producerId, firstOffset, markerOffset: batch.baseOffset });
      }
      return;
    }
    if (batch.transactional === true && !this.open.has(batch.producerId)) this.open.set(batch.producerId, batch.baseOffset);
  }

  /** A marker applied without a log entry (planted bug marker-without-offset): closes the transaction at `offset`. */
  applyMarkerWithoutEntry(producerId: number, commit: boolean, offset: number): void {
    const firstOffset = this.open.get(producerId);
    this.open.delete(producerId);
    if (!commit && firstOffset !== undefined) this.aborted.push({ producerId, firstOffset, markerOffset: offset });
  }

  rebuild(log: PartitionLog): void {
    this.open.clear();
    this.aborted.length = 0;
    for (const batch of log.allBatches()) this.update(batch);
  }

  /** The first offset of the oldest open transaction, or null when none is open. */
  firstUnstableOffset(): number | null {
    let first: number | null = null;
    for (const offset of this.open.values()) if (first === null || offset < first) first = offset;
    return first;
  }

  /** Aborted transactions with data in [fromOffset, toOffset): what a read_committed fetch of that range needs. */
  abortedIn(fromOffset: number, toOffset: number): AbortedTransaction[] {
    const result: AbortedTransaction[] = [];
    // Ascending by marker offset: skip those that ended before the range with a binary search.
    let low = 0;
    let high = this.aborted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.aborted[middle]!.markerOffset < fromOffset) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < this.aborted.length; index++) {
      const entry = this.aborted[index]!;
      if (entry.firstOffset < toOffset) result.push(entry);
    }
    return result;
  }
}
