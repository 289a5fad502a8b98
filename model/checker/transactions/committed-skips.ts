/**
 * What a read_committed consumer legitimately skips (O1 and the gap losses): records of transactions
 * that did not commit (aborted, or of unknown outcome: the coordinator may have aborted them) and the
 * offsets of transaction markers. A read_uncommitted consumer skips neither: records are returned
 * whatever their transaction's outcome, and only markers (which have no observation) leave gaps.
 */
import type { Judging } from "../judging.js";
import { outcomeOf, readsCommitted } from "./transaction-model.js";

export function skippedLegitimately(judging: Judging, process: string, partitionId: number, offset: number): boolean {
  const model = judging.transactionModel;
  if (model === null || !readsCommitted(judging.state, process)) return false;
  if (model.markers.get(partitionId)?.has(offset) === true) return true;
  const send = judging.state.sendOfCode(judging.state.partitionOf(partitionId).offsets.get(offset));
  if (send === null) return false;
  const transaction = model.transactionOf(send.id);
  return transaction !== null && outcomeOf(transaction) !== "committed";
}
