/**
 * Engine benchmarks for `npm run bench`: scenarios per second (run and judged), and per planted bug
 * the median wall time and number of scenarios to catch it over several seeds. Kept short (2 cores
 * are shared); BENCH_SCENARIOS and BENCH_SEEDS make it longer, BENCH_BUGS picks planted bugs.
 */
import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { presetByName, presetScenarioArbitrary } from "../chaos/arbitraries/presets.js";
import { plantedBugArbitrary, plantedBugCases } from "../run/property-cases.js";
import { createTarget } from "../run/targets.js";
import { runAndJudge } from "../run/judge.js";
import { searchScenarios } from "../run/search.js";

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function environmentCount(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new RangeError(`${name}=${process.env[name]} is not allowed; allowed: an integer in 1..100000`);
  return value;
}

/** BENCH_BUGS=a,b limits the planted-bug part to those bugs (every case of run/property-cases.ts by default). */
function selectedBugCases(): typeof plantedBugCases {
  const text = process.env.BENCH_BUGS;
  if (text === undefined || text.trim() === "") return plantedBugCases;
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const known = plantedBugCases.map((planted) => planted.bug as string);
  for (const name of names) if (!known.includes(name)) throw new RangeError(`BENCH_BUGS: ${JSON.stringify(name)} is not allowed; allowed: ${known.join(", ")}`);
  return plantedBugCases.filter((planted) => names.includes(planted.bug));
}

export async function benchScenarios(): Promise<void> {
  const scenarios = environmentCount("BENCH_SCENARIOS", 200);
  const seeds = environmentCount("BENCH_SEEDS", 3);
  const bugCases = selectedBugCases();
  const target = await createTarget("engine");
  const samples = fc.sample(presetScenarioArbitrary(presetByName("mixed"), { consumers: 1 }), { numRuns: scenarios, seed: 42 });
  // Warm up the JIT on a few scenarios first, so the figure is the steady state.
  for (const scenario of samples.slice(0, 10)) await runAndJudge(target, scenario);
  let events = 0;
  const started = performance.now();
  for (const scenario of samples) events += (await runAndJudge(target, scenario)).history.events.length;
  const seconds = (performance.now() - started) / 1000;
  console.log(`engine: ${scenarios} chaos scenarios run and judged in ${seconds.toFixed(2)} s: ${(scenarios / seconds).toFixed(1)} scenarios/s, ${Math.round(events / seconds)} history events/s`);

  // Group traffic: the group-sync-after preset (three members and a second group, consumer crashes,
  // freezes and coordinator kills), measured the same way; its cost is the ratio to the rate above.
  const groupCount = Math.max(10, Math.round(scenarios / 4));
  const groupSamples = fc.sample(presetScenarioArbitrary(presetByName("group-sync-after")), { numRuns: groupCount, seed: 42 });
  for (const scenario of groupSamples.slice(0, 3)) await runAndJudge(target, scenario);
  let groupEvents = 0;
  const groupStarted = performance.now();
  for (const scenario of groupSamples) groupEvents += (await runAndJudge(target, scenario)).history.events.length;
  const groupSeconds = (performance.now() - groupStarted) / 1000;
  const groupRate = groupCount / groupSeconds;
  console.log(
    `engine, consumer groups: ${groupCount} group-sync-after scenarios run and judged in ${groupSeconds.toFixed(2)} s: ${groupRate.toFixed(1)} scenarios/s, ` +
      `${Math.round(groupEvents / groupSeconds)} history events/s; ${(groupRate / (scenarios / seconds)).toFixed(2)}x the producer-only rate above`,
  );

  // Transaction traffic: the transactions preset (commits and aborts, read_committed consumers, broker
  // faults), measured the same way; the coordinator, markers and committed final read are its cost.
  const transactionCount = Math.max(10, Math.round(scenarios / 4));
  const transactionSamples = fc.sample(presetScenarioArbitrary(presetByName("transactions")), { numRuns: transactionCount, seed: 42 });
  for (const scenario of transactionSamples.slice(0, 3)) await runAndJudge(target, scenario);
  let transactionEvents = 0;
  const transactionStarted = performance.now();
  for (const scenario of transactionSamples) transactionEvents += (await runAndJudge(target, scenario)).history.events.length;
  const transactionSeconds = (performance.now() - transactionStarted) / 1000;
  const transactionRate = transactionCount / transactionSeconds;
  console.log(
    `engine, transactions: ${transactionCount} transactions scenarios run and judged in ${transactionSeconds.toFixed(2)} s: ${transactionRate.toFixed(1)} scenarios/s, ` +
      `${Math.round(transactionEvents / transactionSeconds)} history events/s; ${(transactionRate / (scenarios / seconds)).toFixed(2)}x the producer-only rate above`,
  );

  console.log(`planted bugs: median over ${seeds} seeds (search only, no shrinking; budget 2000 scenarios, as the planted-bug tests)`);
  for (const planted of bugCases) {
    const buggy = await createTarget("engine", { plantedBugs: [planted.bug] });
    const times: number[] = [];
    const runs: number[] = [];
    let missed = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const begin = performance.now();
      const result = await searchScenarios({
        target: buggy,
        arbitrary: plantedBugArbitrary(planted),
        guarantees: planted.guarantees,
        failOn: "violation",
        numRuns: 2000,
        seed,
        endOnFailure: true,
        timeLimitMs: 120_000,
      });
      if (!result.failed) missed++;
      else {
        times.push(performance.now() - begin);
        runs.push(result.runs);
      }
    }
    const caught = `${seeds - missed}/${seeds} seeds`;
    console.log(`  ${planted.bug.padEnd(34)} caught in ${caught}; median ${median(times).toFixed(0)} ms, median ${median(runs)} scenarios (by ${planted.guarantees.join("/")})`);
  }
}
