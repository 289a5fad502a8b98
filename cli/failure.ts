/**
 * What a thrown error means for the exit code. Bad input (2) is only what the harness refuses on
 * purpose, with a message naming the problem; an environment failure (5) is the machine's, not the
 * input's; anything else is a bug in the harness (6): a crash must never look like the user's mistake.
 */
import { ScenarioError } from "../chaos/problem.js";
import { ConfigurationError } from "../model/index.js";
import { HistoryFormatError } from "../model/index.js";
import { CounterexampleError } from "../run/counterexample.js";
import { UsageError } from "./arguments.js";
import { ExitCode } from "./exit-codes.js";
import { EnvironmentError } from "../adapters/target.js";

/**
 * Errors that say the environment failed (no Docker engine, an image that does not build, a cluster
 * that never came up): adapters/target.ts's EnvironmentError, and the Kafka target's own setup error,
 * matched by name because the kafka adapter is loaded lazily and may be absent.
 */
const environmentErrorNames: readonly string[] = ["ClusterSetupError"];

export function isBadInput(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof ScenarioError || error instanceof ConfigurationError || error instanceof HistoryFormatError || error instanceof CounterexampleError;
}

export function isEnvironmentFailure(error: unknown): error is Error {
  return error instanceof EnvironmentError || (error instanceof Error && environmentErrorNames.includes(error.name));
}

export interface FailureReport {
  readonly code: ExitCode;
  readonly text: string;
}

/** The exit code and the stderr text for an error that ended `command`. */
export function describeFailure(command: string, error: unknown): FailureReport {
  if (isBadInput(error)) return { code: ExitCode.badInput, text: `kafka-harness ${command}: ${error.message}` };
  if (isEnvironmentFailure(error)) return { code: ExitCode.environment, text: `kafka-harness ${command}: environment problem: ${error.message}` };
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return {
    code: ExitCode.internalError,
    text: [`kafka-harness ${command}: internal error: ${stack}`, "This is a bug in the harness, not in your input or in Kafka: please report it with the stack above and the command line."].join("\n"),
  };
}
