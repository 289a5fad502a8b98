/**
 * What `compare` runs: the fixed suite (chaos/suites/compare-suite.ts, then the consumer-group
 * scenarios of chaos/suites/group-suite.ts and the transaction scenarios of chaos/suites/transaction-suite.ts, the
 * same ones the Kafka suites run) and saved counterexample files,
 * selected by name, grouped by cluster shape so the Kafka target starts as few clusters as possible.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Scenario } from "../../chaos/scenario.js";
import { compareSuite } from "../../chaos/suites/compare-suite.js";
import { groupScenarios } from "../../chaos/suites/group-suite.js";
import { transactionScenarios } from "../../chaos/suites/transaction-suite.js";
import { CounterexampleError, readCounterexample } from "../counterexample.js";
import type { CompareEntry } from "./outcome.js";

/** The producer-side suite, the group scenarios (C1-C8), then the transaction scenarios (T*): one list, so `--scenarios` names any. */
export function suiteEntries(): CompareEntry[] {
  return [...compareSuite, ...groupScenarios, ...transactionScenarios].map((scenario) => ({ label: scenario.name, scenario, plantedBugs: [], counterexample: false, expectedWithBugs: [] }));
}

/** Every counterexample file of a directory, in name order; a bad file is bad input naming it. */
export async function counterexampleEntries(directory: string): Promise<CompareEntry[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    throw new CounterexampleError(directory, "(directory)", `cannot be read (${(error as Error).message}); allowed: a directory of counterexample .json files`);
  }
  const entries: CompareEntry[] = [];
  for (const name of names) {
    const counterexample = await readCounterexample(join(directory, name));
    entries.push({
      label: name,
      scenario: counterexample.scenario,
      plantedBugs: counterexample.plantedBugs,
      counterexample: true,
      expectedWithBugs: counterexample.plantedBugs.length > 0 ? counterexample.violated : [],
    });
  }
  return entries;
}

export function matchesEntry(entry: CompareEntry, name: string): boolean {
  return entry.label === name || entry.label === `${name}.json` || entry.scenario.name === name;
}

/** Groups entries by cluster shape (first appearance order), so the Kafka target starts as few clusters as possible. */
export function byClusterShape(entries: readonly CompareEntry[]): CompareEntry[] {
  const shape = (entry: CompareEntry): string => JSON.stringify([entry.scenario.cluster.brokers, entry.scenario.cluster.controllers, entry.scenario.cluster.broker]);
  const order = new Map<string, number>();
  for (const entry of entries) if (!order.has(shape(entry))) order.set(shape(entry), order.size);
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => (order.get(shape(a.entry)) ?? 0) - (order.get(shape(b.entry)) ?? 0) || a.index - b.index).map(({ entry }) => entry);
}

/** Engine-timed counterexamples need slower timing on real brokers. */
export function timeScaled(scenario: Scenario, factor: number): Scenario {
  return factor === 1 ? scenario : { ...scenario, steps: scenario.steps.map((step) => ({ ...step, at: Math.round(step.at * factor) })) };
}

export function safeFileName(label: string): string {
  return label.replace(/\.json$/, "").replace(/[^A-Za-z0-9._-]/g, "_");
}
