/**
 * The counterexample file: everything `replay` needs to run a failing scenario again, byte for byte
 * on the engine: the scenario (with its seed), the target, the planted bugs, fast-check's seed and
 * replay path, what the replay should show, and the hash of the saved history.
 */
import { readFile } from "node:fs/promises";
import type { GuaranteeId } from "../../model/verdict.js";
import type { PlantedBug } from "../../engine/api.js";
import { plantedBugs } from "../../engine/planted-bugs.js";
import type { Scenario } from "../../chaos/scenario.js";

export interface Counterexample {
  readonly kind: "kafka-harness-counterexample";
  readonly version: 1;
  /** One line for people: what failed and under which configuration. */
  readonly description: string;
  readonly target: "engine" | "kafka";
  readonly plantedBugs: readonly PlantedBug[];
  /** fast-check's seed and path: `fc.assert(..., { seed, path })` replays the shrunk case. */
  readonly fastCheck?: { readonly seed: number; readonly path?: string };
  /** Guarantees the scenario violates (promised) on this target with these bugs. */
  readonly violated: readonly GuaranteeId[];
  /** Guarantees under which it shows allowed anomalies (observed allowed behaviour), if that is the point. */
  readonly allowed?: readonly GuaranteeId[];
  /**
   * A known, not yet fixed bug of the target that this scenario shows (where to read about it). The
   * regression test then expects the recorded behaviour to be *wrong*: it runs as an expected failure
   * and starts failing once the bug is fixed, to say the field can go.
   */
  readonly openIssue?: string;
  /** sha256 of the history's JSON Lines, when the target is deterministic. */
  readonly historySha256?: string;
  readonly scenario: Scenario;
}

/** Every bug the engine documents (engine/planted-bugs.ts): a new one is accepted without edits here. */
const plantedBugNames: readonly PlantedBug[] = plantedBugs.map((bug) => bug.id);

export const knownPlantedBugs = plantedBugNames;

export function parsePlantedBugs(text: string): PlantedBug[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  for (const name of names) {
    if (!plantedBugNames.includes(name as PlantedBug)) throw new RangeError(`planted bug ${JSON.stringify(name)} is not allowed; allowed: ${plantedBugNames.join(", ")}`);
  }
  return names as PlantedBug[];
}

export function isCounterexample(value: unknown): value is Counterexample {
  const object = value as Partial<Counterexample> | null;
  return typeof object === "object" && object !== null && object.kind === "kafka-harness-counterexample" && object.version === 1;
}

export async function readCounterexample(file: string): Promise<Counterexample> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new RangeError(`${file}: cannot read a counterexample (${(error as Error).message})`);
  }
  if (!isCounterexample(parsed)) throw new RangeError(`${file}: kind must be "kafka-harness-counterexample" with version 1`);
  if (parsed.target !== "engine" && parsed.target !== "kafka") throw new RangeError(`${file}: target ${JSON.stringify(parsed.target)} is not allowed; allowed: engine, kafka`);
  parsePlantedBugs((parsed.plantedBugs ?? []).join(","));
  if (!Array.isArray(parsed.violated)) throw new RangeError(`${file}: violated must be a list of guarantee ids`);
  return parsed;
}

export function counterexampleToJson(counterexample: Counterexample): string {
  return `${JSON.stringify(counterexample, null, 2)}\n`;
}
