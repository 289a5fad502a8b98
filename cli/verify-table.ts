/**
 * verify's final table: one row per guarantee, saying only what was checked: in how many runs the
 * configuration promised it, in how many the rule was exercised on evidence, how many runs violated it,
 * and the observed allowed behaviour as facts (plus what other root causes implied for it). Client
 * defects follow in rows of their own.
 */
import type { GuaranteeId } from "../model/index.js";
import { catalogueEntry } from "../model/index.js";
import type { VerdictTally } from "../run/tally.js";
import { formatTable } from "./table.js";

export function verifyTable(tally: VerdictTally, guarantees: readonly GuaranteeId[]): string {
  const rows = guarantees.map((id) => {
    const entry = tally.guarantees.get(id);
    const name = catalogueEntry(id).name;
    if (entry === undefined) return [[id], [name], ["-"], ["-"], ["-"], ["-"]];
    const promised = entry.promised === 0 ? "no" : entry.promised >= entry.runs ? "yes" : `${entry.promised} of ${entry.runs}`;
    const exercised = entry.promised === 0 ? "-" : entry.exercised === 0 ? "0: inconclusive" : `${entry.exercised} of ${entry.promised}`;
    const notes = [...tally.observedAllowed(id), ...tally.impliedNotes(id)];
    if (entry.promised > 0 && entry.exercised === 0 && entry.lastMissing !== "") notes.push(`not exercised: ${entry.lastMissing}`);
    return [[id], [name], [promised], [exercised], [String(entry.violations)], notes.length === 0 ? ["-"] : notes];
  });
  const table = formatTable(["guarantee", "name", "promised", "exercised", "violations", "observed allowed behaviour, and notes"], rows);
  const defects = tally.clientDefectLines();
  if (defects.length === 0) return table;
  return [table, "", formatTable(["client defect (the client's, not Kafka's)"], defects.map((line) => [[line]]))].join("\n");
}
