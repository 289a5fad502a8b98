/**
 * Why the engine and Kafka differ on a guarantee, in one phrase, or "unexplained". Only reasons the
 * verdicts themselves prove are given: a client defect the model charged the anomalies to, behaviour
 * the configuration allows either way (whether it shows depends on timing, which the engine simulates
 * and Kafka does not), or a side without evidence. A violation on one side with none of these is a
 * real difference between the engine and Kafka, and is said to be unexplained.
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

export function explainDifference(id: GuaranteeId, engine: Verdict, kafka: Verdict): string {
  const onEngine = engine.guarantees.find((guarantee) => guarantee.id === id);
  const onKafka = kafka.guarantees.find((guarantee) => guarantee.id === id);
  const kafkaDefect = defectOn(kafka, id);
  if (kafkaDefect !== null) return `kafka: caused by ${kafkaDefect}`;
  const engineDefect = defectOn(engine, id);
  if (engineDefect !== null) return `engine: caused by ${engineDefect}`;
  for (const [side, guarantee] of [
    ["engine", onEngine],
    ["kafka", onKafka],
  ] as const) {
    if (guarantee?.status === "inconclusive") return `${side}: no evidence (${guarantee.evidence})`;
  }
  if (!broken(onEngine) && !broken(onKafka)) {
    const where = seen(onKafka) ? "kafka" : seen(onEngine) ? "engine" : "neither";
    return `allowed either way; observed on ${where} only (depends on timing)`;
  }
  return "unexplained";
}
