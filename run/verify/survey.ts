/**
 * verify's first phase: run every scenario of the seeded stream (nothing fails the search), tally each
 * verdict, and keep what the later phases need: the first violating run (where shrinking starts) and
 * the run with the most observed allowed behaviour (the example a passing verify leaves behind).
 */
import type fc from "fast-check";
import type { Scenario } from "../../chaos/scenario.js";
import type { GuaranteeId } from "../../model/index.js";
import type { RunOptions, Target } from "../../adapters/target.js";
import { allowedAnomalies, promisedViolations, type JudgedRun } from "../judge.js";
import { searchScenarios, type SearchResult } from "../search.js";
import { VerdictTally } from "../tally.js";

export interface SurveyRequest {
  readonly target: Target;
  readonly arbitrary: fc.Arbitrary<Scenario>;
  readonly guarantees: readonly GuaranteeId[];
  readonly runs: number;
  readonly seed?: number;
  readonly timeLimitMs: number;
  readonly runOptions: RunOptions;
  readonly signal?: AbortSignal;
  /** After every run: for a progress line. */
  readonly onRun?: (tally: VerdictTally, violatingRuns: number) => void;
}

export interface Survey {
  readonly search: SearchResult;
  readonly tally: VerdictTally;
  /** Runs with a promised violation of a selected guarantee. */
  readonly violatingRuns: number;
  /** The first violating run as it ran, and its index in the stream (fast-check's path). */
  readonly firstViolation?: { readonly run: JudgedRun; readonly index: number };
  /** The run that showed the most observed allowed behaviour, and how much. */
  readonly example?: { readonly run: JudgedRun; readonly allowedAnomalies: number };
}

export async function surveyScenarios(request: SurveyRequest): Promise<Survey> {
  const { guarantees } = request;
  const tally = new VerdictTally(guarantees);
  let violatingRuns = 0;
  let firstViolation: Survey["firstViolation"];
  let example: Survey["example"];
  const search = await searchScenarios({
    target: request.target,
    arbitrary: request.arbitrary,
    guarantees,
    failOn: "never",
    numRuns: request.runs,
    timeLimitMs: request.timeLimitMs,
    runOptions: request.runOptions,
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    onRun: (run) => {
      tally.add(run.verdict);
      const score = allowedAnomalies(run.verdict, guarantees).length;
      if (example === undefined || score > example.allowedAnomalies) example = { run, allowedAnomalies: score };
      if (promisedViolations(run.verdict, guarantees).length > 0) {
        violatingRuns++;
        firstViolation ??= { run, index: tally.runs - 1 };
      }
      request.onRun?.(tally, violatingRuns);
    },
  });
  return { search, tally, violatingRuns, ...(firstViolation === undefined ? {} : { firstViolation }), ...(example === undefined ? {} : { example }) };
}
