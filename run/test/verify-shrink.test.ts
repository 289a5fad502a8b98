/**
 * verify's shrinking on a slow target, without Docker: the "slow target" is an engine with a planted
 * bug dressed as a nondeterministic target named kafka, counting its runs. When the engine (with the
 * same bug) reproduces the violation, the shrinking must happen there and the slow target must run
 * exactly once more, to confirm; when it does not, the shrinking runs on the slow target, within budget.
 */
import { describe, expect, test } from "vitest";
import type { Target } from "../../adapters/target.js";
import { createEngineTarget } from "../../adapters/engine/index.js";
import { presetScenarioArbitrary } from "../../chaos/arbitraries/presets.js";
import { searchScenarios } from "../search.js";
import type { JudgedRun } from "../judge.js";
import { configurationPresets } from "../../chaos/presets/index.js";
import { describeFound, shrinkViolation } from "../verify/shrink.js";
import type { GuaranteeId } from "../../model/index.js";

function slowTarget(): { target: Target; runs: () => number } {
  const engine = createEngineTarget({ plantedBugs: ["early-ack"] });
  let runs = 0;
  const target: Target = {
    name: "kafka",
    deterministic: false,
    singleClientLinks: false,
    supportedFaults: engine.supportedFaults,
    run: (scenario, options) => {
      runs++;
      return engine.run(scenario, options);
    },
    close: () => engine.close(),
  };
  return { target, runs: () => runs };
}

const preset = configurationPresets["durable"];
if (preset === undefined) throw new Error("preset durable is missing");
const guarantees: GuaranteeId[] = ["D2", "D5", "D6", "D7", "D8"];

async function firstViolation(target: Target) {
  const arbitrary = presetScenarioArbitrary(preset as NonNullable<typeof preset>, {
    name: "shrink-test",
    intensity: 0.8,
    faultKinds: ["kill", "pause", "isolate"],
    consumers: 1,
    supportedFaults: target.supportedFaults,
  });
  let path: number | undefined;
  let first: JudgedRun | undefined;
  let index = 0;
  const survey = await searchScenarios({
    target,
    arbitrary,
    guarantees,
    failOn: "never",
    numRuns: 60,
    seed: 42,
    onRun: (run) => {
      if (
        first === undefined &&
        run.verdict.guarantees.some(
          (guarantee) => guarantees.includes(guarantee.id) && guarantee.status === "violated",
        )
      ) {
        first = run;
        path = index;
      }
      index++;
    },
  });
  if (first === undefined || path === undefined)
    throw new Error("no violation found in 60 runs: the test needs one");
  return { arbitrary, seed: survey.seed, path: String(path), first };
}

describe("shrinking a violation found on a slow target", () => {
  test("reproduced on the engine: shrunk there, confirmed with one run on the slow target", async () => {
    const { target, runs } = slowTarget();
    const found = await firstViolation(target);
    const before = runs();
    const lines: string[] = [];
    const outcome = await shrinkViolation({
      target,
      engine: createEngineTarget({ plantedBugs: ["early-ack"] }),
      ...found,
      guarantees,
      budgetMs: 60_000,
      runOptions: {},
      out: (line) => lines.push(line),
      progress: () => undefined,
    });
    expect(outcome.shrunkOn).toBe("engine");
    expect(outcome.confirmed).toBe(true);
    expect(runs() - before).toBe(1);
    expect(outcome.result.counterexample?.history.header.target).toBe("engine");
    expect(lines.join("\n")).toMatch(/reproduces on the engine: shrinking there[\s\S]*confirmed on kafka/);
  });

  test("not reproduced on the engine: shrunk on the slow target itself", async () => {
    const { target, runs } = slowTarget();
    const found = await firstViolation(target);
    const before = runs();
    const lines: string[] = [];
    // The engine without the planted bug holds: the violation is the slow target's alone.
    const outcome = await shrinkViolation({
      target,
      engine: createEngineTarget(),
      ...found,
      guarantees,
      budgetMs: 60_000,
      runOptions: {},
      out: (line) => lines.push(line),
      progress: () => undefined,
    });
    expect(outcome.shrunkOn).toBe("target");
    expect(runs() - before).toBeGreaterThan(1);
    expect(lines.join("\n")).toContain("does not reproduce on the engine");
  });

  test("what was found is described before shrinking: guarantees, anomalies, size", async () => {
    const { target } = slowTarget();
    const { first } = await firstViolation(target);
    const lines = describeFound(first, guarantees, 7);
    expect(lines[0]).toMatch(/^verify: VIOLATION in run 7: D\d+.* violated; scenario /);
    expect(lines.length).toBeGreaterThan(1);
  });
});
