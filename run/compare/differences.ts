/**
 * Why the engine and Kafka differ on a guarantee, in one phrase, or "unexplained". Only reasons the
 * verdicts themselves prove are given: a client defect the model charged the anomalies to, a
 * guarantee one side's recorded configuration does not promise (or its rule did not judge), a side
 * without evidence, or behaviour the configuration allows either way (whether it shows depends on
 * timing, which the engine simulates and Kafka does not). A violation on one side with none of these
 * is a real difference between the engine and Kafka, and is said to be unexplained.
 *
 * The same reasons fit the consumer-group guarantees: auto commit's skips and repeats (C5), an
 * asynchronous commit moving the offset back (C6) or a record processed again after a crash under
 * at-least-once commits (C4) are allowed, and whether a crash or a pause falls between a poll and its
 * commit is timing; a rule judged on evidence one history lacks (C8 compares the coordinator's own view
 * of each generation, which only the engine records; C2 judges only generations complete in the
 * members' reports) gives no evidence on that side.
 */
import type { GuaranteeId, GuaranteeVerdict, Verdict } from "../../model/index.js";

function clientImplied(guarantee: GuaranteeVerdict | undefined): number {
  return guarantee?.implied.filter((entry) => entry.by === "client").reduce((sum, entry) => sum + entry.count, 0) ?? 0;
}

function defectOn(verdict: Verdict, id: GuaranteeId): string | null {
  const defect = verdict.clientDefects.find((candidate) => candidate.guarantee === id || (candidate.implies ?? []).includes(id));
  const guarantee = verdict.guarantees.find((candidate) => candidate.id === id);
  if (defect === undefined && clientImplied(guarantee) === 0) return null;
  const first = defect ?? verdict.clientDefects[0];
  return first === undefined ? "a client defect" : `a ${first.client} defect (${first.kind})`;
}

/** Does anything promised break here? Allowed anomalies and no anomalies both count as "not broken". */
function broken(guarantee: GuaranteeVerdict | undefined): boolean {
  return guarantee?.status === "violated";
}

function seen(guarantee: GuaranteeVerdict | undefined): boolean {
  return (guarantee?.anomalies.length ?? 0) > 0;
}

/** Judged and promised by the history's own configuration. */
function promised(guarantee: GuaranteeVerdict | undefined): boolean {
  return guarantee !== undefined && guarantee.status !== "not-promised" && guarantee.status !== "not-checked";
}

export function explainDifference(id: GuaranteeId, engine: Verdict, kafka: Verdict): string {
  const onEngine = engine.guarantees.find((guarantee) => guarantee.id === id);
  const onKafka = kafka.guarantees.find((guarantee) => guarantee.id === id);
  const kafkaDefect = defectOn(kafka, id);
  if (kafkaDefect !== null) return `kafka: caused by ${kafkaDefect}`;
  const engineDefect = defectOn(engine, id);
  if (engineDefect !== null) return `engine: caused by ${engineDefect}`;
  const sides = [
    ["engine", onEngine],
    ["kafka", onKafka],
  ] as const;
  // One scenario, two histories: a target that records another configuration (a default it cannot
  // change, a commit mode it maps differently) is judged against other promises. That comes first:
  // the rest compares like with like.
  for (const [side, guarantee] of sides) {
    if (guarantee === undefined || guarantee.status === "not-checked") return `${side}: not judged (${guarantee?.reason ?? "no verdict for it"})`;
  }
  if (promised(onEngine) !== promised(onKafka)) {
    const [side, guarantee] = promised(onEngine) ? (["kafka", onKafka] as const) : (["engine", onEngine] as const);
    return `${side}: not promised by its history's configuration (${guarantee?.reason ?? ""})`;
  }
  for (const [side, guarantee] of sides) {
    if (guarantee?.status === "inconclusive") return `${side}: no evidence (${guarantee.evidence})`;
  }
  if (!broken(onEngine) && !broken(onKafka)) {
    // Both kinds differ, neither is broken, both promise alike: anomalies were seen on one side only.
    const where = seen(onKafka) ? "kafka" : "engine";
    return `allowed either way; observed on ${where} only (depends on timing)`;
  }
  return "unexplained";
}
