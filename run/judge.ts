/**
 * Runs one scenario on one target and judges the history: scenario → history → verdict. Scenarios
 * are validated first (structure here, configuration semantics by the model's checker, which refuses
 * invalid configurations in the header), so bad input fails before anything runs.
 */
import type { History } from "../model/index.js";
import type { Anomaly, GuaranteeId, GuaranteeVerdict, Verdict } from "../model/index.js";
import type { Scenario } from "../chaos/scenario.js";
import type { RunOptions, Target } from "../adapters/target.js";
import { validateScenarioShape } from "../chaos/validate.js";
import { ScenarioError } from "../chaos/problem.js";
import { checkHistory, ConfigurationError, validateSetup } from "../model/index.js";

export interface JudgedRun {
  readonly scenario: Scenario;
  readonly history: History;
  readonly verdict: Verdict;
}

/** Structure (chaos/validate.ts) and configuration semantics (the model's validateSetup); throws ScenarioError. */
export function validateScenario(scenario: Scenario, target: Target): void {
  const problems = validateScenarioShape(scenario, target.supportedFaults);
  if (problems.length > 0) throw new ScenarioError(problems);
  try {
    validateSetup({ brokers: scenario.cluster.brokers, broker: scenario.cluster.broker, topics: scenario.topics, clients: scenario.clients });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ScenarioError([{ field: `${error.where}.${error.key}`, value: error.value, allowed: error.allowed }]);
  }
}

export async function runAndJudge(target: Target, scenario: Scenario, options: RunOptions = {}): Promise<JudgedRun> {
  validateScenario(scenario, target);
  const history = await target.run(scenario, options);
  const verdict = checkHistory(history);
  return { scenario, history, verdict };
}

function selected(verdict: Verdict, ids: readonly GuaranteeId[] | undefined): GuaranteeVerdict[] {
  return verdict.guarantees.filter((guarantee) => ids === undefined || ids.includes(guarantee.id));
}

/** Promised guarantees (among `ids`, or all) that the history violates. */
export function promisedViolations(verdict: Verdict, ids?: readonly GuaranteeId[]): GuaranteeVerdict[] {
  return selected(verdict, ids).filter((guarantee) => guarantee.status === "violated");
}

/** Anomalies the configuration allows (observed allowed behaviour), among `ids` or all. */
export function allowedAnomalies(verdict: Verdict, ids?: readonly GuaranteeId[]): Anomaly[] {
  return selected(verdict, ids).flatMap((guarantee) => guarantee.anomalies.filter((anomaly) => anomaly.allowed));
}

/** Guarantee ids the model judged in this verdict (neither not-checked nor absent). */
export function checkedGuarantees(verdict: Verdict): GuaranteeId[] {
  return verdict.guarantees.filter((guarantee) => guarantee.status !== "not-checked").map((guarantee) => guarantee.id);
}
