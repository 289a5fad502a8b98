/**
 * Writes a run directory for a failing run: scenario.json, history.jsonl, verdict.json, report.md and
 * counterexample.json, and says how to replay it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { GuaranteeId } from "../model/index.js";
import type { PlantedBug } from "../engine/api.js";
import type { JudgedRun } from "./judge.js";
import { allowedAnomalies, promisedViolations } from "./judge.js";
import { historyToJsonLines, sha256 } from "./history-file.js";
import { counterexampleToJson, type Counterexample } from "./counterexample.js";
import { formatReport } from "./report.js";

export interface RunDirectoryOptions {
  /** Parent folder, `runs/` by default in the CLI. */
  readonly outDirectory: string;
  /** Folder name under outDirectory (the CLI uses a timestamp, tests a seed). */
  readonly name: string;
  readonly target: "engine" | "kafka";
  readonly deterministic: boolean;
  readonly plantedBugs: readonly PlantedBug[];
  readonly fastCheck?: { readonly seed: number; readonly path?: string };
  /** The guarantees the property was about; the counterexample's `allowed` lists the observed ones. */
  readonly guarantees?: readonly GuaranteeId[];
  readonly description?: string;
}

export interface WrittenRun {
  readonly directory: string;
  readonly counterexampleFile: string;
  readonly replayCommands: readonly string[];
}

export function replayCommands(counterexampleFile: string): string[] {
  // Relative when it lies below the working directory, else absolute ("../../tmp/..." helps nobody).
  const below = relative(process.cwd(), counterexampleFile);
  const path = below === "" || below.startsWith("..") ? resolve(counterexampleFile) : below;
  return [`npx kafka-harness replay ${path}`, `npm run harness -- replay ${path}`];
}

export async function writeRunDirectory(run: JudgedRun, options: RunDirectoryOptions): Promise<WrittenRun> {
  const directory = join(options.outDirectory, options.name);
  await mkdir(directory, { recursive: true });
  const historyText = historyToJsonLines(run.history);
  // Every violated guarantee, not only the property's: replay and regression tests compare them all.
  const violated = promisedViolations(run.verdict).map((guarantee) => guarantee.id);
  const allowed = [...new Set(allowedAnomalies(run.verdict, options.guarantees).map((anomaly) => anomaly.guarantee))];
  const counterexample: Counterexample = {
    kind: "kafka-harness-counterexample",
    version: 1,
    description: options.description ?? `${run.scenario.name}: ${violated.length > 0 ? `violates ${violated.join(", ")}` : `shows allowed ${allowed.join(", ")}`}`,
    target: options.target,
    plantedBugs: [...options.plantedBugs],
    ...(options.fastCheck === undefined ? {} : { fastCheck: options.fastCheck }),
    violated,
    ...(allowed.length > 0 ? { allowed } : {}),
    ...(options.deterministic ? { historySha256: sha256(historyText) } : {}),
    scenario: run.scenario,
  };
  const counterexampleFile = join(directory, "counterexample.json");
  const commands = replayCommands(counterexampleFile);
  await writeFile(join(directory, "scenario.json"), `${JSON.stringify(run.scenario, null, 2)}\n`);
  await writeFile(join(directory, "history.jsonl"), historyText);
  await writeFile(join(directory, "verdict.json"), `${JSON.stringify(run.verdict, null, 2)}\n`);
  await writeFile(counterexampleFile, counterexampleToJson(counterexample));
  const report = formatReport(run.scenario, run.history, run.verdict, {
    target: options.target,
    plantedBugs: options.plantedBugs,
    replayCommand: commands[0] ?? "",
    ...(options.fastCheck === undefined ? {} : { fastCheck: options.fastCheck }),
  });
  await writeFile(join(directory, "report.md"), report);
  return { directory, counterexampleFile, replayCommands: commands };
}
