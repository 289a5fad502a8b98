/**
 * The comparison of targets as typed data: what each target did with one scenario (an outcome), and
 * what follows from two outcomes (the guarantees on which they differ, why, the client defects, what
 * counts toward the exit status). Nothing here renders text for a table: the CLI does that, and no
 * decision is ever taken by reading rendered text back.
 */
import type { Scenario } from "../../chaos/scenario.js";
import type { PlantedBug } from "../../engine/api.js";
import type { History } from "../../model/index.js";
import type { ClientDefect, GuaranteeId, Verdict } from "../../model/index.js";
import { explainDifference } from "./differences.js";

export interface CompareEntry {
  /** Suite scenario name, or counterexample file name. */
  readonly label: string;
  readonly scenario: Scenario;
  readonly plantedBugs: readonly PlantedBug[];
  readonly counterexample: boolean;
  /** Guarantees the counterexample file says the engine violates with its planted bugs. */
  readonly expectedWithBugs: readonly GuaranteeId[];
}

export type Outcome =
  | { readonly kind: "verdict"; readonly verdict: Verdict; readonly history: History; readonly seconds: number }
  | { readonly kind: "error"; readonly message: string; readonly seconds: number }
  | { readonly kind: "not-runnable"; readonly reason: string }
  | { readonly kind: "skipped"; readonly reason: string };

export interface EntryResult {
  readonly entry: CompareEntry;
  /** The engine with the counterexample's planted bugs; null when it has none. */
  readonly engineWithBugs: Outcome | null;
  readonly engine: Outcome;
  readonly kafka: Outcome;
  /** Guarantee ids whose results differ (by kind) between the engine without bugs and Kafka. */
  readonly differences: readonly GuaranteeId[];
  /** Why each difference, by guarantee id ("unexplained" when the verdicts say nothing). */
  readonly reasons: Readonly<Partial<Record<GuaranteeId, string>>>;
  /** Client-library defects per target, as `target:kind (client)`: exit 4 when they are all there is. */
  readonly clientDefects: readonly string[];
  /** What counts toward the exit status. */
  readonly countedViolations: readonly CountedViolation[];
}

/** Which run of an entry something was seen on. */
export type CompareSide = "engine+bug" | "engine" | "kafka";

/** Counts toward compare's exit status: a promised violation, a run that failed, or (strict) a client defect. */
export type CountedViolation =
  | { readonly kind: "violation"; readonly side: CompareSide; readonly guarantee: GuaranteeId }
  | { readonly kind: "error"; readonly side: CompareSide }
  | { readonly kind: "client-defect"; readonly defect: string };

/** `kafka:D2`, `engine:ERROR`, `client-defect:kafka:sequence-reuse (kafkajs 2.2.4)`: for a line or summary.json. */
export function describeCounted(counted: CountedViolation): string {
  switch (counted.kind) {
    case "violation":
      return `${counted.side}:${counted.guarantee}`;
    case "error":
      return `${counted.side}:ERROR`;
    case "client-defect":
      return `client-defect:${counted.defect}`;
  }
}

/**
 * What one target's result for one guarantee is, without counts (two real runs differ in counts):
 * the kind two targets are compared by.
 */
export type ResultKind = "skipped" | "not-runnable" | "error" | "absent" | "not-checked" | "violated" | "allowed" | "client-implied" | "inconclusive" | "none-seen" | "holds";

export function resultKind(outcome: Outcome, id: GuaranteeId): ResultKind {
  if (outcome.kind !== "verdict") return outcome.kind;
  const guarantee = outcome.verdict.guarantees.find((candidate) => candidate.id === id);
  if (guarantee === undefined) return "absent";
  if (guarantee.status === "not-checked") return "not-checked";
  if (guarantee.status === "violated") return "violated";
  if (guarantee.anomalies.some((anomaly) => anomaly.allowed)) return "allowed";
  if (guarantee.implied.some((entry) => entry.by === "client")) return "client-implied";
  if (guarantee.status === "inconclusive") return "inconclusive";
  return guarantee.status === "not-promised" ? "none-seen" : "holds";
}

export function verdictOf(outcome: Outcome | null): Verdict | null {
  return outcome !== null && outcome.kind === "verdict" ? outcome.verdict : null;
}

export function violatedIds(verdict: Verdict): GuaranteeId[] {
  return verdict.guarantees.filter((guarantee) => guarantee.status === "violated").map((guarantee) => guarantee.id);
}

/** Guarantees (judged ones) whose result kinds differ between the engine and Kafka. */
export function differencesOf(engine: Outcome, kafka: Outcome): GuaranteeId[] {
  const engineVerdict = verdictOf(engine);
  if (engineVerdict === null || verdictOf(kafka) === null) return [];
  return engineVerdict.guarantees.filter((guarantee) => guarantee.status !== "not-checked" && resultKind(engine, guarantee.id) !== resultKind(kafka, guarantee.id)).map((guarantee) => guarantee.id);
}

export function reasonsOf(engine: Outcome, kafka: Outcome, differences: readonly GuaranteeId[]): Partial<Record<GuaranteeId, string>> {
  const engineVerdict = verdictOf(engine);
  const kafkaVerdict = verdictOf(kafka);
  if (engineVerdict === null || kafkaVerdict === null) return {};
  return Object.fromEntries(differences.map((id) => [id, explainDifference(id, engineVerdict, kafkaVerdict)]));
}

/** `kafka:sequence-reuse (kafkajs 2.2.4)`, once per target and kind. */
export function defectsOf(named: readonly [string, Outcome | null][]): string[] {
  const found = new Set<string>();
  for (const [name, outcome] of named) {
    const defects: readonly ClientDefect[] = verdictOf(outcome)?.clientDefects ?? [];
    for (const defect of defects) found.add(`${name}:${defect.kind} (${defect.client})`);
  }
  return [...found];
}

/**
 * What counts toward the exit status: every promised violation, every target that failed to run (it
 * proved nothing), violations of the engine with planted bugs beyond those the file expects, and with
 * `strict` the client defects too.
 */
export function countedViolations(result: Omit<EntryResult, "countedViolations">, strict: boolean): CountedViolation[] {
  const counted: CountedViolation[] = [];
  const named: [CompareSide, Outcome | null][] = [
    ["engine+bug", result.engineWithBugs],
    ["engine", result.engine],
    ["kafka", result.kafka],
  ];
  for (const [side, outcome] of named) if (outcome?.kind === "error") counted.push({ kind: "error", side });
  const violation = (side: CompareSide) => (guarantee: GuaranteeId): CountedViolation => ({ kind: "violation", side, guarantee });
  const engine = verdictOf(result.engine);
  if (engine !== null) counted.push(...violatedIds(engine).map(violation("engine")));
  const kafka = verdictOf(result.kafka);
  if (kafka !== null) counted.push(...violatedIds(kafka).map(violation("kafka")));
  const withBugs = verdictOf(result.engineWithBugs);
  if (withBugs !== null) counted.push(...violatedIds(withBugs).filter((id) => !result.entry.expectedWithBugs.includes(id)).map(violation("engine+bug")));
  if (strict) counted.push(...result.clientDefects.map((defect): CountedViolation => ({ kind: "client-defect", defect })));
  return counted;
}

/** The entry's result from its three outcomes. */
export function entryResult(entry: CompareEntry, engineWithBugs: Outcome | null, engine: Outcome, kafka: Outcome, strict: boolean): EntryResult {
  const differences = differencesOf(engine, kafka);
  const partial = {
    entry,
    engineWithBugs,
    engine,
    kafka,
    differences,
    reasons: reasonsOf(engine, kafka, differences),
    clientDefects: defectsOf([
      ["engine", engine],
      ["kafka", kafka],
    ]),
  };
  return { ...partial, countedViolations: countedViolations(partial, strict) };
}

/** An outcome as summary.json keeps it (no history). */
export function briefOutcome(outcome: Outcome | null): unknown {
  if (outcome === null) return null;
  if (outcome.kind === "verdict") {
    const { verdict, history } = outcome;
    return { kind: outcome.kind, seconds: Number(outcome.seconds.toFixed(1)), client: history.header.client ?? null, outcome: verdict.outcome, valid: verdict.valid, violated: violatedIds(verdict), clientDefects: verdict.clientDefects.length, counts: verdict.counts };
  }
  return outcome;
}
