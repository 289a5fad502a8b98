/**
 * What a transaction coordinator writes to its `__transaction_state` partition: the metadata of a
 * transactional id after each change (Kafka's TransactionLogValue). Replaying the partition in order
 * rebuilds every transactional id it coordinates: the last record of an id wins.
 */
import type { GroupPartition } from "../../protocol/group-messages.js";
import type { StoredBatch, StoredRecord } from "../../storage/partition-log.js";

/** Kafka's TransactionState, without the transient states the engine does not need. */
export type TransactionState = "Empty" | "Ongoing" | "PrepareCommit" | "PrepareAbort" | "CompleteCommit" | "CompleteAbort";

export interface TransactionMetadata {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TransactionState;
  readonly partitions: readonly GroupPartition[];
  /** When the transaction began (its first AddPartitionsToTxn): its timeout counts from here. */
  readonly startMs: number;
}

export function encodeTransaction(metadata: TransactionMetadata): StoredRecord {
  return { key: `transaction/${metadata.transactionalId}`, value: JSON.stringify(metadata) };
}

/** The last metadata per transactional id in the log (the engine's own writes: anything else throws). */
export function loadTransactions(batches: readonly StoredBatch[]): Map<string, TransactionMetadata> {
  const latest = new Map<string, TransactionMetadata>();
  for (const batch of batches) {
    if (batch.control !== undefined) continue;
    for (const stored of batch.records) {
      const metadata = JSON.parse(stored.value) as TransactionMetadata;
      if (typeof metadata.transactionalId !== "string" || typeof metadata.state !== "string") throw new Error(`__transaction_state record with key ${stored.key} is not transaction metadata`);
      latest.set(metadata.transactionalId, metadata);
    }
  }
  return latest;
}
