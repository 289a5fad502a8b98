/**
 * The transaction protocol (KIP-98) between a transactional producer, its transaction coordinator and
 * the partition leaders, reduced to what the engine models: FindCoordinator (key type transaction),
 * InitProducerId with a transactional.id, AddPartitionsToTxn, EndTxn, and WriteTxnMarkers from the
 * coordinator to each partition leader of the transaction. Protocol version 1: the producer's epoch is
 * bumped by InitProducerId (and by the coordinator when it aborts a timed-out transaction), not by
 * every EndTxn as KIP-890's version 2 does.
 */
import type { ErrorCode } from "./errors.js";
import type { GroupPartition } from "./group-messages.js";

export type TransactionMessage =
  | { readonly kind: "find-transaction-coordinator"; readonly requestId: number; readonly transactionalId: string }
  | { readonly kind: "find-transaction-coordinator-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly brokerId: number }
  | { readonly kind: "transaction-init"; readonly requestId: number; readonly transactionalId: string; readonly transactionTimeoutMs: number }
  | { readonly kind: "transaction-init-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly producerId: number; readonly producerEpoch: number }
  | {
      readonly kind: "add-partitions-to-transaction";
      readonly requestId: number;
      readonly transactionalId: string;
      readonly producerId: number;
      readonly producerEpoch: number;
      readonly partitions: readonly GroupPartition[];
    }
  | { readonly kind: "add-partitions-to-transaction-response"; readonly requestId: number; readonly error: ErrorCode | null }
  | { readonly kind: "end-transaction"; readonly requestId: number; readonly transactionalId: string; readonly producerId: number; readonly producerEpoch: number; readonly commit: boolean }
  | { readonly kind: "end-transaction-response"; readonly requestId: number; readonly error: ErrorCode | null }
  | {
      readonly kind: "write-transaction-markers";
      readonly requestId: number;
      readonly transactionalId: string;
      readonly producerId: number;
      readonly producerEpoch: number;
      readonly commit: boolean;
      readonly partitions: readonly GroupPartition[];
    }
  | {
      readonly kind: "write-transaction-markers-response";
      readonly requestId: number;
      readonly results: readonly (GroupPartition & { readonly error: ErrorCode | null })[];
    };

export type TransactionRequest = Extract<TransactionMessage, { kind: "find-transaction-coordinator" | "transaction-init" | "add-partitions-to-transaction" | "end-transaction" }>;
export type TransactionResponse = Extract<
  TransactionMessage,
  { kind: "find-transaction-coordinator-response" | "transaction-init-response" | "add-partitions-to-transaction-response" | "end-transaction-response" }
>;

const requestKinds: ReadonlySet<string> = new Set(["find-transaction-coordinator", "transaction-init", "add-partitions-to-transaction", "end-transaction"]);

export function isTransactionRequest(message: { readonly kind: string }): message is TransactionRequest {
  return requestKinds.has(message.kind);
}

/** Kafka's internal topic of transaction metadata (the coordinators' log). */
export const transactionStateTopic = "__transaction_state";
