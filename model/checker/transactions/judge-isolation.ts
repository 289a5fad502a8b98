/**
 * T2 and T3, what a poll may return of a transaction, by the reader's isolation.level:
 * - aborted-read (Jepsen's G1a, T2): a poll returned a record of an aborted transaction (abort ok, or
 *   commit fail);
 * - precommitted-read (T3): a poll completed before the txn-commit invocation of the record's
 *   transaction, or the transaction never invoked commit: the reader read past the last stable offset.
 * Under read_committed both are violations. Under read_uncommitted (Kafka's default) both are what the
 * configuration allows: reported once per record as allowed behaviour, the harness observing the
 * weaker configuration. Each is reported for the first poll that shows it, per record and isolation
 * level; an aborted read is the root of the same record's precommitted read.
 */
import type { ReadRecord } from "../../history/event.js";
import type { AnomalyKind } from "../../verdict.js";
import { SendStatus } from "../records.js";
import type { ReaderPoll, Transaction } from "./transaction-model.js";
import { outcomeOf } from "./transaction-model.js";
import type { TransactionJudging } from "./transaction-judging.js";

function isolationWords(poll: ReaderPoll): string {
  return poll.readCommitted ? "isolation.level=read_committed" : "isolation.level=read_uncommitted";
}

/** Read before its transaction's commit was invoked, or its transaction never invoked commit. */
function precommitted(transaction: Transaction, pollIndex: number): boolean {
  return transaction.endKind !== "commit" || pollIndex < transaction.endInvoke;
}

export function judgeIsolation(judging: TransactionJudging): void {
  const model = judging.model;
  const state = judging.judging.state;
  const table = state.table;
  // T2's evidence: records of aborted transactions below an offset some read_committed poll returned.
  const committedReach = new Map<number, number>();
  model.forEachRead((poll, record, partitionId, sendId) => {
    if (!poll.readCommitted) return;
    committedReach.set(partitionId, Math.max(committedReach.get(partitionId) ?? -1, record.offset));
    const transaction = model.transactionOf(sendId);
    if (transaction === null) return;
    judging.evidence.committedReads++;
    if (outcomeOf(transaction) === "aborted") judging.evidence.abortedChecks++;
  });
  for (const transaction of model.transactions) {
    if (outcomeOf(transaction) !== "aborted") continue;
    for (const id of transaction.sends) {
      if (table.status(id) !== SendStatus.Ok || table.ackOffset(id) < 0) continue;
      if (table.ackOffset(id) < (committedReach.get(table.ackPartitionId(id)) ?? -1)) judging.evidence.abortedChecks++;
    }
  }
  emitReads(judging, "aborted-read", (transaction) => outcomeOf(transaction) === "aborted");
  emitReads(judging, "precommitted-read", (transaction, poll) => precommitted(transaction, poll.index));
}

function emitReads(judging: TransactionJudging, kind: AnomalyKind, applies: (transaction: Transaction, poll: ReaderPoll) => boolean): void {
  const model = judging.model;
  const state = judging.judging.state;
  // Per record, the first poll under each isolation level: read_committed's reads are violations, read_uncommitted's allowed.
  const reported = [new Set<number>(), new Set<number>()];
  model.forEachRead((poll, record, partitionId, sendId) => {
    const transaction = model.transactionOf(sendId);
    const seen = reported[poll.readCommitted ? 1 : 0] as Set<number>;
    if (transaction === null || seen.has(sendId) || !applies(transaction, poll)) return;
    seen.add(sendId);
    judging.emit(
      {
        kind,
        guarantee: kind === "aborted-read" ? "T2" : "T3",
        message: message(kind, poll, record, transaction),
        records: [judging.recordAt(partitionId, record.offset, record.value)],
        events: [state.table.invokeIndex(sendId), ...(transaction.endInvoke >= 0 ? [transaction.endInvoke] : []), ...(transaction.endCompletion >= 0 ? [transaction.endCompletion] : []), poll.index].sort((left, right) => left - right),
        allowed: !poll.readCommitted,
        ...(poll.readCommitted ? {} : { explanation: "isolation.level=read_uncommitted returns records of open and aborted transactions" }),
        configuration: `transactional.id=${transaction.transactionalId}, ${isolationWords(poll)}`,
      },
      [record.value],
    );
  });
}

function message(kind: AnomalyKind, poll: ReaderPoll, record: ReadRecord, transaction: Transaction): string {
  const where = `'${record.value}' at ${record.topic}-${record.partition} offset ${record.offset}`;
  const reader = `${poll.process} (${poll.readCommitted ? "read_committed" : "read_uncommitted"}) read ${where} (event ${poll.index})`;
  if (kind === "aborted-read") {
    const how = transaction.endKind === "commit" ? `its commit failed (event ${transaction.endCompletion})` : `it was aborted (event ${transaction.endCompletion})`;
    return `${reader}, a record of an aborted transaction of ${transaction.process}: ${how}`;
  }
  const when = transaction.endKind === "commit" ? `before its transaction's commit was invoked (event ${transaction.endInvoke})` : "from a transaction that never invoked commit";
  return `${reader} ${when}: past the last stable offset`;
}
