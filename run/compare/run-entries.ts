/**
 * Runs compare entries on the engine (with and without a counterexample's planted bugs) and on Kafka,
 * judging every history, writing each scenario, history and verdict beside the others, and handing each
 * entry's typed result to the caller as it is known (the CLI prints it).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Scenario } from "../../chaos/scenario.js";
import type { Target } from "../../adapters/target.js";
import { EnvironmentError } from "../../adapters/target.js";
import { checkHistory, serializeHistory } from "../../model/index.js";
import { createTarget } from "../targets.js";
import { validateScenario } from "../judge.js";
import { safeFileName, timeScaled } from "./entries.js";
import { entryResult, type CompareEntry, type EntryResult, type Outcome } from "./outcome.js";

export interface CompareSettings {
  readonly entries: readonly CompareEntry[];
  readonly engineOnly: boolean;
  readonly timeScale: number;
  readonly strict: boolean;
  readonly outDirectory: string;
}

export interface CompareHooks {
  /** Before an entry runs (index from 0). */
  readonly onStart: (entry: CompareEntry, index: number) => void;
  readonly onResult: (result: EntryResult) => Promise<void> | void;
  /** Kafka progress lines: cluster starts, run phases. */
  readonly progress: (text: string) => void;
  /** Makes the target of the "kafka" column; default the container target (tests hand in another). */
  readonly createKafka?: (logDirectory: string) => Promise<Target>;
}

/** Runs one scenario on one target; an environment failure stops the comparison, any other error is the outcome. */
async function runOne(target: Target, scenario: Scenario, prefix: string, log?: (line: string) => void): Promise<Outcome> {
  const started = performance.now();
  try {
    validateScenario(scenario, target);
    const history = await target.run(scenario, log === undefined ? {} : { log });
    const verdict = checkHistory(history);
    await writeFile(`${prefix}.history.jsonl`, serializeHistory(history));
    await writeFile(`${prefix}.verdict.json`, `${JSON.stringify(verdict, null, 2)}\n`);
    return { kind: "verdict", verdict, history, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    // The machine failed (no engine, a broker that never starts): the next scenarios would fail the
    // same way, so the comparison stops (exit 5) instead of filling the table with ERROR.
    if (error instanceof EnvironmentError) throw error;
    const message = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : String(error);
    await writeFile(`${prefix}.error.txt`, `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { kind: "error", message, seconds: (performance.now() - started) / 1000 };
  }
}

export async function runCompareEntries(settings: CompareSettings, hooks: CompareHooks): Promise<EntryResult[]> {
  const { entries, outDirectory } = settings;
  await mkdir(outDirectory, { recursive: true });
  const results: EntryResult[] = [];
  let kafka: Target | null = null;
  try {
    if (!settings.engineOnly) {
      const logDirectory = join(outDirectory, "kafka-logs");
      kafka = hooks.createKafka === undefined ? await (await import("../../adapters/kafka/index.js")).createKafkaTarget({ logDirectory }) : await hooks.createKafka(logDirectory);
    }
    const { kafkaCannotRun } = await import("../../adapters/kafka/runnable.js");
    for (const [index, entry] of entries.entries()) {
      hooks.onStart(entry, index);
      const prefix = join(outDirectory, safeFileName(entry.label));
      await writeFile(`${prefix}.scenario.json`, `${JSON.stringify(entry.scenario, null, 2)}\n`);
      const engineWithBugs = entry.plantedBugs.length === 0 ? null : await runOne(await createTarget("engine", { plantedBugs: entry.plantedBugs }), entry.scenario, `${prefix}.engine-planted-bug`);
      const engine = await runOne(await createTarget("engine"), entry.scenario, `${prefix}.engine`);
      let kafkaOutcome: Outcome;
      const reason = kafkaCannotRun(entry.scenario);
      if (reason !== null) kafkaOutcome = { kind: "not-runnable", reason };
      else if (kafka === null) kafkaOutcome = { kind: "skipped", reason: "--engine-only" };
      else {
        const scenario = entry.counterexample ? timeScaled(entry.scenario, settings.timeScale) : entry.scenario;
        kafkaOutcome = await runOne(kafka, scenario, `${prefix}.kafka`, (line) => hooks.progress(`  ${line}`));
      }
      const result = entryResult(entry, engineWithBugs, engine, kafkaOutcome, settings.strict);
      results.push(result);
      await hooks.onResult(result);
    }
  } finally {
    await kafka?.close();
  }
  return results;
}
