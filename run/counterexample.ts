/**
 * The counterexample file: everything `replay` needs to run a failing scenario again, byte for byte
 * on the engine: the scenario (with its seed), the target, the planted bugs, fast-check's seed and
 * replay path, what the replay should show, and the hash of the saved history.
 */
import { readFile } from "node:fs/promises";
import type { GuaranteeId } from "../model/index.js";
import type { PlantedBug } from "../engine/api.js";
import { plantedBugs } from "../engine/planted-bugs.js";
import type { Scenario } from "../chaos/scenario.js";
import { didYouMean } from "../model/index.js";
import { CounterexampleError, NotACounterexampleError, validateCounterexampleFields } from "./counterexample-fields.js";

export { CounterexampleError, NotACounterexampleError } from "./counterexample-fields.js";

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
    if (!plantedBugNames.includes(name as PlantedBug)) {
      const hint = didYouMean(name, plantedBugNames);
      throw new RangeError(`planted bug ${JSON.stringify(name)} is not allowed${hint === "" ? `; allowed: ${plantedBugNames.join(", ")}` : hint}`);
    }
  }
  return names as PlantedBug[];
}

export function isCounterexample(value: unknown): value is Counterexample {
  const object = value as Partial<Counterexample> | null;
  return typeof object === "object" && object !== null && object.kind === "kafka-harness-counterexample" && object.version === 1;
}

/** A history file's first line: its header says what it is (JSON Lines do not parse as one JSON value). */
function looksLikeHistory(text: string): boolean {
  const firstLine = text.slice(0, text.indexOf("\n") < 0 ? undefined : text.indexOf("\n"));
  try {
    const header = JSON.parse(firstLine) as { kind?: unknown } | null;
    return typeof header === "object" && header !== null && header.kind === "kafka-harness-history";
  } catch {
    return false;
  }
}

/** Reads and validates a counterexample file; throws CounterexampleError (bad input) naming file and field. */
export async function readCounterexample(file: string): Promise<Counterexample> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CounterexampleError(file, "(file)", `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (looksLikeHistory(text)) throw new NotACounterexampleError(file, "kind", "this is a history, not a counterexample: use `kafka-harness check <file>`");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CounterexampleError(file, "(file)", `not JSON (${(error as Error).message}); expected: a counterexample.json written by verify or a property`);
  }
  validateCounterexampleFields(file, parsed);
  return parsed as Counterexample;
}

export function counterexampleToJson(counterexample: Counterexample): string {
  return `${JSON.stringify(counterexample, null, 2)}\n`;
}
