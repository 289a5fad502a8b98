/**
 * `kafka-harness replay <counterexample.json>`: runs a saved counterexample again on its target (or
 * another with --target) with its planted bugs, prints the verdict, and on the engine checks that the
 * history is byte-identical to the saved one. Exit 1 when a promised guarantee is violated or the
 * engine history differs from the saved one, 0 when every promised guarantee holds, 2 on bad input.
 */
import { dirname, join } from "node:path";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { readCounterexample } from "../properties/support/counterexample.js";
import { createTarget, knownTargetNames } from "../properties/support/targets.js";
import { promisedViolations, runAndJudge } from "../properties/support/judge.js";
import { firstDifferentLine, historyToJsonLines, sha256 } from "../properties/support/history-file.js";
import { formatVerdictTable } from "../properties/support/model.js";
import { parseArguments, single, UsageError, type OptionSpec } from "./arguments.js";

export const replayOptions: readonly OptionSpec[] = [{ name: "target" }, { name: "out" }, { name: "help", flag: true }];

export function replayHelp(): string {
  return [
    "Usage: kafka-harness replay <counterexample.json> [--target engine|kafka] [--out DIR]",
    "",
    "Runs a saved counterexample again (its scenario, seed and planted bugs) and prints the verdict.",
    "On the engine the new history must be byte-identical to the saved one (history.jsonl beside the",
    "file, or the sha256 recorded in it). --target kafka replays an engine counterexample on real Kafka.",
    "--out DIR writes the new history.jsonl there.",
    "",
    "Exit status: 0 every promised guarantee held; 1 a promised guarantee was violated, or the engine",
    "history differs from the saved one; 2 bad input.",
  ].join("\n");
}

export async function runReplay(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(`${text}\n`)): Promise<number> {
  const parsed = parseArguments(argv, replayOptions);
  if (parsed.flags.has("help")) {
    out(replayHelp());
    return 0;
  }
  const file = parsed.positionals[0];
  if (file === undefined || parsed.positionals.length !== 1) throw new UsageError(`replay takes one counterexample file, got ${JSON.stringify(parsed.positionals)}; see replay --help`);
  let counterexample;
  try {
    counterexample = await readCounterexample(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const targetName = single(parsed, "target") ?? counterexample.target;
  if (!knownTargetNames.includes(targetName)) throw new UsageError(`--target ${JSON.stringify(targetName)} is not allowed; allowed: ${knownTargetNames.join(", ")}`);
  const plantedBugs = targetName === "engine" ? counterexample.plantedBugs : [];
  if (targetName !== "engine" && counterexample.plantedBugs.length > 0) out(`replay: planted bugs (${counterexample.plantedBugs.join(", ")}) exist only on the engine; replaying without them`);
  const target = await createTarget(targetName, { plantedBugs });
  try {
    out(`replay: ${counterexample.description}`);
    out(`replay: target ${target.name}${plantedBugs.length > 0 ? ` with planted bugs ${plantedBugs.join(", ")}` : ""}, scenario seed ${counterexample.scenario.seed}`);
    const run = await runAndJudge(target, counterexample.scenario);
    const text = historyToJsonLines(run.history);
    const outDirectory = single(parsed, "out");
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
    return violated.length > 0 || !identical ? 1 : 0;
  } finally {
    await target.close();
  }
}
