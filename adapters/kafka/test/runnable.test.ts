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

describe("kafkaCannotRun: consumer groups", () => {
  const member = (id: string, config: Record<string, string | number | boolean> = {}) => ({
    id,
    role: "consumer" as const,
    config: { "group.id": "group-a", "partition.assignment.strategy": "roundrobin", "enable.auto.commit": false, ...config },
    commitMode: "sync-after-processing" as const,
  });
  const grouped: Scenario = {
    ...runnable,
    topics: [...runnable.topics, { name: "orders", partitions: 1, replicationFactor: 3, config: {} }],
    clients: [...runnable.clients, member("consumer-a0"), member("consumer-a1")],
    steps: [
      { at: 0, op: "subscribe", client: "consumer-a0", topics: ["events"] },
      { at: 0, op: "subscribe", client: "consumer-a1", topics: ["events"] },
      { at: 5, op: "poll", client: "consumer-a0" },
      { at: 10, op: "fault", fault: { kind: "kill", node: "consumer-a0" } },
      { at: 15, op: "fault", fault: { kind: "pause", node: "consumer-a1" } },
      { at: 20, op: "fault", fault: { kind: "resume", node: "consumer-a1" } },
      { at: 25, op: "fault", fault: { kind: "restart", node: "consumer-a0" } },
      { at: 30, op: "fault", fault: { kind: "kill-coordinator", group: "group-a" } },
    ],
    finale: { quietMs: 1000, groupDrainMs: 5000 },
  };

  test("a group scenario with crash, pause, restart and a coordinator kill runs", () => {
    expect(kafkaCannotRun(grouped)).toBeNull();
  });

  test("what kafkajs cannot do is refused with the reason", () => {
    const withMember = (config: Record<string, string | number | boolean>): Scenario => ({ ...grouped, clients: [...runnable.clients, member("consumer-a0", config), member("consumer-a1")] });
    expect(kafkaCannotRun(withMember({ "group.protocol": "consumer" }))).toMatch(/^client consumer-a0: group\.protocol="consumer" is not allowed; allowed: classic/);
    expect(kafkaCannotRun(withMember({ "group.instance.id": "static" }))).toMatch(/static membership/);
    expect(kafkaCannotRun(withMember({ "partition.assignment.strategy": "cooperative-sticky" }))).toMatch(/cooperative rebalancing/);
  });

  test("assign or seek on a group consumer, a second subscribe, and members following different topics are refused", () => {
    const stepped = (...steps: Scenario["steps"]): Scenario => ({ ...grouped, steps: [...grouped.steps.slice(0, 2), ...steps] });
    expect(kafkaCannotRun(stepped({ at: 5, op: "assign", client: "consumer-a0", partitions: [{ topic: "events", partition: 0 }] }))).toMatch(/consumer-a0: a assign step on a group consumer is not supported on kafka/);
    expect(kafkaCannotRun(stepped({ at: 5, op: "seek", client: "consumer-a0", topic: "events", partition: 0, offset: 0 }))).toMatch(/a seek step on a group consumer/);
    expect(kafkaCannotRun(stepped({ at: 5, op: "subscribe", client: "consumer-a0", topics: ["events"] }))).toMatch(/a second subscribe step is not supported/);
    const different: Scenario = { ...grouped, steps: [{ at: 0, op: "subscribe", client: "consumer-a0", topics: ["events"] }, { at: 0, op: "subscribe", client: "consumer-a1", topics: ["orders"] }] };
    expect(kafkaCannotRun(different)).toMatch(/group group-a: members subscribe to \[events\] and \[orders\]; kafkajs's round-robin assignor assumes every member follows the same topics/);
  });
});
