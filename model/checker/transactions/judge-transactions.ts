/**
 * The transaction judges (T1-T4, T6), in rank order after the core and group judges (root-causes.ts):
 * the client's commit after a failed send, a fenced session's commit and writes, what read_committed
 * and read_uncommitted polls returned, committed transactions against the final committed reads, and
 * the markers' offsets. Runs only for a history with a transactional producer.
 */
import type { Judging } from "../judging.js";
import { judgeAtomicity } from "./judge-atomicity.js";
import { judgeClientCommits } from "./judge-client-commit.js";
import { judgeIsolation } from "./judge-isolation.js";
import { judgeMarkers } from "./judge-markers.js";
import { judgeZombies } from "./judge-zombies.js";
import { TransactionJudging } from "./transaction-judging.js";

export function judgeTransactions(judging: Judging): TransactionJudging | null {
  const model = judging.transactionModel;
  if (model === null) return null;
  const transactions = new TransactionJudging(judging, model);
  judgeClientCommits(transactions);
  judgeZombies(transactions);
  judgeIsolation(transactions);
  judgeAtomicity(transactions);
  judgeMarkers(transactions);
  return transactions;
}
