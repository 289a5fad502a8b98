/**
 * One run's outcome restricted to the guarantees a command judges (`verify --guarantees D2,O3`): a
 * violation of an unselected guarantee must not fail the command, an inconclusive selected one must
 * not pass it. The outcome over many runs is combineOutcomes of these (cli/exit-codes.ts).
 */
import type { GuaranteeId, Verdict, VerdictOutcome } from "../model/verdict.js";
import { combineOutcomes } from "./exit-codes.js";

export function selectedOutcome(verdict: Verdict, guarantees?: readonly GuaranteeId[]): VerdictOutcome {
  // Every guarantee selected: the model's own outcome says it all.
  if (guarantees === undefined) return verdict.outcome;
  const selected = verdict.guarantees.filter((guarantee) => guarantees.includes(guarantee.id));
  if (selected.some((guarantee) => guarantee.status === "violated")) return "violated";
  // A client defect counts when it breaks (or implies a break of) a selected guarantee.
  const concernsSelection = verdict.clientDefects.some((defect) => guarantees.includes(defect.guarantee) || (defect.implies ?? []).some((id) => guarantees.includes(id)));
  if (concernsSelection) return "client-defect";
  if (selected.some((guarantee) => guarantee.status === "inconclusive")) return "inconclusive";
  return "holds";
}

/** The outcome over runs: the most serious; no runs at all is inconclusive (nothing was judged). */
export function outcomeOverRuns(verdicts: Iterable<Verdict>, guarantees?: readonly GuaranteeId[]): VerdictOutcome {
  const outcomes: VerdictOutcome[] = [];
  for (const verdict of verdicts) outcomes.push(selectedOutcome(verdict, guarantees));
  return combineOutcomes(outcomes);
}
