/**
 * T1, atomicity, against the final committed reads (the finale's read_committed reader, every
 * partition from its start). For each committed transaction, its records whose own send completed ok:
 * - torn-transaction: some are visible to the final committed reads, others are missing where those
 *   reads went past them (a later offset of the partition was returned);
 * - lost-write (Jepsen's name, here of a committed transaction): none is visible, and some are missing
 *   where the reads went past them.
 * Records above what the final committed reads reached are not judged (counted in the evidence). Sends
 * that completed fail or info are left out: their records may or may not be in the log, and a commit
 * after them is the client's (judge-client-commit.ts), the root of what is missing. A record missing
 * from the read_uncommitted final read too is a loss the D rules report: T1 lists it as implied.
 */
import { SendStatus } from "../records.js";
import { finalCommittedReaderProcess } from "../../history/shape.js";
import type { TransactionJudging } from "./transaction-judging.js";
import { outcomeOf, transactionSubject } from "./transaction-model.js";

export function judgeAtomicity(judging: TransactionJudging): void {
  const model = judging.model;
  const state = judging.judging.state;
  const table = state.table;
  /** Per send id: the final committed read that returned it (-1: none). */
  const visibleAt = new Int32Array(table.count).fill(-1);
  const reach = new Map<number, number>();
  let finalCommittedPolls = 0;
  for (const poll of model.polls) if (poll.readCommitted && (poll.final || poll.process === finalCommittedReaderProcess)) finalCommittedPolls++;
  if (finalCommittedPolls === 0) return;
  model.forEachRead((poll, record, partitionId, sendId) => {
    if (!poll.readCommitted || !(poll.final || poll.process === finalCommittedReaderProcess)) return;
    if (sendId >= 0 && (visibleAt[sendId] ?? -1) < 0) visibleAt[sendId] = poll.index;
    reach.set(partitionId, Math.max(reach.get(partitionId) ?? -1, record.offset));
  });
  for (const transaction of model.transactions) {
    if (outcomeOf(transaction) !== "committed") continue;
    const visible: number[] = [];
    const missing: number[] = [];
    for (const id of transaction.sends) {
      if (table.status(id) !== SendStatus.Ok) continue;
      if ((visibleAt[id] ?? -1) >= 0) visible.push(id);
      else if (table.ackOffset(id) >= 0 && table.ackOffset(id) < (reach.get(table.ackPartitionId(id)) ?? -1)) missing.push(id);
      else judging.evidence.atomicUncovered++;
    }
    if (visible.length + missing.length > 0) judging.evidence.atomicTransactions++;
    if (missing.length === 0) continue;
    const names = (ids: readonly number[]): string => ids.map((id) => `'${table.payload[id] as string}' (offset ${table.ackOffset(id)})`).join(", ");
    const torn = visible.length > 0;
    judging.emit(
      {
        kind: torn ? "torn-transaction" : "lost-write",
        guarantee: "T1",
        message: torn
          ? `the committed ${judging.describe(transaction)} is torn: the final committed reads hold ${names(visible)} but not ${names(missing)}, though they read past them`
          : `every acknowledged record of the committed ${judging.describe(transaction)} is missing from the final committed reads, which read past them: ${names(missing)}`,
        records: [...missing, ...visible].map((id) => judging.recordOfSend(id)),
        events: [...missing.map((id) => table.completionIndex(id)), transaction.endCompletion, ...visible.map((id) => visibleAt[id] as number)].sort((left, right) => left - right),
        allowed: false,
        configuration: `transactional.id=${transaction.transactionalId}, isolation.level=read_committed`,
      },
      [transactionSubject(transaction), ...missing.map((id) => table.payload[id] as string)],
    );
  }
}
