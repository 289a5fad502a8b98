import type { ErrorCode } from "../protocol/errors.js";
import type { PartitionLog, StoredBatch } from "../storage/partition-log.js";

/** Kafka keeps the metadata of the last five batches per producer and partition. */
export const retainedBatchesPerProducer = 5;

interface BatchMetadata {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  readonly batches: BatchMetadata[];
}

export type SequenceCheck =
  | { readonly type: "append" }
  | { readonly type: "duplicate"; readonly firstOffset: number; readonly lastOffset: number }
  | { readonly type: "error"; readonly error: ErrorCode };

/**
 * The idempotent producers' state of one partition replica: per producer id, its epoch and the last
 * five batches' sequence ranges and offsets. Rebuilt from the log on restart and after truncation
 * (Kafka replays the log from a snapshot; the batches carry everything needed).
 */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(producerId: number, producerEpoch: number, baseSequence: number, recordCount: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    const lastSequence = baseSequence + recordCount - 1;
    if (entry === undefined) return baseSequence === 0 ? { type: "append" } : { type: "error", error: "OUT_OF_ORDER_SEQUENCE_NUMBER" };
    if (producerEpoch < entry.epoch) return { type: "error", error: "INVALID_PRODUCER_EPOCH" };
    if (producerEpoch > entry.epoch) return baseSequence === 0 ? { type: "append" } : { type: "error", error: "OUT_OF_ORDER_SEQUENCE_NUMBER" };
    for (const batch of entry.batches) {
      if (batch.firstSequence === baseSequence && batch.lastSequence === lastSequence) {
        return { type: "duplicate", firstOffset: batch.firstOffset, lastOffset: batch.lastOffset };
      }
    }
    const last = entry.batches.at(-1);
    const expected = last === undefined ? 0 : last.lastSequence + 1;
    return baseSequence === expected ? { type: "append" } : { type: "error", error: "OUT_OF_ORDER_SEQUENCE_NUMBER" };
  }

  /** A transaction marker from an older epoch than the producer's is a fenced coordinator's or producer's. */
  checkMarker(producerId: number, producerEpoch: number): ErrorCode | null {
    const entry = this.producers.get(producerId);
    return entry !== undefined && producerEpoch < entry.epoch ? "INVALID_PRODUCER_EPOCH" : null;
  }

  update(batch: StoredBatch): void {
    if (batch.producerId < 0) return;
    let entry = this.producers.get(batch.producerId);
    if (entry === undefined || batch.producerEpoch > entry.epoch) {
      entry = { epoch: batch.producerEpoch, batches: [] };
      this.producers.set(batch.producerId, entry);
    }
    // A marker carries the epoch (a bumped one fences the producer's older epoch) but no sequences.
    if (batch.control !== undefined) return;
    entry.batches.push({
      firstSequence: batch.baseSequence,
      lastSequence: batch.baseSequence + batch.records.length - 1,
      firstOffset: batch.baseOffset,
      lastOffset: batch.baseOffset + batch.records.length - 1,
    });
    if (entry.batches.length > retainedBatchesPerProducer) entry.batches.shift();
  }

  rebuild(log: PartitionLog): void {
    this.producers.clear();
    for (const batch of log.allBatches()) this.update(batch);
  }
}
