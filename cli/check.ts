/**
 * `check <history.jsonl> [--json]`: judge a recorded history. Prints the verdict table (or the verdict
 * as JSON) and exits with the verdict's outcome (cli/exit-codes.ts): 0 held, 1 violated, 2 bad input,
 * 3 inconclusive, 4 only client defects.
 */
import { readFile } from "node:fs/promises";
import { ConfigurationError, HistoryFormatError, checkHistory, formatVerdictTable, readHistory } from "../model/index.js";
import { parseArguments, UsageError, type OptionSpec } from "./arguments.js";
import { ExitCode, exitCodeOf, exitStatusHelp } from "./exit-codes.js";

export interface CheckOutput {
  readonly out: (text: string) => void;
  readonly error: (text: string) => void;
}

const standardOutput: CheckOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
};

export const checkOptions: readonly OptionSpec[] = [{ name: "json", flag: true }, { name: "help", flag: true }];

export function checkHelp(): string {
  return [
    "Usage: kafka-harness check <history.jsonl> [--json]",
    "",
    "Judges a recorded history (from verify's run directory, a property, or a Kafka run) with the model",
    "and prints one row per guarantee: holds, violated, inconclusive, not-promised or not-checked.",
    "",
    "Options:",
    "  --json       print the whole verdict as JSON instead of the table",
    "  --help, -h   this text",
    "",
    exitStatusHelp,
  ].join("\n");
}

/** A counterexample.json given to check: say which command reads it rather than a parse error. */
async function counterexampleHint(path: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as { kind?: unknown } | null;
    if (parsed?.kind === "kafka-harness-counterexample") return `${path}: this is a counterexample, not a history: use \`kafka-harness replay <file>\``;
  } catch {
    // Not one JSON value: a history (or something else), for readHistory to judge.
  }
  return undefined;
}

export async function runCheck(argv: string[], output: CheckOutput = standardOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArguments(argv, checkOptions);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.error(`bad input: ${error.message}; ${checkHelp().split("\n")[0]}`);
    return ExitCode.badInput;
  }
  if (parsed.flags.has("help")) {
    output.out(checkHelp());
    return ExitCode.held;
  }
  if (parsed.positionals.length !== 1) {
    output.error(`bad input: check takes one history file, got ${parsed.positionals.length}; ${checkHelp().split("\n")[0]}`);
    return ExitCode.badInput;
  }
  const path = parsed.positionals[0] as string;
  try {
    const hint = await counterexampleHint(path);
    if (hint !== undefined) {
      output.error(`bad input: ${hint}`);
      return ExitCode.badInput;
    }
    const history = await readHistory(path);
    const verdict = checkHistory(history, { file: path });
    output.out(parsed.flags.has("json") ? JSON.stringify(verdict, null, 2) : formatVerdictTable(verdict));
    return exitCodeOf(verdict.outcome);
  } catch (error) {
    if (error instanceof HistoryFormatError || error instanceof ConfigurationError) {
      output.error(`bad input: ${error.message}`);
      return ExitCode.badInput;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      output.error(`bad input: cannot read ${path} (${code})`);
      return ExitCode.badInput;
    }
    throw error;
  }
}
