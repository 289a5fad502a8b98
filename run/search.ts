/**
 * The property search behind every test and `verify`: fast-check draws scenarios, the target runs
 * them, the model judges; the property fails on a violation (or, for teeth searches, on any anomaly
 * of the chosen guarantees), and fast-check shrinks the failure. The last failing run seen is the
 * shrunk counterexample (fast-check's final counterexample is its last failing candidate).
 */
import fc from "fast-check";
import type { GuaranteeId } from "../model/index.js";
import type { Scenario } from "../chaos/scenario.js";
import type { RunOptions, Target } from "../adapters/target.js";
import { allowedAnomalies, promisedViolations, runAndJudge, type JudgedRun } from "./judge.js";
import { EnvironmentError } from "../adapters/target.js";

export type FailOn =
  /** A promised guarantee (among `guarantees`) is violated: a bug in the target. */
  | "violation"
  /** Any anomaly of `guarantees`, allowed or not: used to show the harness finds allowed behaviour. */
  | "anomaly"
  /** Nothing fails: every scenario runs (verify counts all of them, then shrinks the first violation). */
  | "never";

export interface SearchOptions {
  readonly target: Target;
  readonly arbitrary: fc.Arbitrary<Scenario>;
  /** Guarantees the property is about; all the model judges when absent. */
  readonly guarantees?: readonly GuaranteeId[];
  readonly failOn: FailOn;
  readonly numRuns: number;
  readonly seed?: number;
  readonly path?: string;
  /** Wall-clock bound on the whole search, shrinking included (fast-check's interruptAfterTimeLimit). */
  readonly timeLimitMs?: number;
  /** Stop at the first failure without shrinking (measuring time to catch). */
  readonly endOnFailure?: boolean;
  /** Called after every judged run; `shrinking` is true once a failure was found. */
  readonly onRun?: (run: JudgedRun, shrinking: boolean) => void;
  /** Passed to every target run (a Kafka target logs its phases there). */
  readonly runOptions?: RunOptions;
  /**
   * Stops the search between scenarios (Ctrl-C): no new scenario starts, the result says `aborted`.
   * Also handed to the target's run (runOptions.signal), which stops a long run early.
   */
  readonly signal?: AbortSignal;
}

export interface SearchResult {
  readonly failed: boolean;
  /** Scenarios tried before the first failure (or in all, without one); shrink attempts not counted. */
  readonly runs: number;
  readonly shrinks: number;
  readonly seed: number;
  readonly path?: string;
  readonly interrupted: boolean;
  /** True when `signal` stopped the search (interrupted is then true as well). */
  readonly aborted: boolean;
  /** The shrunk failing run. */
  readonly counterexample?: JudgedRun;
  /** The first failing run, before shrinking (to say how much shrinking removed). */
  readonly firstFailure?: JudgedRun;
  /** Set when the failure is an exception from the target or the model rather than a verdict. */
  readonly error?: unknown;
}

export function failsOn(run: JudgedRun, failOn: FailOn, guarantees?: readonly GuaranteeId[]): boolean {
  if (failOn === "never") return false;
  if (promisedViolations(run.verdict, guarantees).length > 0) return true;
  return failOn === "anomaly" && allowedAnomalies(run.verdict, guarantees).length > 0;
}

export async function searchScenarios(options: SearchOptions): Promise<SearchResult> {
  let lastFailure: JudgedRun | undefined;
  let firstFailure: JudgedRun | undefined;
  let lastError: unknown;
  let shrinking = false;
  let environmentFailure: EnvironmentError | undefined;
  const signal = options.signal;
  const runOptions: RunOptions = signal === undefined ? (options.runOptions ?? {}) : { ...options.runOptions, signal };
  // fast-check has no AbortSignal: a precondition failure that interrupts execution ends the run
  // loop (and shrinking) as its own time limit does, without counting as a failure.
  const stop = (): never => {
    throw new fc.PreconditionFailure(true);
  };
  const property = fc.asyncProperty(options.arbitrary, async (scenario) => {
    // The machine failed (no engine, a broker that never starts): shrinking would only try again, a
    // cluster start each time. Every later candidate fails at once with the same error.
    if (environmentFailure !== undefined) throw environmentFailure;
    // The engine runs a scenario without yielding: let pending I/O run between scenarios (a SIGINT's
    // handler, a test runner's messages to its workers, a progress line) before the next one.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted === true) stop();
    let run: JudgedRun;
    try {
      run = await runAndJudge(options.target, scenario, runOptions);
    } catch (error) {
      // A run cut short by the abort is not a failure of the target.
      if (signal?.aborted === true) stop();
      lastError = error;
      if (error instanceof EnvironmentError) environmentFailure = error;
      lastFailure = undefined;
      shrinking = true;
      throw error;
    }
    options.onRun?.(run, shrinking);
    if (!failsOn(run, options.failOn, options.guarantees)) return true;
    lastFailure = run;
    firstFailure ??= run;
    lastError = undefined;
    shrinking = true;
    return false;
  });
  const details = await fc.check(property, {
    numRuns: options.numRuns,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs }),
    markInterruptAsFailure: false,
    endOnFailure: options.endOnFailure ?? false,
  });
  return {
    failed: details.failed,
    runs: details.numRuns,
    shrinks: details.numShrinks,
    seed: details.seed,
    ...(details.counterexamplePath === null ? {} : { path: details.counterexamplePath }),
    interrupted: details.interrupted,
    aborted: signal?.aborted === true && details.interrupted,
    ...(details.failed && lastFailure !== undefined ? { counterexample: lastFailure } : {}),
    ...(details.failed && firstFailure !== undefined ? { firstFailure } : {}),
    ...(details.failed && lastError !== undefined ? { error: lastError } : {}),
  };
}
