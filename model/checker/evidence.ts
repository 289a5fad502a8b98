/**
 * What each guarantee's rule was actually applied to. "holds" needs evidence: a promised guarantee
 * whose rule touched nothing in the history (no final reads to find a loss, no record of a promising
 * producer, no leader change to test a deposed leader) is inconclusive, and says why.
 */
import type { GuaranteeId } from "../verdict.js";
import type { Judging, RuleEvidence } from "./judging.js";
import { promisedBy } from "./judging.js";

export interface GuaranteeEvidence {
  readonly count: number;
  /** What was checked, when count > 0; why nothing could be, otherwise. */
  readonly text: string;
}

function sum(judging: Judging, id: GuaranteeId, pick: (evidence: RuleEvidence) => number): number {
  let total = 0;
  for (const rules of judging.state.ruleSets) if (promisedBy(rules, id)) total += pick(judging.evidenceOf(rules));
  return total;
}

function described(count: number, what: string, missing: string): GuaranteeEvidence {
  return { count, text: count > 0 ? `${count} ${what}` : missing };
}

export function evidenceFor(judging: Judging, id: GuaranteeId): GuaranteeEvidence {
  const state = judging.state;
  const final = state.hasFinalReads;
  const noFinal = "no final reads: what survived cannot be judged";
  const durability = (what: string, pick: (evidence: RuleEvidence) => number, missing: string): GuaranteeEvidence =>
    final ? described(sum(judging, id, pick), what, missing) : { count: 0, text: noFinal };
  switch (id) {
    case "D1":
      return described(sum(judging, id, (evidence) => evidence.read), "records of at-most-once producers read (duplicates looked for)", "no record of a producer promising it was read");
    case "D2":
      return durability("acknowledged records looked for in the final reads", (evidence) => evidence.judged, "no record of a producer promising it was acknowledged");
    case "D3":
      return described(
        sum(judging, id, (evidence) => (final ? evidence.judged : 0) + evidence.read + evidence.orderPairs),
        "records and pairs of idempotent producers (loss, duplicates, send order)",
        final ? "no record of an idempotent producer was acknowledged or read" : "no final reads, and no record of an idempotent producer was read",
      );
    case "D4":
      return durability("acks=1 records looked for in the final reads", (evidence) => evidence.judged, "no acks=1 record was acknowledged");
    case "D5": {
      const checks = state.evidence.minIsrChecks + sum(judging, id, (evidence) => evidence.refusedJudged);
      return described(checks, "acks=all sends completed while a replica was down or cut off, or refused and looked for in the reads", "no acks=all send completed while a replica was down or cut off, and none was refused: min.insync.replicas was never tested");
    }
    case "D6":
      return final ? described(judging.readBeforeFinal, "records read before the final reads and looked for in them", "no record was read before the final reads") : { count: 0, text: noFinal };
    case "D7":
    case "D8":
      return durability(
        "acknowledged records whose partition saw a fault or leader change after the send",
        (evidence) => evidence.disturbed,
        "no acknowledged acks=all record was followed by a fault or leader change of its partition: the rule was never exercised",
      );
    case "D9":
      return described(state.counts.recordsRead, "records read (identity, one value per offset)", "no record was read");
    case "D10":
      return described(sum(judging, id, (evidence) => evidence.ackRead), "acknowledged records read (compared with their acknowledged offset)", "no acknowledged record with an offset was read");
    case "O1":
      return described(state.consumers.comparisons, "consecutive reads of a partition (compared in offset order)", "no consumer read two records of one partition in a row");
    case "O2":
      return described(state.evidence.keyPlacements, "keyed records (partition compared with murmur2's)", "no keyed record without an explicit partition was located");
    case "O3":
      return described(sum(judging, id, (evidence) => evidence.orderPairs), "pairs of one producer's records (compared in send order)", "no two records of one producer (same key, same partition) were located");
    default:
      return { count: 0, text: "not judged by the core checker" };
  }
}
