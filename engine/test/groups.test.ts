/**
 * The engine's consumer groups, scripted: membership and assignment, resuming at the committed offset,
 * coordinator failover with the offsets partition's leadership, zombie fencing by generation,
 * determinism, and the refusals of what is not modelled.
 */
import { describe, expect, test } from "vitest";
import type { CommitResult, GroupConsumer, GroupPollResult, RebalanceCall, Simulation } from "../api.js";
import { cluster, createTopic, sendAll } from "./helpers.js";

const groupBroker = { "group.initial.rebalance.delay.ms": 0, "group.min.session.timeout.ms": 1000, "offsets.topic.num.partitions": 3 };
const member = (group = "g") => ({
  "group.id": group,
  "session.timeout.ms": 3000,
  "heartbeat.interval.ms": 500,
  "max.poll.interval.ms": 10_000,
  "request.timeout.ms": 1500,
  "default.api.timeout.ms": 5000,
  "enable.auto.commit": false,
  "auto.offset.reset": "earliest",
  "partition.assignment.strategy": "range",
});

function poll(simulation: Simulation, consumer: GroupConsumer): GroupPollResult {
  let result: GroupPollResult | undefined;
  consumer.poll((outcome) => (result = outcome));
  simulation.runUntilCondition(() => result !== undefined, 60_000);
  if (result === undefined) throw new Error("poll never completed");
  return result;
}

/** Offsets of every record `rounds` polls return. */
function offsetsRead(simulation: Simulation, consumer: GroupConsumer, rounds: number): number[] {
  const offsets: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const result = poll(simulation, consumer);
    if (result.type === "ok") offsets.push(...result.records.map((record) => record.offset));
  }
  return offsets;
}

function commitSync(simulation: Simulation, consumer: GroupConsumer): CommitResult {
  let result: CommitResult | undefined;
  consumer.commitSync(consumer.positions(), (outcome) => (result = outcome));
  simulation.runUntilCondition(() => result !== undefined, 60_000);
  if (result === undefined) throw new Error("commit never completed");
  return result;
}

function setup(seed = 1): { simulation: Simulation; produce: (count: number, from?: number) => void } {
  const simulation = cluster({ seed, broker: groupBroker });
  createTopic(simulation, "events", 4, 3);
  const producer = simulation.producer("producer", { acks: "all" });
  const produce = (count: number, from = 0): void => {
    const results = sendAll(simulation, producer, Array.from({ length: count }, (_, index) => ({ topic: "events", key: null, value: `v${from + index}`, partition: (from + index) % 4 })));
    for (const result of results) expect(result.type).toBe("ok");
  };
  return { simulation, produce };
}

describe("engine consumer groups", () => {
  test("two members share the partitions in one generation, disjointly, as range assigns them", () => {
    const { simulation } = setup();
    const calls: RebalanceCall[] = [];
    const first = simulation.groupConsumer("c1", member());
    const second = simulation.groupConsumer("c2", member());
    first.subscribe(["events"], (call) => calls.push(call));
    second.subscribe(["events"], (call) => calls.push(call));
    for (let round = 0; round < 6; round++) {
      poll(simulation, first);
      poll(simulation, second);
    }
    const generation = Math.max(...calls.map((call) => call.generation));
    const last = calls.filter((call) => call.type === "assigned" && call.generation === generation);
    expect(last).toHaveLength(2);
    const owned = last.flatMap((call) => call.partitions.map((entry) => entry.partition)).sort();
    expect(owned).toEqual([0, 1, 2, 3]);
    for (const call of last) expect(call.partitions).toHaveLength(2);
    expect(first.identity().generation).toBe(generation);
    expect(second.identity().generation).toBe(generation);
  });

  test("after a member crashes, its partitions go to the other, which resumes at the committed offset", () => {
    const { simulation, produce } = setup();
    const first = simulation.groupConsumer("c1", member());
    first.subscribe(["events"], () => undefined);
    produce(8);
    const read: string[] = [];
    for (let round = 0; round < 6; round++) {
      const result = poll(simulation, first);
      if (result.type === "ok") read.push(...result.records.map((record) => record.value));
    }
    expect(read.sort()).toEqual(["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"]);
    expect(commitSync(simulation, first)).toEqual({ type: "ok" });
    first.crash();
    produce(4, 8);
    const second = simulation.groupConsumer("c2", member());
    second.subscribe(["events"], () => undefined);
    const after = offsetsRead(simulation, second, 10);
    // Only the four new records (offset 2 of each partition): the committed offsets were 2, the next to read.
    expect(after.sort()).toEqual([2, 2, 2, 2]);
  });

  test("the coordinator fails over with its offsets partition: commits survive the broker's death", () => {
    const { simulation, produce } = setup(3);
    const first = simulation.groupConsumer("c1", member());
    first.subscribe(["events"], () => undefined);
    produce(4);
    for (let round = 0; round < 5; round++) poll(simulation, first);
    expect(commitSync(simulation, first)).toEqual({ type: "ok" });
    const coordinator = simulation.describe("__consumer_offsets").find((state) => state.partition === coordinatorOf("g", 3))!.leader!;
    simulation.kill(`broker-${coordinator}`);
    // broker.session.timeout.ms (9 s by default) passes before the controller moves the leadership.
    simulation.runUntil(simulation.nowMs + 15_000);
    expect(simulation.describe("__consumer_offsets").find((state) => state.partition === coordinatorOf("g", 3))!.leader).not.toBe(coordinator);
    first.crash();
    const second = simulation.groupConsumer("c2", member());
    second.subscribe(["events"], () => undefined);
    const after = offsetsRead(simulation, second, 10);
    expect(after).toEqual([]);
    expect(second.positions().map((entry) => entry.offset)).toEqual([1, 1, 1, 1]);
  });

  test("a zombie's commit is refused once the group moved on without it (generation fencing)", () => {
    const { simulation, produce } = setup();
    const zombie = simulation.groupConsumer("c1", member());
    zombie.subscribe(["events"], () => undefined);
    produce(4);
    for (let round = 0; round < 4; round++) poll(simulation, zombie);
    const identity = zombie.identity();
    simulation.pause("c1");
    const other = simulation.groupConsumer("c2", member());
    other.subscribe(["events"], () => undefined);
    for (let round = 0; round < 12; round++) poll(simulation, other);
    expect(other.identity().generation).toBeGreaterThan(identity.generation);
    simulation.resume("c1");
    let result: CommitResult | undefined;
    zombie.commitSync([{ topic: "events", partition: 0, offset: 1 }], (outcome) => (result = outcome));
    simulation.runUntilCondition(() => result !== undefined, 30_000);
    expect(result?.type).toBe("fail");
    expect(result?.type === "fail" ? result.error : "").toMatch(/ILLEGAL_GENERATION|UNKNOWN_MEMBER_ID/);
  });

  test("the same seed gives the same trace, byte for byte, with groups", () => {
    const run = (): string => {
      const { simulation, produce } = setup(11);
      const consumers = ["c1", "c2", "c3"].map((id) => simulation.groupConsumer(id, member()));
      for (const consumer of consumers) consumer.subscribe(["events"], () => undefined);
      produce(8);
      for (let round = 0; round < 4; round++) for (const consumer of consumers) poll(simulation, consumer);
      consumers[1]!.crash();
      for (let round = 0; round < 6; round++) for (const consumer of [consumers[0]!, consumers[2]!]) poll(simulation, consumer);
      return simulation.traceHash();
    };
    expect(run()).toBe(run());
  });

  test("a static member (group.instance.id) restarted within its session keeps its partitions without a rebalance; the old session is fenced", () => {
    const { simulation, produce } = setup();
    produce(8);
    const calls: RebalanceCall[] = [];
    const staticMember = (id: string) => ({ ...member(), "group.instance.id": id });
    const first = simulation.groupConsumer("c1", staticMember("i1"));
    const second = simulation.groupConsumer("c2", staticMember("i2"));
    first.subscribe(["events"], (call) => calls.push(call));
    second.subscribe(["events"], (call) => calls.push(call));
    for (let round = 0; round < 6; round++) {
      poll(simulation, first);
      poll(simulation, second);
    }
    const generation = first.identity().generation;
    const before = calls.filter((call) => call.type === "assigned" && call.member === first.identity().member).at(-1)!;
    // c1's process freezes: its replacement (same instance id) starts before the session times out.
    simulation.pause("c1");
    const restarted = simulation.groupConsumer("c1-restarted", staticMember("i1"));
    const restartedCalls: RebalanceCall[] = [];
    restarted.subscribe(["events"], (call) => restartedCalls.push(call));
    for (let round = 0; round < 4; round++) {
      poll(simulation, restarted);
      poll(simulation, second);
    }
    expect(restarted.identity().generation).toBe(generation);
    expect(second.identity().generation).toBe(generation);
    const after = restartedCalls.filter((call) => call.type === "assigned").at(-1)!;
    expect(after.partitions).toEqual(before.partitions);
    // The frozen session wakes up a zombie: the coordinator refuses it as fenced.
    simulation.resume("c1");
    let result: CommitResult | undefined;
    first.commitSync([{ topic: "events", partition: before.partitions[0]!.partition, offset: 0 }], (outcome) => (result = outcome));
    simulation.runUntilCondition(() => result !== undefined, 30_000);
    expect(result?.type).toBe("fail");
    expect(simulation.trace()).toMatch(/static member i1: .* replaces /);
  });

  test("what the engine does not model is refused with the reason", () => {
    const { simulation } = setup();
    expect(() => simulation.groupConsumer("c2", { ...member(), "group.protocol": "consumer" })).toThrow(/group\.protocol.*not modelled/);
    expect(() => simulation.consumer("c3", { "group.id": "g" })).toThrow(/groupConsumer/);
  });
});

/** Kafka's partitionFor(group): abs(hashCode) % partitions (Java's String.hashCode). */
function coordinatorOf(group: string, partitions: number): number {
  let hash = 0;
  for (let index = 0; index < group.length; index++) hash = (Math.imul(hash, 31) + group.charCodeAt(index)) | 0;
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}
