/**
 * Properties of the consumer-group family (C1-C8) (docs/guarantees.md), on every target under test: holds, teeth and
 * planted bugs; see support/cases.ts for the configurations, budgets and bugs.
 * HARNESS_RUNS / HARNESS_BUDGET / HARNESS_SEED / HARNESS_TARGET tune the run (support/environment.ts).
 */
import { describe } from "vitest";
import { registerHolds, registerPlantedBugs, registerTeeth } from "./support/suite.js";

describe("groups", async () => {
  await registerHolds("groups");
  await registerTeeth("groups");
  registerPlantedBugs("groups");
});
