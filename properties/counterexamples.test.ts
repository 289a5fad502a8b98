/**
 * Saved counterexamples (fixtures/counterexamples/*.json) are regression tests, automatically: each
 * file's scenario runs on the engine with its planted bugs and must show what it recorded (the same
 * violated guarantees, and the same history bytes when a sha256 is recorded); with the planted bugs
 * switched off the engine must keep every promise on the same scenario.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readCounterexample } from "../run/counterexample.js";
import { createTarget } from "../run/targets.js";
import { allowedAnomalies, promisedViolations, runAndJudge } from "../run/judge.js";
import { historyToJsonLines, sha256 } from "../run/history-file.js";

const directory = join(import.meta.dirname, "..", "fixtures", "counterexamples");
function readCounterexampleSync(file: string): { openIssue?: string } {
  return JSON.parse(readFileSync(file, "utf8")) as { openIssue?: string };
}

const files = readdirSync(directory).filter((name) => name.endsWith(".json")).sort();

describe("saved counterexamples", () => {
  test("the fixtures folder holds counterexamples", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const name of files) {
    const known = readCounterexampleSync(join(directory, name)).openIssue;
    // A known open bug: the fixture records the correct expectation, and the test is an expected failure.
    const register = known === undefined ? test : test.fails;
    register(`${name} reproduces what it recorded${known === undefined ? "" : ` (open issue: ${known})`}`, async () => {
      const counterexample = await readCounterexample(join(directory, name));
      if (counterexample.target !== "engine") return;
      const run = await runAndJudge(await createTarget("engine", { plantedBugs: counterexample.plantedBugs }), counterexample.scenario);
      expect(promisedViolations(run.verdict).map((guarantee) => guarantee.id).sort()).toEqual([...counterexample.violated].sort());
      for (const id of counterexample.allowed ?? []) expect(allowedAnomalies(run.verdict, [id]).length, `allowed anomalies of ${id}`).toBeGreaterThan(0);
      if (counterexample.historySha256 !== undefined) expect(sha256(historyToJsonLines(run.history))).toBe(counterexample.historySha256);
    });

    test(`${name}: one root cause, one row (each record in at most one anomaly, the rest implied)`, async () => {
      const counterexample = await readCounterexample(join(directory, name));
      if (counterexample.target !== "engine" || counterexample.plantedBugs.length === 0) return;
      const run = await runAndJudge(await createTarget("engine", { plantedBugs: counterexample.plantedBugs }), counterexample.scenario);
      // A planted bug is one root cause: it violates one guarantee, and no record is reported twice.
      expect(promisedViolations(run.verdict).map((guarantee) => guarantee.id)).toHaveLength(1);
      const seen = new Map<string, string>();
      for (const guarantee of run.verdict.guarantees) {
        for (const anomaly of guarantee.anomalies) {
          if (anomaly.records.length !== 1) continue;
          const value = anomaly.records[0]?.value ?? "";
          expect(seen.get(value), `'${value}' reported under ${seen.get(value)} and again under ${guarantee.id} (${anomaly.kind})`).toBeUndefined();
          seen.set(value, `${guarantee.id} (${anomaly.kind})`);
        }
      }
    });

    test(`${name} without its planted bugs keeps every promise`, async () => {
      const counterexample = await readCounterexample(join(directory, name));
      if (counterexample.target !== "engine" || counterexample.plantedBugs.length === 0) return;
      const run = await runAndJudge(await createTarget("engine"), counterexample.scenario);
      expect(promisedViolations(run.verdict).map((guarantee) => guarantee.id)).toEqual([]);
    });
  }
});
