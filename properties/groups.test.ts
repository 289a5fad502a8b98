/**
 * Properties of the consumer-group family (C1-C8, docs/guarantees.md), on every target under test:
 * holds, teeth and planted bugs; see run/property-cases.ts for the configurations, budgets and bugs.
 * The model's C1-C8 rules are also tested on hand-made histories in model/test/groups-*.test.ts, and
 * real Kafka's groups in properties/kafka/groups.kafka.test.ts.
 */
import { describe } from "vitest";
import { registerHolds, registerPlantedBugs, registerTeeth } from "./support/suite.js";

describe("groups", async () => {
  await registerHolds("groups");
  await registerTeeth("groups");
  registerPlantedBugs("groups");
});
