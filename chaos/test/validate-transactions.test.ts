/** The transaction step's validation (issue #12): who may transact, what a transaction holds, bad input per field. */
import { describe, expect, test } from "vitest";
import type { Scenario, Step } from "../scenario.js";
import { allFaultKinds, type FaultKind } from "../fault.js";
import { isTransactionalProducer, validateScenarioShape } from "../validate.js";
import { validScenario } from "./fixtures.js";

const every = new Set<FaultKind>(allFaultKinds);

const transactional: Scenario = {
  ...validScenario,
  clients: [...validScenario.clients, { id: "txn-producer", role: "producer", config: { "transactional.id": "tx", "enable.idempotence": true } }],
  steps: [
    ...validScenario.steps,
    { at: 100, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: "k", value: "t0" }, { topic: "events", key: null, value: "t1", partition: 1 }], end: "commit" },
    { at: 110, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: "k", value: "t2" }], end: "abort", endAfterMs: 500 },
  ],
};

function withExtraStep(step: Step): Scenario {
  return { ...transactional, steps: [...transactional.steps, step] };
}

const last = transactional.steps.length;

describe("transaction steps", () => {
  test("a scenario with transactions has no problems", () => {
    expect(validateScenarioShape(transactional, every)).toEqual([]);
    expect(isTransactionalProducer({ role: "producer", config: { "transactional.id": "tx" } })).toBe(true);
    expect(isTransactionalProducer({ role: "producer", config: {} })).toBe(false);
    expect(isTransactionalProducer({ role: "consumer", config: { "transactional.id": "tx" } })).toBe(false);
  });

  test.each([
    ["a transaction by a producer without transactional.id", { at: 200, op: "transaction", client: "producer-0", sends: [{ topic: "events", key: null, value: "x" }], end: "commit" }, `steps[${last}].client`, "producer-0", "a producer with a transactional.id: txn-producer"],
    ["a transaction by a consumer", { at: 200, op: "transaction", client: "consumer-0", sends: [{ topic: "events", key: null, value: "x" }], end: "commit" }, `steps[${last}].client`, "consumer-0", "a producer: producer-0, txn-producer"],
    ["a plain send by a transactional producer", { at: 200, op: "send", client: "txn-producer", topic: "events", key: null, value: "x" }, `steps[${last}].op`, "send", '"transaction": txn-producer has a transactional.id, so its records are sent inside transactions'],
    ["an empty transaction", { at: 200, op: "transaction", client: "txn-producer", sends: [], end: "commit" }, `steps[${last}].sends`, 0, "a list of 1..100 records"],
    ["an end that is neither commit nor abort", { at: 200, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: null, value: "x" }], end: "rollback" }, `steps[${last}].end`, "rollback", '"commit" or "abort"'],
    ["a negative endAfterMs", { at: 200, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: null, value: "x" }], end: "commit", endAfterMs: -1 }, `steps[${last}].endAfterMs`, -1, "an integer number of ms in 0..600000"],
    ["a record on a missing partition", { at: 200, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: null, value: "x", partition: 7 }], end: "commit" }, `steps[${last}].sends[0].partition`, 7, "a partition of events: 0..1"],
    ["a record on an unknown topic", { at: 200, op: "transaction", client: "txn-producer", sends: [{ topic: "orders", key: null, value: "x" }], end: "commit" }, `steps[${last}].sends[0].topic`, "orders", "a declared topic: events"],
    ["a value another send has", { at: 200, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: null, value: "t1" }], end: "commit" }, `steps[${last}].sends[0].value`, "t1", "a value no other send has (values identify records)"],
  ])("refuses %s, naming the field, the value and what is allowed", (_name, step, field, value, allowed) => {
    expect(validateScenarioShape(withExtraStep(step as Step), every)).toEqual([{ field, value, allowed }]);
  });

  test("a value repeated inside one transaction is refused at its second place", () => {
    const step = { at: 200, op: "transaction", client: "txn-producer", sends: [{ topic: "events", key: null, value: "y" }, { topic: "events", key: null, value: "y" }], end: "commit" } as const;
    expect(validateScenarioShape(withExtraStep(step), every)).toEqual([{ field: `steps[${last}].sends[1].value`, value: "y", allowed: "a value no other send has (values identify records)" }]);
  });

  test("the finale's committed reader's name is reserved", () => {
    const clashing: Scenario = { ...transactional, clients: [...transactional.clients, { id: "final-committed-reader", role: "consumer", config: {} }] };
    expect(validateScenarioShape(clashing, every).map((problem) => problem.field)).toContain(`clients[${transactional.clients.length}].id`);
  });
});
