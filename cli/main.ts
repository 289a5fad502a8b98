/**
 * The command-line entry: `kafka-harness <command> [options]`. Exit codes everywhere: 0 success (every
 * promised guarantee held), 1 a violation, 2 bad input (with a message naming what was wrong).
 */
import { ScenarioError } from "../chaos/problem.js";
import { UsageError } from "./arguments.js";
import { runVerify } from "./verify.js";
import { runReplay } from "./replay.js";
import { runCheck } from "./check.js";
import { runCompare } from "./compare.js";
import { runCleanup } from "./cleanup.js";
import { ExitCode } from "./exit-codes.js";
import { EnvironmentError } from "../fixtures/cluster/environment-error.js";

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
    "Run `kafka-harness <command> --help` for a command's options.",
    "Exit status: 0 every promised guarantee held; 1 a violation; 2 bad input.",
  ].join("\n");
}

type Command = (argv: readonly string[]) => Promise<number>;

const commands: Readonly<Record<string, Command>> = {
  verify: (argv) => runVerify(argv),
  replay: (argv) => runReplay(argv),
  check: (argv) => runCheck([...argv]),
  compare: (argv) => runCompare([...argv]),
  cleanup: (argv) => runCleanup(argv),
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${mainHelp()}\n`);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
  if (run === undefined) {
    process.stderr.write(`kafka-harness: unknown command ${JSON.stringify(command)}; allowed: ${Object.keys(commands).join(", ")}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScenarioError || error instanceof RangeError) {
      process.stderr.write(`kafka-harness ${command}: ${error.message}\n`);
      return 2;
    }
    // The machine stopped the run (no Docker engine, no image, a port taken): one line, no stack.
    if (error instanceof EnvironmentError) {
      process.stderr.write(`kafka-harness ${command}: ${error.message}\n`);
      return ExitCode.environment;
    }
    throw error;
  }
}

// Run when executed directly (tsx cli/main.ts, or the bin shim), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && /(?:cli[\\/]main\.ts|kafka-harness(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`kafka-harness: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
