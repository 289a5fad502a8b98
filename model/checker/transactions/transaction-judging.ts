/**
 * What the transaction judges share: the model, the evidence each rule was applied to, and helpers to
 * name records and transactions. Subjects in the root-cause log: record payloads and `txn@<begin>` (a
 * transaction), so one root cause (a client's commit after a failed send, a zombie's commit) is
 * reported once and what follows from it is implied.
 */
import type { Anomaly, AnomalyRecord } from "../../verdict.js";
import type { Judging } from "../judging.js";
import type { TransactionModel, Transaction } from "./transaction-model.js";
import { outcomeOf } from "./transaction-model.js";

export interface TransactionEvidence {
  /** T1: committed transactions with an acknowledged record the final committed reads passed (looked for). */
  atomicTransactions: number;
  /** ... acknowledged records of committed transactions above what the final committed reads reached (not judged). */
  atomicUncovered: number;
  /** T2: records of aborted transactions a read_committed poll passed, and read_committed reads of aborted records. */
  abortedChecks: number;
  /** T3: read_committed reads of transactional records compared with their transaction's commit invocation. */
  committedReads: number;
  /** T4: observed markers compared with the data reads at their offset; consecutive transactions' gaps judged. */
  markersChecked: number;
  markerGaps: number;
  /** ... gaps between consecutive transactions the final read did not cover. */
  markerGapsUncovered: number;
  /** T6: transactions of producer sessions whose transactional id had another session (fencing possible). */
  fencingChecks: number;
}

export class TransactionJudging {
  readonly evidence: TransactionEvidence = {
    atomicTransactions: 0,
    atomicUncovered: 0,
    abortedChecks: 0,
    committedReads: 0,
    markersChecked: 0,
    markerGaps: 0,
    markerGapsUncovered: 0,
    fencingChecks: 0,
  };

  constructor(
    readonly judging: Judging,
    readonly model: TransactionModel,
  ) {}

  emit(anomaly: Anomaly, subjects: readonly string[]): void {
    this.judging.roots.emit(anomaly, subjects);
  }

  /** The client library that produced the history, for client defects ("kafkajs 2.2.4"). */
  get client(): string {
    const client = this.judging.state.history.header.client;
    return client === undefined ? "unknown client" : `${client.name} ${client.version}`;
  }

  recordOfSend(id: number): AnomalyRecord {
    const state = this.judging.state;
    return state.recordOf(state.table.view(id));
  }

  recordAt(partitionId: number, offset: number, value?: string): AnomalyRecord {
    const partition = this.judging.state.partitionOf(partitionId);
    return { topic: partition.topic, partition: partition.partition, offset, ...(value === undefined ? {} : { value }) };
  }

  /** "tx (txn-0, begun at event 3, committed)" */
  describe(transaction: Transaction): string {
    return `transaction of ${transaction.process} (transactional.id=${transaction.transactionalId}, begun at event ${transaction.begin}, ${outcomeOf(transaction)})`;
  }
}
