/**
 * verify's second phase: shrink the first violating scenario within a budget. A Kafka run takes most
 * of a minute, so shrinking there can eat any budget; when the violation reproduces on the engine
 * (same scenario, same guarantees violated), it is shrunk there, in milliseconds per attempt, and the
 * shrunk scenario is then run once on the slow target to confirm it. Otherwise it is shrunk on the
 * target itself, within the budget.
 */
import type fc from "fast-check";
import type { Scenario } from "../../chaos/scenario.js";
import type { GuaranteeId } from "../../model/index.js";
import type { RunOptions, Target } from "../../adapters/target.js";
import { promisedViolations, runAndJudge, type JudgedRun } from "../judge.js";
import { searchScenarios, type SearchResult } from "../search.js";
import { formatScenarioSize, scenarioSize } from "../../chaos/arbitraries/scenario.js";

export interface ShrinkRequest {
  readonly target: Target;
  /** The deterministic engine to try first when `target` is slow (not deterministic); null: never. */
  readonly engine: Target | null;
  readonly arbitrary: fc.Arbitrary<Scenario>;
  readonly guarantees: readonly GuaranteeId[];
  readonly seed: number;
  /** fast-check's path of the first violating run. */
  readonly path: string;
  readonly first: JudgedRun;
  readonly budgetMs: number;
  readonly runOptions: RunOptions;
  readonly out: (line: string) => void;
  readonly progress: (line: string) => void;
  /** Ctrl-C: ends the shrinking as the time limit would. */
  readonly signal?: AbortSignal;
}

export interface ShrinkOutcome {
  readonly result: SearchResult;
  /** Where the shrinking ran, and whether the slow target confirmed the engine's result. */
  readonly shrunkOn: "engine" | "target";
  /** Engine-shrunk scenarios only: true when the target violated again; false: the target's unshrunk run is kept. */
  readonly confirmed?: boolean;
}

function violatedIds(run: JudgedRun, guarantees: readonly GuaranteeId[]): string {
  return promisedViolations(run.verdict, guarantees)
    .map((guarantee) => guarantee.id)
    .sort()
    .join(",");
}

/** "3m", "45s": how a budget reads in a line. */
export function formatBudget(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/** What was found, before any shrinking: the guarantees, up to three anomalies, the scenario's size. */
export function describeFound(run: JudgedRun, guarantees: readonly GuaranteeId[], runNumber: number): string[] {
  const violated = promisedViolations(run.verdict, guarantees);
  const lines = [`verify: VIOLATION in run ${runNumber}: ${violated.map((guarantee) => guarantee.id).join(", ")} violated; scenario ${formatScenarioSize(scenarioSize(run.scenario))}`];
  for (const guarantee of violated) for (const anomaly of guarantee.anomalies.filter((candidate) => !candidate.allowed).slice(0, 3)) lines.push(`  ${guarantee.id} ${anomaly.kind}: ${anomaly.message}`);
  return lines;
}

export async function shrinkViolation(request: ShrinkRequest): Promise<ShrinkOutcome> {
  const { target, engine, guarantees } = request;
  const started = performance.now();
  const left = (): number => Math.max(1, Math.round(request.budgetMs - (performance.now() - started)));
  let shrinks = 0;
  const search = (on: Target, timeLimitMs: number, runOptions: RunOptions): Promise<SearchResult> =>
    searchScenarios({
      target: on,
      arbitrary: request.arbitrary,
      guarantees,
      failOn: "violation",
      numRuns: 1,
      seed: request.seed,
      path: request.path,
      timeLimitMs,
      runOptions,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
      onRun: (run) => {
        shrinks++;
        request.progress(`shrinking the first violation on ${on.name}: ${shrinks} attempts, now ${formatScenarioSize(scenarioSize(run.scenario))}   `);
      },
    });

  if (engine !== null && !target.deterministic) {
    const onEngine = await runAndJudge(engine, request.first.scenario).catch(() => null);
    const wanted = violatedIds(request.first, guarantees);
    if (onEngine !== null && violatedIds(onEngine, guarantees) === wanted) {
      request.out(`verify: the violation (${wanted}) reproduces on the engine: shrinking there, then confirming the result on ${target.name}`);
      const onEngineResult = await search(engine, left(), {});
      if (onEngineResult.error !== undefined) throw onEngineResult.error;
      const shrunk = onEngineResult.counterexample;
      if (onEngineResult.failed && shrunk !== undefined) {
        request.out(`verify: shrunk on the engine in ${onEngineResult.shrinks} steps to ${formatScenarioSize(scenarioSize(shrunk.scenario))}; running it on ${target.name} to confirm`);
        const confirmation = await runAndJudge(target, shrunk.scenario, request.runOptions);
        const confirmed = promisedViolations(confirmation.verdict, guarantees).length > 0;
        request.out(
          confirmed
            ? `verify: confirmed on ${target.name}: the shrunk scenario violates ${violatedIds(confirmation, guarantees)} there too`
            : `verify: NOT confirmed on ${target.name}: the shrunk scenario held there this time; keeping the unshrunk run from ${target.name}`,
        );
        const kept = confirmed ? confirmation : request.first;
        return { result: { ...onEngineResult, counterexample: kept, ...(confirmed ? {} : { shrinks: 0 }) }, shrunkOn: "engine", confirmed };
      }
    } else {
      request.out(`verify: the violation does not reproduce on the engine (${onEngine === null ? "the engine refused the scenario" : `engine: ${violatedIds(onEngine, guarantees) || "nothing"} violated`}): shrinking on ${target.name}`);
    }
  }
  const result = await search(target, left(), request.runOptions);
  return { result, shrunkOn: "target" };
}
