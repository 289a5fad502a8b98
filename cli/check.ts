/**
 * `check <history.jsonl> [--json]`: judge a recorded history. Prints the verdict table (or the verdict
 * as JSON) and returns the exit code: 0 every promised guarantee holds, 1 a violation, 2 bad input.
 */
import { ConfigurationError, HistoryFormatError, checkHistory, formatVerdictTable, readHistory } from "../model/index.js";

export interface CheckOutput {
  readonly out: (text: string) => void;
  readonly error: (text: string) => void;
}

const standardOutput: CheckOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
};

const usage = "usage: check <history.jsonl> [--json]";

export async function runCheck(argv: string[], output: CheckOutput = standardOutput): Promise<number> {
  const json = argv.includes("--json");
  const paths = argv.filter((argument) => argument !== "--json");
  const unknown = paths.find((argument) => argument.startsWith("--"));
  if (unknown !== undefined || paths.length !== 1) {
    output.error(unknown === undefined ? usage : `unknown option ${unknown}; ${usage}`);
    return 2;
  }
  const path = paths[0] as string;
  try {
    const history = await readHistory(path);
    const verdict = checkHistory(history, { file: path });
    output.out(json ? JSON.stringify(verdict, null, 2) : formatVerdictTable(verdict));
    return verdict.valid ? 0 : 1;
  } catch (error) {
    if (error instanceof HistoryFormatError || error instanceof ConfigurationError) {
      output.error(`bad input: ${error.message}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      output.error(`bad input: cannot read ${path} (${code})`);
      return 2;
    }
    throw error;
  }
}
