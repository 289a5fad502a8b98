/**
 * The command-line entry: `kafka-harness <command> [options]`. Exit codes come from cli/exit-codes.ts:
 * 0 held, 1 violation, 2 bad input, 3 inconclusive, 4 only client defects, 5 environment, 6 internal
 * error (a crash is the harness's bug, never reported as bad input), 130 interrupted.
 */
import { runVerify } from "./verify.js";
import { runReplay } from "./replay.js";
import { runCheck } from "./check.js";
import { runCompare } from "./compare.js";
import { runCleanup } from "./cleanup.js";
import { ExitCode, exitStatusHelp } from "./exit-codes.js";
import { describeFailure } from "./failure.js";
import { didYouMean } from "../model/index.js";
import { interruptOnSigint } from "./interrupt.js";
import { quietOnClosedPipe } from "./pipe.js";

export function mainHelp(): string {
  return [
    "Usage: kafka-harness <command> [options]",
    "",
    "Property-based chaos testing of Apache Kafka's documented guarantees: a reference model judges",
    "histories recorded on a deterministic in-process engine or on real Kafka in containers.",
    "",
    "Commands:",
    "  verify     run random chaos scenarios for a configuration and report, per guarantee, whether it",
    "             is promised, runs, violations and observed allowed behaviour (the main command)",
    "  replay     run a saved counterexample again (byte-identical on the engine)",
    "  check      judge a recorded history.jsonl with the model",
    "  compare    run the comparison suite and saved counterexamples on the engine and on real Kafka",
    "  cleanup    list and remove every container, network and volume the harness made (--dry-run)",
    "",
    "Run `kafka-harness <command> --help` (or -h) for a command's options.",
    "",
    exitStatusHelp,
  ].join("\n");
}

type Command = (argv: readonly string[]) => Promise<number>;

const commands: Readonly<Record<string, Command>> = {
  // Ctrl-C stops verify between scenarios: it still prints the table and writes the run directory.
  verify: async (argv) => {
    const interrupt = interruptOnSigint();
    try {
      return await runVerify(argv, undefined, interrupt.signal);
    } finally {
      interrupt.dispose();
    }
  },
  replay: (argv) => runReplay(argv),
  check: (argv) => runCheck([...argv]),
  compare: (argv) => runCompare([...argv]),
  cleanup: (argv) => runCleanup(argv),
};

export async function main(argv: readonly string[], error: (text: string) => void = (text) => process.stderr.write(`${text}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${mainHelp()}\n`);
    return command === undefined ? ExitCode.badInput : ExitCode.held;
  }
  const run = commands[command];
  if (run === undefined) {
    const hint = didYouMean(command, Object.keys(commands));
    error(`kafka-harness: unknown command ${JSON.stringify(command)}${hint === "" ? `; allowed: ${Object.keys(commands).join(", ")}` : hint}`);
    return ExitCode.badInput;
  }
  try {
    return await run(rest);
  } catch (thrown) {
    const failure = describeFailure(command, thrown);
    error(failure.text);
    return failure.code;
  }
}

// Run when executed directly (tsx cli/main.ts, or the bin shim), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && /(?:cli[\\/]main\.ts|kafka-harness(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  quietOnClosedPipe();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (thrown: unknown) => {
      const failure = describeFailure("", thrown);
      process.stderr.write(`${failure.text}\n`);
      process.exitCode = failure.code;
    },
  );
}
