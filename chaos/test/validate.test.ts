import { describe, expect, test } from "vitest";
import type { Scenario, Step } from "../scenario.js";
import { allFaultKinds, type FaultKind } from "../fault.js";
import { validateScenarioShape } from "../validate.js";
import { formatProblem, ScenarioError } from "../problem.js";
import { validScenario } from "./fixtures.js";

const every = new Set<FaultKind>(allFaultKinds);

function withStep(index: number, step: Step): Scenario {
  const steps = [...validScenario.steps];
  steps[index] = step;
  return { ...validScenario, steps };
}

describe("validateScenarioShape", () => {
  test("a valid scenario has no problems", () => {
    expect(validateScenarioShape(validScenario, every)).toEqual([]);
  });

  test.each([
    ["an unknown client", withStep(2, { at: 5, op: "send", client: "producer-9", topic: "events", key: "k", value: "v0" }), "steps[2].client", "producer-9", "a producer: producer-0"],
    ["a send from a consumer", withStep(2, { at: 5, op: "send", client: "consumer-0", topic: "events", key: "k", value: "v0" }), "steps[2].client", "consumer-0", "a producer: producer-0"],
    ["a poll by a producer", withStep(5, { at: 30, op: "poll", client: "producer-0" }), "steps[5].client", "producer-0", "a consumer: consumer-0"],
    ["an unknown topic", withStep(2, { at: 5, op: "send", client: "producer-0", topic: "orders", key: "k", value: "v0" }), "steps[2].topic", "orders", "a declared topic: events"],
    ["a partition out of range", withStep(4, { at: 20, op: "send", client: "producer-0", topic: "events", key: null, value: "v1", partition: 2 }), "steps[4].partition", 2, "a partition of events: 0..1"],
    ["a repeated value", withStep(4, { at: 20, op: "send", client: "producer-0", topic: "events", key: null, value: "v0" }), "steps[4].value", "v0", "a value no other send has (values identify records)"],
    ["a step back in time", withStep(4, { at: 1, op: "send", client: "producer-0", topic: "events", key: null, value: "v1" }), "steps[4].at", 1, "at least 10 (steps are ordered by time)"],
    ["an unknown node", withStep(3, { at: 10, op: "fault", fault: { kind: "kill", node: "broker-4" } }), "steps[3].fault", "broker-4", "a node of this scenario: broker-1, broker-2, broker-3, producer-0, consumer-0"],
    ["a leader fault on a missing partition", withStep(3, { at: 10, op: "fault", fault: { kind: "kill-leader", topic: "events", partition: 5 } }), "steps[3].fault.partition", 5, "a partition of events: 0..1"],
    ["a seek to a negative offset", withStep(1, { at: 0, op: "seek", client: "consumer-0", topic: "events", partition: 1, offset: -1 }), "steps[1].offset", -1, "a non-negative integer"],
  ])("refuses %s, naming the field, the value and what is allowed", (_name, scenario, field, value, allowed) => {
    expect(validateScenarioShape(scenario, every)).toEqual([{ field, value, allowed }]);
  });

  test("refuses a fault the target does not support", () => {
    const problems = validateScenarioShape(validScenario, new Set<FaultKind>(["kill", "heal"]));
    expect(problems.map((problem) => problem.field)).toEqual(["steps[3].fault.kind", "steps[6].fault.kind"]);
    expect(problems[0]?.allowed).toBe("a fault this target supports: kill, heal");
  });

  test("refuses a replication factor above the broker count and a reserved client id", () => {
    const scenario: Scenario = {
      ...validScenario,
      topics: [{ ...validScenario.topics[0]!, replicationFactor: 4 }],
      clients: [...validScenario.clients, { id: "final-reader", role: "consumer", config: {} }],
    };
    const fields = validateScenarioShape(scenario, every).map((problem) => problem.field);
    expect(fields).toEqual(["topics[0].replicationFactor", "clients[2].id"]);
  });

  test("ScenarioError lists every problem readably", () => {
    const error = new ScenarioError([{ field: "steps[2].client", value: "producer-9", allowed: "a producer: producer-0" }]);
    expect(error.message).toContain('steps[2].client: "producer-9" is not allowed; allowed: a producer: producer-0');
    expect(formatProblem({ field: "seed", value: -1, allowed: "an integer" })).toBe("seed: -1 is not allowed; allowed: an integer");
  });
  test("a one-way fault naming a client is refused on a target that cannot cut one client's link, with what to use instead", () => {
    const client = validScenario.clients[0]?.id ?? "";
    const scenario = withStep(validScenario.steps.length - 1, { at: validScenario.steps.at(-1)?.at ?? 0, op: "fault", fault: { kind: "one-way", from: [client], to: ["broker-1"] } });
    expect(validateScenarioShape(scenario, every)).toEqual([]);
    const problems = validateScenarioShape(scenario, every, { singleClientLinks: false });
    expect(problems.map(formatProblem).join("\n")).toMatch(/use cut-client/);
  });
});

describe("validateScenarioShape: consumer groups", () => {
  const grouped: Scenario = {
    ...validScenario,
    clients: [...validScenario.clients, { id: "member-0", role: "consumer", config: { "group.id": "g", "enable.auto.commit": false }, commitMode: "sync-after-processing", processingMs: 5 }],
    steps: [
      { at: 0, op: "subscribe", client: "member-0", topics: ["events"] },
      { at: 1, op: "poll", client: "member-0" },
      { at: 2, op: "fault", fault: { kind: "kill", node: "member-0" } },
      { at: 3, op: "fault", fault: { kind: "restart", node: "member-0" } },
      { at: 4, op: "fault", fault: { kind: "pause", node: "member-0" } },
      { at: 5, op: "fault", fault: { kind: "resume", node: "member-0" } },
      { at: 6, op: "fault", fault: { kind: "kill-coordinator", group: "g" } },
    ],
    finale: { quietMs: 1000, groupDrainMs: 2000 },
  };

  test("subscribe steps and process faults naming a group consumer are valid", () => {
    expect(validateScenarioShape(grouped, every)).toEqual([]);
  });

  test("refuses a subscribe by a consumer without group.id or to an unknown topic, process faults on other clients, and stray group fields", () => {
    const scenario: Scenario = {
      ...grouped,
      clients: [{ id: "producer-0", role: "producer", config: {}, commitMode: "auto" }, { id: "consumer-0", role: "consumer", config: {}, processingMs: 5 }, ...grouped.clients.slice(2)],
      steps: [
        { at: 0, op: "subscribe", client: "consumer-0", topics: ["events"] },
        { at: 0, op: "subscribe", client: "member-0", topics: ["orders"] },
        { at: 1, op: "fault", fault: { kind: "pause", node: "producer-0" } },
        { at: 2, op: "fault", fault: { kind: "isolate", node: "member-0" } },
      ],
      finale: { quietMs: 1000, groupDrainMs: -1 },
    };
    const problems = validateScenarioShape(scenario, every);
    expect(problems.map((problem) => problem.field).sort()).toEqual(
      ["clients[0].commitMode", "clients[1].processingMs", "finale.groupDrainMs", "steps[0].client", "steps[1].topics[0]", "steps[2].fault.node", "steps[3].fault"].sort(),
    );
    expect(problems.find((problem) => problem.field === "steps[0].client")?.allowed).toContain("a consumer with a group.id (member-0)");
    expect(problems.find((problem) => problem.field === "steps[3].fault")?.allowed).toContain("a cluster node: broker-1, broker-2, broker-3");
  });
});
