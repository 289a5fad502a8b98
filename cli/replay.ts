/**
 * `kafka-harness replay <counterexample.json>`: runs a saved counterexample again on its target (or
 * another with --target) with its planted bugs, prints the verdict, and on the engine checks that the
 * history is byte-identical to the saved one. The exit code is the new verdict's outcome
 * (cli/exit-codes.ts: 0 held, 1 violated, 3 inconclusive, 4 only client defects), except that an engine
 * history differing from the saved one is 1: the counterexample no longer shows what it recorded.
 */
import { dirname, join } from "node:path";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { readCounterexample } from "../run/counterexample.js";
import { createTarget, knownTargetNames } from "../run/targets.js";
import { promisedViolations, runAndJudge } from "../run/judge.js";
import { firstDifferentLine, historyToJsonLines, sha256 } from "../run/history-file.js";
import { formatVerdictTable } from "../model/index.js";
import { parseArguments, single, UsageError, type OptionSpec } from "./arguments.js";
import { ExitCode, exitCodeOf, exitStatusHelp } from "./exit-codes.js";
import { checkOutDirectory } from "./out-directory.js";
import { didYouMean } from "../model/index.js";

export const replayOptions: readonly OptionSpec[] = [{ name: "target" }, { name: "out" }, { name: "help", flag: true }];

export function replayHelp(): string {
  return [
    "Usage: kafka-harness replay <counterexample.json> [--target engine|kafka] [--out DIR]",
    "",
    "Runs a saved counterexample again (its scenario, seed and planted bugs) and prints the verdict.",
    "On the engine the new history must be byte-identical to the saved one (history.jsonl beside the",
    "file, or the sha256 recorded in it). --target kafka replays an engine counterexample on real Kafka.",
    "--out DIR writes the new history.jsonl there. --help, -h: this text.",
    "The engine target refuses a scenario with configuration keys it does not model (exit 2).",
    "replay also exits 1 when the engine history differs from the saved one.",
    "",
    exitStatusHelp,
  ].join("\n");
}

export async function runReplay(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(`${text}\n`)): Promise<number> {
  const parsed = parseArguments(argv, replayOptions);
  if (parsed.flags.has("help")) {
    out(replayHelp());
    return ExitCode.held;
  }
  const file = parsed.positionals[0];
  if (file === undefined || parsed.positionals.length !== 1) throw new UsageError(`replay takes one counterexample file, got ${JSON.stringify(parsed.positionals)}; see replay --help`);
  // CounterexampleError names file, field and problem; the CLI reports it as bad input (exit 2).
  const counterexample = await readCounterexample(file);
  const targetName = single(parsed, "target") ?? counterexample.target;
  if (!knownTargetNames.includes(targetName)) throw new UsageError(`--target ${JSON.stringify(targetName)} is not allowed${didYouMean(targetName, knownTargetNames)}; allowed: ${knownTargetNames.join(", ")}`);
  const outDirectory = single(parsed, "out");
  if (outDirectory !== undefined) await checkOutDirectory(outDirectory);
  const plantedBugs = targetName === "engine" ? counterexample.plantedBugs : [];
  if (targetName !== "engine" && counterexample.plantedBugs.length > 0) out(`replay: planted bugs (${counterexample.plantedBugs.join(", ")}) exist only on the engine; replaying without them`);
  const target = await createTarget(targetName, { plantedBugs });
  try {
    out(`replay: ${counterexample.description}`);
    out(`replay: target ${target.name}${plantedBugs.length > 0 ? ` with planted bugs ${plantedBugs.join(", ")}` : ""}, scenario seed ${counterexample.scenario.seed}`);
    const run = await runAndJudge(target, counterexample.scenario);
    const text = historyToJsonLines(run.history);
    if (outDirectory !== undefined) {
      await mkdir(outDirectory, { recursive: true });
      await writeFile(join(outDirectory, "history.jsonl"), text);
    }
    out(formatVerdictTable(run.verdict));
    let identical = true;
    if (target.deterministic && targetName === counterexample.target) {
      const saved = await readFile(join(dirname(file), "history.jsonl"), "utf8").catch(() => undefined);
      if (saved !== undefined) {
        const line = firstDifferentLine(saved, text);
        identical = line === null;
        out(identical ? "replay: history byte-identical to the saved history.jsonl" : `replay: history DIFFERS from the saved history.jsonl from line ${line}`);
      } else if (counterexample.historySha256 !== undefined) {
        identical = sha256(text) === counterexample.historySha256;
        out(identical ? "replay: history byte-identical (sha256 matches the counterexample)" : "replay: history DIFFERS (sha256 does not match the counterexample)");
      }
    }
    const violated = promisedViolations(run.verdict).map((guarantee) => guarantee.id);
    const expected = [...counterexample.violated].sort().join(",");
    out(`replay: violated ${violated.length === 0 ? "nothing" : violated.join(", ")} (the counterexample recorded ${expected === "" ? "nothing" : expected})`);
    return identical ? exitCodeOf(run.verdict.outcome) : ExitCode.violated;
  } finally {
    await target.close();
  }
}
