/**
 * The consumer-group family (C1-C8). Its holds, teeth and planted-bug cases are in run/property-cases.ts,
 * marked pending until the engine's group coordinator lands: the engine refuses group consumers before
 * anything runs (adapters/engine/target.ts), and that refusal is what is tested here. The model's C1-C8
 * rules are tested on hand-made histories in model/test/groups-*.test.ts; real Kafka's groups in
 * properties/kafka/groups.kafka.test.ts.
 */
import { describe, expect, test } from "vitest";
import { presetByName, presetScenarioArbitrary } from "../chaos/arbitraries/presets.js";
import fc from "fast-check";
import { createTarget } from "../run/targets.js";
import { holdsCases } from "../run/property-cases.js";

describe("groups", () => {
  test("every group case is pending, with its reason, while the engine cannot run groups", () => {
    const groups = holdsCases.filter((entry) => entry.family === "groups");
    expect(groups.length).toBeGreaterThan(0);
    for (const entry of groups) expect(entry.pending).toMatch(/group coordinator/);
  });

  test("the engine refuses a group scenario before anything runs, naming the group consumers and why", async () => {
    const engine = await createTarget("engine");
    const [scenario] = fc.sample(presetScenarioArbitrary(presetByName("group-sync-after")), { numRuns: 1, seed: 7 });
    if (scenario === undefined) throw new Error("no scenario drawn");
    await expect(engine.run(scenario)).rejects.toThrow(/clients\[\d+\]\.config\.group\.id.*no group coordinator yet/s);
  });
});
