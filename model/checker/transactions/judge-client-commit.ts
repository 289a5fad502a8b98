/**
 * T1's client defect, judged first among the transaction rules (it is the root of what follows): a
 * transaction committed ok after one of its own sends completed fail or info. The Java client refuses
 * to commit such a transaction (the failed send leaves it in an abortable error state, and
 * commitTransaction throws); kafkajs commits it, so the record whose send failed may be missing from a
 * committed transaction. That is the client's behaviour, not Kafka's: reported as a client defect
 * naming the client from the header, and the transaction's missing records are implied by it, never
 * reported again as a torn transaction.
 */
import { SendStatus } from "../records.js";
import type { TransactionJudging } from "./transaction-judging.js";
import { outcomeOf, transactionSubject } from "./transaction-model.js";

export function judgeClientCommits(judging: TransactionJudging): void {
  const state = judging.judging.state;
  const table = state.table;
  for (const transaction of judging.model.transactions) {
    if (outcomeOf(transaction) !== "committed") continue;
    const failed = transaction.sends.filter((id) => {
      const status = table.status(id);
      return (status === SendStatus.Fail || status === SendStatus.Info) && table.completionIndex(id) < transaction.endCompletion;
    });
    const first = failed[0];
    if (first === undefined) continue;
    const send = table.view(first);
    const client = judging.client;
    judging.judging.roots.emitClientDefect(
      {
        kind: "commit-after-failed-send",
        guarantee: "T1",
        client,
        message: `${client}: ${transaction.process} committed its transaction (event ${transaction.endCompletion}) after its send of '${send.payload}' completed ${send.status === SendStatus.Fail ? "fail" : "info"} (event ${send.completionIndex}${send.error === undefined ? "" : `, ${send.error}`}): the Java client refuses to commit such a transaction (abortable error); this client committed it, so the transaction may lack that record`,
        records: failed.map((id) => judging.recordOfSend(id)),
        events: [send.completionIndex, transaction.endInvoke, transaction.endCompletion],
        allowed: false,
        configuration: `transactional.id=${transaction.transactionalId}`,
      },
      [transactionSubject(transaction), ...failed.map((id) => table.payload[id] as string)],
    );
  }
}
