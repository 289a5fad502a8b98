/**
 * Properties of the ordering family (docs/guarantees.md), on every target under test: holds, teeth and
 * planted bugs; see support/cases.ts for the configurations, budgets and bugs.
 * HARNESS_RUNS / HARNESS_BUDGET / HARNESS_SEED / HARNESS_TARGET tune the run (support/environment.ts).
 */
import { describe } from "vitest";
import { registerHolds, registerPlantedBugs, registerTeeth } from "./support/suite.js";

describe("ordering", async () => {
  await registerHolds("ordering");
  await registerTeeth("ordering");
  registerPlantedBugs("ordering");
});
