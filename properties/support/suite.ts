/**
 * Registers the three kinds of property tests for a family, on every target under test:
 *   holds   - configurations that promise the guarantees: no violation in many random chaos scenarios;
 *   teeth   - the nearest weaker configuration: the allowed violation is found within a budget;
 *   planted - every planted engine bug is caught by its property, and the shrunk counterexample is small.
 * Counts come from the environment (environment.ts), so `npm test` is quick and nightly runs are long.
 */
import { rm, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { GuaranteeId } from "../../model/index.js";
import type { Target } from "../../adapters/target.js";
import { formatScenarioSize, scenarioSize } from "../../chaos/arbitraries/scenario.js";
import { presetByName, presetScenarioArbitrary } from "../../chaos/arbitraries/presets.js";
import { harnessBudget, harnessRuns, harnessSeed } from "./environment.js";
import { allowedAnomalies, promisedViolations, runAndJudge } from "../../run/judge.js";
import { searchScenarios, type SearchResult } from "../../run/search.js";
import { createTarget } from "../../run/targets.js";
import { targetsUnderTest } from "./targets-under-test.js";
import { writeRunDirectory } from "../../run/run-directory.js";
import type { Family, HoldsCase, PlantedBugCase, TeethCase } from "../../run/property-cases.js";
import { holdsCases, plantedBugArbitrary, plantedBugCases, teethCases } from "../../run/property-cases.js";

/**
 * Shrunk planted-bug counterexamples must be at most this big (faults, producers, sends). Drawn
 * scenarios have up to 25 operations, 3 producers and 7 faults; typical shrunk ones have 1-3 sends and
 * 1-3 faults, and these bounds leave room for fast-check's occasional local minimum.
 */
export const smallCounterexample = { faults: 5, producers: 2, sends: 15 } as const;

const defaultRuns = 20;
const defaultBudget = 2000;
/** Wall-clock bound on one search including shrinking; past it fast-check reports what it has. */
const searchTimeLimitMs = 100_000;
const testTimeoutMs = 150_000;

function outDirectory(): string {
  return process.env.HARNESS_OUT ?? join(tmpdir(), "kafka-harness-runs");
}

function describeSearch(result: SearchResult): string {
  const size = result.counterexample === undefined ? "no counterexample" : formatScenarioSize(scenarioSize(result.counterexample.scenario));
  const before = result.firstFailure === undefined ? "" : ` from ${scenarioSize(result.firstFailure.scenario).steps} steps`;
  return `after ${result.runs} run(s), ${result.shrinks} shrink step(s)${before} -> ${size} (fast-check seed ${result.seed}, path "${result.path ?? ""}")`;
}

async function explainFailure(target: Target, result: SearchResult, plantedBugs: readonly string[], guarantees: readonly GuaranteeId[]): Promise<string> {
  if (result.error !== undefined) return `the target or the model threw: ${(result.error as Error).stack ?? String(result.error)}`;
  if (result.counterexample === undefined) return "failed without a counterexample";
  const written = await writeRunDirectory(result.counterexample, {
    outDirectory: outDirectory(),
    name: `${result.counterexample.scenario.name}-seed${result.seed}`,
    target: target.name,
    deterministic: target.deterministic,
    plantedBugs: plantedBugs as never,
    fastCheck: { seed: result.seed, ...(result.path === undefined ? {} : { path: result.path }) },
    guarantees,
  });
  const messages = promisedViolations(result.counterexample.verdict, guarantees).flatMap((guarantee) => guarantee.anomalies.filter((anomaly) => !anomaly.allowed).slice(0, 3).map((anomaly) => `${guarantee.id}: ${anomaly.message}`));
  return `${messages.join("\n")}\nrun directory: ${written.directory}\nreplay: ${written.replayCommands.join("  or  ")}`;
}

export async function registerHolds(family: Family): Promise<void> {
  const targets = await targetsUnderTest();
  for (const holds of holdsCases.filter((entry) => entry.family === family && entry.pending === undefined)) {
    for (const target of targets) if (holds.engineOnly === undefined || target.name === "engine") registerHoldsCase(holds, target);
  }
}

/** Real Kafka runs a scenario in tens of seconds, not milliseconds: far fewer by default. */
const slowTargetRuns = 3;
const slowTargetBudget = 20;

function registerHoldsCase(holds: HoldsCase, target: Target): void {
  const runs = harnessRuns(target.deterministic ? defaultRuns : slowTargetRuns);
  test(`holds [${target.name}] ${holds.guarantees.join(",")}: ${holds.title} (${runs} scenarios)`, { timeout: testTimeoutMs }, async () => {
    const promisedIn = new Map<GuaranteeId, number>();
    const seed = harnessSeed();
    const result = await searchScenarios({
      target,
      arbitrary: presetScenarioArbitrary(presetByName(holds.preset), {
        name: `holds-${holds.preset}`,
        ...(holds.consumers === undefined ? {} : { consumers: holds.consumers }),
        ...(holds.faultKinds === undefined ? {} : { faultKinds: holds.faultKinds }),
        ...(holds.groupFaultKinds === undefined ? {} : { groupFaultKinds: holds.groupFaultKinds }),
        supportedFaults: target.supportedFaults,
        singleClientLinks: target.singleClientLinks,
      }),
      guarantees: holds.guarantees,
      failOn: "violation",
      numRuns: runs,
      ...(seed === undefined ? {} : { seed }),
      onRun: (run, shrinking) => {
        if (shrinking) return;
        for (const guarantee of run.verdict.guarantees) if (guarantee.status === "holds" || guarantee.status === "violated") promisedIn.set(guarantee.id, (promisedIn.get(guarantee.id) ?? 0) + 1);
      },
    });
    if (result.failed) expect.fail(`a promised guarantee is violated ${describeSearch(result)}\n${await explainFailure(target, result, [], holds.guarantees)}`);
    // A property over a configuration that promises nothing would pass vacuously: check it promised each one.
    for (const id of holds.guarantees) expect(promisedIn.get(id) ?? 0, `${id} was never promised by preset ${holds.preset}`).toBeGreaterThan(0);
  });
}

export async function registerTeeth(family: Family): Promise<void> {
  const targets = await targetsUnderTest();
  for (const teeth of teethCases.filter((entry) => entry.family === family && entry.pending === undefined)) {
    for (const target of targets) if (teeth.engineOnly === undefined || target.name === "engine") registerTeethCase(teeth, target);
  }
}

/**
 * A teeth case behind a known gap (`openIssue`): the search must still find nothing. A few hundred
 * scenarios find every closed teeth case today (they need tens), so this budget notices the fix.
 */
const openIssueBudget = 200;

/** The scenarios a teeth case searches: its weaker preset, its fault kinds, on this target. */
function teethArbitrary(teeth: TeethCase, target: Target): ReturnType<typeof presetScenarioArbitrary> {
  return presetScenarioArbitrary(presetByName(teeth.preset), {
    name: `teeth-${teeth.preset}`,
    ...(teeth.consumers === undefined ? {} : { consumers: teeth.consumers }),
    ...(teeth.faultKinds === undefined ? {} : { faultKinds: teeth.faultKinds }),
    ...(teeth.groupFaultKinds === undefined ? {} : { groupFaultKinds: teeth.groupFaultKinds }),
    ...(teeth.intensity === undefined ? {} : { intensity: teeth.intensity }),
    supportedFaults: target.supportedFaults,
    singleClientLinks: target.singleClientLinks,
  });
}

/** Searches the teeth case's scenarios for its allowed anomaly (`endOnFailure`: stop at the first, no shrinking). */
function searchTeeth(teeth: TeethCase, target: Target, budget: number, endOnFailure: boolean): ReturnType<typeof searchScenarios> {
  const seed = harnessSeed();
  return searchScenarios({
    target,
    arbitrary: teethArbitrary(teeth, target),
    guarantees: teeth.guarantees,
    failOn: "anomaly",
    numRuns: budget,
    timeLimitMs: searchTimeLimitMs,
    ...(endOnFailure ? { endOnFailure } : {}),
    ...(seed === undefined ? {} : { seed }),
  });
}

function registerOpenTeethCase(teeth: TeethCase & { openIssue: string }, target: Target): void {
  const budget = harnessBudget(target.deterministic ? openIssueBudget : slowTargetBudget);
  test(`teeth [${target.name}] ${teeth.guarantees.join("/")}: ${teeth.title} (open issue: not observable yet, checked over ${budget} scenarios)`, { timeout: testTimeoutMs }, async () => {
    const result = await searchTeeth(teeth, target, budget, true);
    if (result.error !== undefined) throw result.error;
    expect(result.failed, `the open issue looks closed: ${teeth.guarantees.join("/")} anomalies are now observed under ${teeth.preset} ${describeSearch(result)}; remove openIssue ("${teeth.openIssue}") from this teeth case`).toBe(false);
  });
}

function registerTeethCase(teeth: TeethCase, target: Target): void {
  if (teeth.openIssue !== undefined) return registerOpenTeethCase({ ...teeth, openIssue: teeth.openIssue }, target);
  const budget = harnessBudget(target.deterministic ? defaultBudget : slowTargetBudget);
  test(`teeth [${target.name}] ${teeth.guarantees.join("/")}: ${teeth.title} (found within ${budget} scenarios)`, { timeout: testTimeoutMs }, async () => {
    const result = await searchTeeth(teeth, target, budget, false);
    expect(result.failed, `no allowed violation of ${teeth.guarantees.join("/")} found in ${result.runs} scenarios`).toBe(true);
    const counterexample = result.counterexample;
    if (counterexample === undefined) return expect.fail(await explainFailure(target, result, [], teeth.guarantees));
    const violations = promisedViolations(counterexample.verdict, teeth.guarantees);
    if (violations.length > 0) expect.fail(`found a violation of a PROMISED guarantee instead of allowed behaviour:\n${await explainFailure(target, result, [], teeth.guarantees)}`);
    const anomalies = allowedAnomalies(counterexample.verdict, teeth.guarantees);
    expect(anomalies.length).toBeGreaterThan(0);
    const first = anomalies[0];
    console.log(
      `teeth ${teeth.guarantees.join("/")} (${teeth.preset}): observed allowed behaviour ${describeSearch(result)}; ${anomalies.length} allowed anomalies, e.g. ${first?.guarantee} ${first?.kind}: ${first?.message}${first?.explanation === undefined ? "" : ` (${first.explanation})`}`,
    );
  });
}

export function registerPlantedBugs(family: Family): void {
  for (const planted of plantedBugCases.filter((entry) => entry.family === family && entry.pending === undefined)) registerPlantedBugCase(planted);
}

function registerPlantedBugCase(planted: PlantedBugCase): void {
  const budget = harnessBudget(defaultBudget);
  test(`planted bug [engine] ${planted.bug} is caught by ${planted.guarantees.join("/")} within ${budget} scenarios, shrunk small`, { timeout: testTimeoutMs }, async () => {
    const buggy = await createTarget("engine", { plantedBugs: [planted.bug] });
    const seed = harnessSeed();
    const result = await searchScenarios({
      target: buggy,
      arbitrary: plantedBugArbitrary(planted, `planted-${planted.bug}`),
      guarantees: planted.guarantees,
      failOn: "violation",
      numRuns: budget,
      timeLimitMs: searchTimeLimitMs,
      ...(seed === undefined ? {} : { seed }),
    });
    expect(result.failed, `planted bug ${planted.bug} was not caught in ${result.runs} scenarios`).toBe(true);
    const counterexample = result.counterexample;
    if (counterexample === undefined) return expect.fail(await explainFailure(buggy, result, [planted.bug], planted.guarantees));
    const violated = promisedViolations(counterexample.verdict, planted.guarantees).map((guarantee) => guarantee.id);
    expect(violated.length).toBeGreaterThan(0);
    const written = await writeRunDirectory(counterexample, {
      outDirectory: outDirectory(),
      name: `planted-${planted.bug}-seed${result.seed}`,
      target: "engine",
      deterministic: true,
      plantedBugs: [planted.bug],
      fastCheck: { seed: result.seed, ...(result.path === undefined ? {} : { path: result.path }) },
      guarantees: planted.guarantees,
      description: `planted bug ${planted.bug} violates ${violated.join(", ")}`,
    });
    const size = scenarioSize(counterexample.scenario);
    console.log(`planted ${planted.bug}: caught as ${violated.join(", ")} ${describeSearch(result)}; counterexample: ${written.counterexampleFile}`);
    // The same scenario on the engine without the bug keeps its promises: the bug is the cause.
    const clean = await runAndJudge(await createTarget("engine"), counterexample.scenario);
    expect(promisedViolations(clean.verdict, planted.guarantees).map((guarantee) => guarantee.id)).toEqual([]);
    if (result.firstFailure !== undefined) expect(size.steps).toBeLessThanOrEqual(scenarioSize(result.firstFailure.scenario).steps);
    if (!result.interrupted) {
      expect(size.faults).toBeLessThanOrEqual(smallCounterexample.faults);
      expect(size.producers).toBeLessThanOrEqual(smallCounterexample.producers);
      expect(size.sends).toBeLessThanOrEqual(smallCounterexample.sends);
    }
    // Every check passed: the run directory explains nothing, so it does not stay in the temp folder
    // (a failing check above leaves it, and its path is in the failure message).
    if (process.env.HARNESS_OUT === undefined) {
      await rm(written.directory, { recursive: true, force: true });
      // The shared parent goes too once empty (rmdir refuses while another test's directory is there).
      await rmdir(outDirectory()).catch(() => undefined);
    }
  });
}
