/**
 * The group rules on generated histories: a correct group (simulate/correct-group.ts: eager range
 * rebalances, crashes, restarts, commits of every mode, late asynchronous answers, a coordinator that
 * refuses ended generations) never yields a violation; removing one record's processing from a
 * drained group that promises at-least-once always yields a skipped record.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkHistory, commitModes, type History, type ProcessValue } from "../index.js";
import { simulateCorrectGroup } from "../simulate/correct-group.js";
import { pairOperations } from "../history/operations.js";
import { anomalies, violations } from "./support.js";

const runs = Number(process.env.MODEL_PROPERTY_RUNS ?? 200);

const shapes = fc.record({
  mode: fc.constantFrom(...commitModes),
  partitions: fc.integer({ min: 1, max: 3 }),
  recordsPerPartition: fc.integer({ min: 1, max: 12 }),
  members: fc.integer({ min: 1, max: 3 }),
  steps: fc.array(fc.nat({ max: 63 }), { maxLength: 120 }),
});

describe("a correct consumer group", () => {
  it("yields no violation, and every group rule found something to hold on", () => {
    const judged = { ids: new Set<string>(), add(...ids: string[]) { for (const id of ids) this.ids.add(id); } };
    fc.assert(
      fc.property(shapes, (shape) => {
        const verdict = checkHistory(simulateCorrectGroup(shape));
        expect(violations(verdict)).toEqual([]);
        judged.add(...verdict.guarantees.filter((guarantee) => guarantee.id.startsWith("C") && guarantee.status === "holds").map((guarantee) => guarantee.id));
      }),
      { numRuns: runs },
    );
    // Over the runs, every rule was applied to something (C7 needs two groups: not generated here).
    expect([...judged.ids].sort()).toEqual(["C1", "C2", "C3", "C4", "C5", "C6", "C8"]);
  });
});

/** The history without one record in the completed `process` that processed it. */
function withoutProcessing(history: History, completed: ReadonlySet<number>, target: { partition: number; offset: number }): History | null {
  const events = history.events;
  const invoke = events.findIndex((event) => completed.has(event.index) && (event.value as ProcessValue).records.some((entry) => entry.partition === target.partition && entry.offset === target.offset));
  if (invoke < 0) return null;
  const value = events[invoke]?.value as ProcessValue;
  const kept = value.records.filter((entry) => !(entry.partition === target.partition && entry.offset === target.offset));
  const changed = events.map((event, index) => (index === invoke ? { ...event, value: { records: kept } } : event));
  return { header: history.header, events: changed };
}

describe("teeth", () => {
  it("a record whose only processing is removed is a skipped record under at-least-once", () => {
    fc.assert(
      fc.property(shapes, fc.nat(), (shape, pick) => {
        const history = simulateCorrectGroup({ ...shape, mode: "sync-after-processing", members: Math.max(1, shape.members), steps: [0, ...shape.steps] });
        // Processing that completed (its invocation has an ok): only that counts against a skip.
        const pairing = pairOperations(history, "h");
        const completed = new Set<number>(history.events.filter((event) => event.f === "process" && event.type === "ok").map((event) => pairing.invokeOf[event.index] as number));
        const processed = history.events.filter((event) => completed.has(event.index)).flatMap((event) => (event.value as ProcessValue).records);
        const counts = new Map<string, number>();
        for (const entry of processed) counts.set(`${entry.partition}/${entry.offset}`, (counts.get(`${entry.partition}/${entry.offset}`) ?? 0) + 1);
        // Once processed, and neither the first nor the last processed of its partition (removing those
        // only narrows the range judged).
        const bounds = (partition: number) => {
          const offsets = processed.filter((entry) => entry.partition === partition).map((entry) => entry.offset);
          return { low: Math.min(...offsets), high: Math.max(...offsets) };
        };
        const candidates = processed.filter((entry) => counts.get(`${entry.partition}/${entry.offset}`) === 1 && entry.offset > bounds(entry.partition).low && entry.offset < bounds(entry.partition).high);
        fc.pre(candidates.length > 0);
        const target = candidates[pick % candidates.length] as { partition: number; offset: number };
        const mutated = withoutProcessing(history, completed, target);
        if (mutated === null) return;
        const skipped = anomalies(checkHistory(mutated), "skipped-record", "C4");
        expect(skipped.map((anomaly) => [anomaly.records[0]?.partition, anomaly.records[0]?.offset, anomaly.allowed])).toEqual([[target.partition, target.offset, false]]);
      }),
      { numRuns: runs },
    );
  });
});
