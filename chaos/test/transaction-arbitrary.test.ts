/** The transaction presets' generated scenarios: valid, records only inside transactions, commits and aborts, shared ids for fencing. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { presetByName, presetScenarioArbitrary } from "../arbitraries/presets.js";
import { allFaultKinds, type FaultKind } from "../fault.js";
import { isTransactionalProducer, validateScenarioShape } from "../validate.js";
import type { Scenario, TransactionStep } from "../scenario.js";

const every = new Set<FaultKind>(allFaultKinds);

function samples(preset: string): Scenario[] {
  return fc.sample(presetScenarioArbitrary(presetByName(preset), { consumers: 1 }), { numRuns: 40, seed: 7 });
}

const transactionsOf = (scenario: Scenario): TransactionStep[] => scenario.steps.filter((step): step is TransactionStep => step.op === "transaction");

describe("transaction presets", () => {
  test("every generated scenario is valid, and transactional producers send only inside transactions", () => {
    for (const scenario of samples("transactions")) {
      expect(validateScenarioShape(scenario, every)).toEqual([]);
      const producers = scenario.clients.filter((client) => client.role === "producer");
      expect(producers.every(isTransactionalProducer)).toBe(true);
      expect(scenario.steps.some((step) => step.op === "send")).toBe(false);
      for (const step of transactionsOf(scenario)) expect(step.sends.length).toBeLessThanOrEqual(3);
      const consumer = scenario.clients.find((client) => client.role === "consumer");
      if (consumer !== undefined) expect(consumer.config["isolation.level"]).toBe("read_committed");
    }
  });

  test("the mixed preset commits and aborts; every third transaction of a producer aborts", () => {
    const all = samples("transactions").flatMap(transactionsOf);
    expect(all.some((step) => step.end === "commit")).toBe(true);
    expect(all.some((step) => step.end === "abort")).toBe(true);
    for (const scenario of samples("transactions")) {
      const byClient = new Map<string, TransactionStep[]>();
      for (const step of transactionsOf(scenario)) byClient.set(step.client, [...(byClient.get(step.client) ?? []), step]);
      for (const steps of byClient.values()) steps.forEach((step, index) => expect(step.end).toBe(index % 3 === 2 ? "abort" : "commit"));
    }
  });

  test("the fencing preset gives every producer one transactional.id and long open transactions", () => {
    const scenarios = samples("transactions-fencing");
    expect(scenarios.some((scenario) => scenario.clients.filter((client) => client.role === "producer").length > 1)).toBe(true);
    for (const scenario of scenarios) {
      const ids = new Set(scenario.clients.filter((client) => client.role === "producer").map((client) => client.config["transactional.id"]));
      expect([...ids]).toEqual(["txn-shared"]);
      for (const step of transactionsOf(scenario)) expect(step.endAfterMs).toBe(1500);
    }
  });

  test("the read_uncommitted preset's consumers read aborted data by configuration", () => {
    for (const scenario of samples("transactions-read-uncommitted")) {
      for (const consumer of scenario.clients.filter((client) => client.role === "consumer")) expect(consumer.config["isolation.level"]).toBe("read_uncommitted");
    }
  });
});
