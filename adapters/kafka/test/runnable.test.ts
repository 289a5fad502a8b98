import { describe, expect, test } from "vitest";
import type { Scenario } from "../../../chaos/scenario.js";
import { kafkaCannotRun, kafkaClientProblem } from "../runnable.js";

const runnable: Scenario = {
  name: "runnable",
  seed: 1,
  cluster: { brokers: 3, controllers: 0, kafkaVersion: "4.1", broker: {} },
  topics: [{ name: "events", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
  clients: [{ id: "producer-0", role: "producer", config: { acks: "all", "enable.idempotence": false } }],
  steps: [
    { at: 0, op: "send", client: "producer-0", topic: "events", key: "k", value: "v" },
    { at: 10, op: "fault", fault: { kind: "kill", node: "broker-1" } },
    { at: 20, op: "fault", fault: { kind: "restart", node: "broker-1" } },
  ],
  finale: { quietMs: 1000 },
};

describe("kafkaCannotRun", () => {
  test("a scenario of supported faults and settings runs", () => {
    expect(kafkaCannotRun(runnable)).toBeNull();
  });

  test("power loss is refused with the reason", () => {
    const scenario: Scenario = { ...runnable, steps: [...runnable.steps, { at: 30, op: "fault", fault: { kind: "power-loss", node: "broker-2" } }] };
    expect(kafkaCannotRun(scenario)).toMatch(/power loss cannot be applied to containers/);
  });

  test("partitioner.ignore.keys is refused: kafkajs cannot express it", () => {
    const scenario: Scenario = { ...runnable, clients: [{ id: "producer-0", role: "producer", config: { "partitioner.ignore.keys": true } }] };
    expect(kafkaCannotRun(scenario)).toMatch(/producer-0: partitioner\.ignore\.keys=true is not allowed; allowed: false \(kafkajs has no such option/);
    expect(kafkaClientProblem({ id: "producer-0", role: "producer", config: { "partitioner.ignore.keys": false } })).toBeNull();
  });

  test("a bad consumer setting and a bad step are refused", () => {
    expect(kafkaClientProblem({ id: "consumer-0", role: "consumer", config: { "isolation.level": "sometimes" } })).toMatch(/isolation\.level/);
    const scenario: Scenario = { ...runnable, steps: [{ at: 0, op: "send", client: "nobody", topic: "events", key: null, value: "v" }] };
    expect(kafkaCannotRun(scenario)).toMatch(/nobody/);
  });
});
