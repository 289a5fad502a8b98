import { assert } from "../simulation/assert.js";
import { LeaderEpochCache } from "./leader-epoch-cache.js";

export interface StoredRecord {
  readonly key: string | null;
  readonly value: string;
}

/** A record batch as it sits in a segment: the unit of append, replication and idempotence. */
export interface StoredBatch {
  readonly baseOffset: number;
  /** The leader epoch under which the leader appended this batch (partitionLeaderEpoch). */
  readonly leaderEpoch: number;
  /** -1 for a non-idempotent producer. */
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly records: readonly StoredRecord[];
  /** Written inside a transaction: invisible to read_committed until its commit marker. */
  readonly transactional?: boolean;
  /** A control batch: one transaction marker record, never returned to applications. */
  readonly control?: "commit" | "abort";
}

export function lastOffsetOf(batch: StoredBatch): number {
  return batch.baseOffset + batch.records.length - 1;
}

/** Rough wire size of a record, for batch.size and fetch byte limits. */
export function recordSize(record: StoredRecord): number {
  return (record.key === null ? 0 : record.key.length) + record.value.length + 14;
}

/**
 * One partition's log on one broker's disk. The page cache and the platter are told apart by
 * `flushedOffset`: a process kill keeps everything, a power loss keeps only offsets below it.
 * Segments are not modelled separately (nothing deletes or compacts yet); the batch list is the log.
 */
export class PartitionLog {
  private batches: StoredBatch[] = [];
  private endOffset = 0;
  readonly startOffset = 0;
  /** Offsets below this are fsynced. */
  flushedOffset = 0;
  /** Appends since the last flush, for log.flush.interval.messages. */
  unflushedMessages = 0;
  lastFlushMs = 0;
  readonly epochCache = new LeaderEpochCache();
  /** The replication-offset-checkpoint entry for this partition (written every few seconds, fsynced). */
  highWatermarkCheckpoint = 0;

  get logEndOffset(): number {
    return this.endOffset;
  }

  get batchCount(): number {
    return this.batches.length;
  }

  allBatches(): readonly StoredBatch[] {
    return this.batches;
  }

  append(batch: StoredBatch): void {
    assert(batch.baseOffset === this.endOffset, `append at ${batch.baseOffset} but log end is ${this.endOffset}`);
    assert(batch.records.length > 0, "empty batch");
    // A batch from an older epoch than the cache's latest only arrives when a planted bug skipped the
    // divergence check; the cache then keeps its newer entry, as Kafka's would.
    this.epochCache.assign(batch.leaderEpoch, batch.baseOffset);
    this.batches.push(batch);
    this.endOffset += batch.records.length;
    this.unflushedMessages += batch.records.length;
  }

  /** Removes every offset >= `offset` (and the epochs that start there). */
  truncateTo(offset: number): void {
    assert(offset >= this.startOffset, `truncate to ${offset} below log start`);
    // Epochs that start at the truncation point go even when no record does: an epoch with no
    // records must not keep claiming the log end, or divergence resolution could not progress.
    this.epochCache.truncateFromEnd(offset);
    if (offset >= this.endOffset) return;
    while (this.batches.length > 0) {
      const last = this.batches.at(-1)!;
      if (last.baseOffset >= offset) {
        this.batches.pop();
        continue;
      }
      if (lastOffsetOf(last) >= offset) {
        this.batches[this.batches.length - 1] = { ...last, records: last.records.slice(0, offset - last.baseOffset) };
      }
      break;
    }
    this.endOffset = offset;
    if (this.flushedOffset > offset) this.flushedOffset = offset;
  }

  /** Batches from `fromOffset` below `toOffset`, at most about `maxBytes` (always at least one batch). */
  read(fromOffset: number, toOffset: number, maxBytes: number): StoredBatch[] {
    const result: StoredBatch[] = [];
    if (fromOffset >= toOffset || fromOffset >= this.endOffset) return result;
    let index = this.batchIndexOf(fromOffset);
    let bytes = 0;
    for (; index < this.batches.length; index++) {
      let batch = this.batches[index]!;
      if (batch.baseOffset >= toOffset) break;
      if (batch.baseOffset < fromOffset || lastOffsetOf(batch) >= toOffset) {
        const start = Math.max(fromOffset, batch.baseOffset) - batch.baseOffset;
        const end = Math.min(toOffset, lastOffsetOf(batch) + 1) - batch.baseOffset;
        batch = {
          ...batch,
          baseOffset: batch.baseOffset + start,
          baseSequence: batch.baseSequence < 0 ? batch.baseSequence : batch.baseSequence + start,
          records: batch.records.slice(start, end),
        };
      }
      let batchBytes = 0;
      for (const record of batch.records) batchBytes += recordSize(record);
      if (result.length > 0 && bytes + batchBytes > maxBytes) break;
      bytes += batchBytes;
      result.push(batch);
    }
    return result;
  }

  flush(nowMs: number): void {
    this.flushedOffset = this.endOffset;
    this.unflushedMessages = 0;
    this.lastFlushMs = nowMs;
  }

  /** Power loss: the page cache is gone; the log is what was fsynced. */
  loseUnflushed(): void {
    this.truncateTo(this.flushedOffset);
    this.unflushedMessages = 0;
  }

  /** Recovery on restart: trims epochs past the log end and the high watermark to the log end. */
  recover(): void {
    this.epochCache.truncateFromEnd(this.endOffset);
    if (this.highWatermarkCheckpoint > this.endOffset) this.highWatermarkCheckpoint = this.endOffset;
  }

  private batchIndexOf(offset: number): number {
    let low = 0;
    let high = this.batches.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.batches[middle]!.baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
