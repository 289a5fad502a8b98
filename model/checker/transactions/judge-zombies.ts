/**
 * T6, fencing. txn-init ok gives a producer session (transactional id, producer id, epoch); a later
 * session's txn-init ok of the same transactional id fences it (transaction-model.ts): the coordinator
 * bumped the epoch, aborts what the fenced session had open, and refuses its later operations.
 * - zombie-commit: a txn-commit ok of a transaction whose session was fenced before the commit was
 *   invoked (a commit invoked before the fencing may still complete: the coordinator had it first);
 * - zombie-write: a record of such a transaction (its end invoked after the fencing, or never) returned
 *   by a read_committed poll. A zombie commit is the root of its own records' zombie writes.
 */
import type { Transaction } from "./transaction-model.js";
import { transactionSubject } from "./transaction-model.js";
import type { TransactionJudging } from "./transaction-judging.js";

/** A transaction whose session was fenced before it invoked its end: the coordinator must abort it. */
export function fencedBeforeEnd(transaction: Transaction): boolean {
  const fencedBy = transaction.session?.fencedBy ?? -1;
  return fencedBy >= 0 && (transaction.endInvoke < 0 || transaction.endInvoke > fencedBy);
}

export function judgeZombies(judging: TransactionJudging): void {
  const model = judging.model;
  const state = judging.judging.state;
  const sessionsById = new Map<string, number>();
  for (const session of model.sessions) if (session.initOk >= 0) sessionsById.set(session.transactionalId, (sessionsById.get(session.transactionalId) ?? 0) + 1);
  for (const transaction of model.transactions) {
    if ((sessionsById.get(transaction.transactionalId) ?? 0) > 1) judging.evidence.fencingChecks++;
    const session = transaction.session;
    if (session === null || !fencedBeforeEnd(transaction) || transaction.endKind !== "commit" || transaction.endType !== "ok") continue;
    judging.emit(
      {
        kind: "zombie-commit",
        guarantee: "T6",
        message: `${transaction.process}'s commit (event ${transaction.endCompletion}) succeeded although its session (txn-init ok at event ${session.initOk}) was fenced by another session of transactional.id=${transaction.transactionalId} (txn-init ok at event ${session.fencedBy}) before the commit was invoked (event ${transaction.endInvoke})`,
        records: transaction.sends.map((id) => judging.recordOfSend(id)),
        events: [session.initOk, session.fencedBy, transaction.endInvoke, transaction.endCompletion],
        allowed: false,
        configuration: `transactional.id=${transaction.transactionalId}`,
      },
      [transactionSubject(transaction), ...transaction.sends.map((id) => state.table.payload[id] as string)],
    );
  }
  const reported = new Set<number>();
  model.forEachRead((poll, record, partitionId, sendId) => {
    if (!poll.readCommitted || reported.has(sendId)) return;
    const transaction = model.transactionOf(sendId);
    if (transaction === null || !fencedBeforeEnd(transaction)) return;
    reported.add(sendId);
    const fencedBy = transaction.session?.fencedBy ?? -1;
    judging.emit(
      {
        kind: "zombie-write",
        guarantee: "T6",
        message: `${poll.process} (read_committed) read '${record.value}' at ${record.topic}-${record.partition} offset ${record.offset}, written by a transaction of ${transaction.process} whose session was fenced (event ${fencedBy}) before it ended`,
        records: [judging.recordAt(partitionId, record.offset, record.value)],
        events: [state.table.invokeIndex(sendId), fencedBy, poll.index],
        allowed: false,
        configuration: `transactional.id=${transaction.transactionalId}, isolation.level=read_committed`,
      },
      [record.value],
    );
  });
}
