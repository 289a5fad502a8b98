/**
 * Turns the checker's anomaly log and rule sets into the Verdict contract: per guarantee, `violated`
 * if any anomaly is not allowed, `holds` if some record (or read) in the history is under a
 * configuration that promises it, `not-promised` otherwise, `not-checked` for the families still to come.
 */
import type { GuaranteeId, GuaranteeVerdict, Verdict } from "../verdict.js";
import { guaranteeCatalogue } from "../catalogue.js";
import type { CheckerState } from "./state.js";
import type { LossCounts } from "./judge.js";
import type { ExtensionPromise } from "./extension.js";

/** Guarantees about reads and the log itself: promised whenever the history has records at all. */
const everyConfiguration = new Set<GuaranteeId>(["D6", "D9", "O1", "O4"]);

function describeRules(state: CheckerState, id: GuaranteeId): { promisedRecords: number; reason: string } {
  let promisedRecords = 0;
  let promisedReason: string | undefined;
  let refusedReason: string | undefined;
  for (const rules of state.ruleSets) {
    if (rules.sends === 0) continue;
    const entry = rules.table.get(id);
    if (entry === undefined) continue;
    const label = `${rules.process} on '${rules.topic}'`;
    if (entry.promised) {
      promisedRecords += rules.sends;
      promisedReason ??= `${label}: ${entry.reason}`;
    } else {
      refusedReason ??= `not for ${label}: ${entry.reason}`;
    }
  }
  const reason = [promisedReason, refusedReason].filter((part) => part !== undefined).join("; ");
  return { promisedRecords, reason: reason.length > 0 ? reason : "no producer sent records" };
}

export function buildVerdict(state: CheckerState, losses: LossCounts, extended: ReadonlyMap<GuaranteeId, ExtensionPromise> = new Map()): Verdict {
  const hasRecords = state.counts.sends > 0 || state.counts.recordsRead > 0;
  const guarantees: GuaranteeVerdict[] = guaranteeCatalogue.map((entry) => {
    const extension = extended.get(entry.id);
    if (extension !== undefined) {
      const log = state.anomalies.of(entry.id);
      const counts: Record<string, number> = { promisedRecords: extension.promisedRecords, violations: log.violations, allowed: log.allowed };
      for (const [kind, count] of log.byKind) counts[kind] = count;
      const status = log.violations > 0 ? "violated" : extension.promisedRecords > 0 ? "holds" : "not-promised";
      return { id: entry.id, status, reason: extension.reason, anomalies: [...log.kept], counts, evidence: "", implied: [] };
    }
    if (!entry.checked) {
      return { id: entry.id, status: "not-checked", reason: `${entry.family} guarantees are not judged yet (extension point)`, anomalies: [], counts: {}, evidence: "", implied: [] };
    }
    const log = state.anomalies.of(entry.id);
    const described = describeRules(state, entry.id);
    const universal = everyConfiguration.has(entry.id);
    const promised = universal ? hasRecords : described.promisedRecords > 0;
    const status = log.violations > 0 ? "violated" : promised ? "holds" : "not-promised";
    const counts: Record<string, number> = {
      promisedRecords: universal ? state.counts.sends : described.promisedRecords,
      violations: log.violations,
      allowed: log.allowed,
    };
    for (const [kind, count] of log.byKind) counts[kind] = count;
    const reason = universal ? (state.ruleSets[0]?.table.get(entry.id)?.reason ?? "promised by every configuration") : described.reason;
    return { id: entry.id, status, reason, anomalies: [...log.kept], counts, evidence: "", implied: [] };
  });
  const counts: Record<string, number> = {
    ...state.counts,
    unfinished: state.counts.sends - state.counts.acknowledged - state.counts.failed - state.counts.indefinite,
    ...losses,
    faults: state.faults.faults,
    elections: state.faults.elections,
    consumerOrderCandidatesDropped: state.consumers.dropped,
  };
  const valid = guarantees.every((guarantee) => guarantee.status !== "violated");
  return { guarantees, counts, clientDefects: [], outcome: valid ? "holds" : "violated", valid };
}
