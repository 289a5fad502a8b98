import { describe, expect, it } from "vitest";
import { createSimulation } from "../index.js";
import { partitionForKey } from "../client/murmur2.js";
import { cluster, createTopic, sendAll } from "./helpers.js";

function outcome(run: (done: (result: { type: string; error?: string }) => void) => void, simulation: { runUntil: (ms: number) => void; nowMs: number }) {
  let result: { type: string; error?: string } | undefined;
  run((value) => (result = value));
  simulation.runUntil(simulation.nowMs + 1_000);
  return result;
}

describe("admin and configuration", () => {
  it("adds partitions, refuses removing them, and describes leader, ISR and epoch", () => {
    const simulation = cluster();
    createTopic(simulation, "t", 2, 3);
    expect(outcome((done) => simulation.createPartitions("t", 1, done), simulation)).toMatchObject({ type: "fail", error: expect.stringMatching(/^INVALID_PARTITIONS/) });
    expect(outcome((done) => simulation.createPartitions("t", 4, done), simulation)).toEqual({ type: "ok" });
    simulation.runUntil(simulation.nowMs + 1_000);
    const states = simulation.describe("t");
    expect(states).toHaveLength(4);
    for (const state of states) {
      expect(state.leader).toBe(state.replicas[0]);
      expect(state.isr).toEqual(state.replicas);
      expect(state.leaderEpoch).toBe(0);
    }
    expect(outcome((done) => simulation.createTopic({ name: "t", partitions: 1, replicationFactor: 1, config: {} }, done), simulation)).toMatchObject({ type: "fail", error: expect.stringMatching(/^TOPIC_ALREADY_EXISTS/) });
    expect(outcome((done) => simulation.createTopic({ name: "u", partitions: 1, replicationFactor: 4, config: {} }, done), simulation)).toMatchObject({ type: "fail", error: expect.stringMatching(/^INVALID_REPLICATION_FACTOR/) });
    expect(outcome((done) => simulation.createTopic({ name: "v", partitions: 1, replicationFactor: 2, config: { "min.insync.replicas": 3 } }, done), simulation)).toMatchObject({ type: "fail", error: expect.stringMatching(/min.insync.replicas/) });
  });

  it("keyed records go to toPositive(murmur2(key)) % partitions, also after partitions are added", () => {
    const simulation = cluster();
    createTopic(simulation, "t", 3, 1);
    const producer = simulation.producer("producer-0", { "metadata.max.age.ms": 0 });
    const keys = ["a", "b", "c", "d", "e", "foobar", "21"];
    const results = sendAll(simulation, producer, keys.map((key) => ({ topic: "t", key, value: key })));
    expect(results.map((result) => result.type === "ok" && result.partition)).toEqual(keys.map((key) => partitionForKey(key, 3)));
    expect(outcome((done) => simulation.createPartitions("t", 7, done), simulation)).toEqual({ type: "ok" });
    sendAll(simulation, producer, [{ topic: "t", key: "refresh", value: "x" }]);
    simulation.runUntil(simulation.nowMs + 1_000);
    const after = sendAll(simulation, producer, keys.map((key) => ({ topic: "t", key, value: key })));
    expect(after.map((result) => result.type === "ok" && result.partition)).toEqual(keys.map((key) => partitionForKey(key, 7)));
  });

  it("null keys stick to one partition per batch", () => {
    const simulation = cluster();
    createTopic(simulation, "t", 6, 1);
    const producer = simulation.producer("producer-0", { "batch.size": 1_000 });
    const results = sendAll(simulation, producer, Array.from({ length: 10 }, (_, index) => ({ topic: "t", key: null, value: `v${index}` })));
    expect(new Set(results.map((result) => result.type === "ok" && result.partition)).size).toBe(1);
  });

  it("refuses invalid configuration with the key, the value and what is allowed", () => {
    const simulation = cluster();
    expect(() => simulation.producer("p1", { "enable.idempotence": true, acks: "1" })).toThrow(/enable.idempotence.*acks=1/);
    expect(() => simulation.producer("p2", { "enable.idempotence": true, "max.in.flight.requests.per.connection": 6 })).toThrow(/max.in.flight/);
    expect(() => simulation.producer("p3", { acks: "2" })).toThrow(/"acks": "2" is not allowed; use one of all, -1, 1, 0/);
    expect(() => simulation.producer("p4", { "bogus.key": 1 })).toThrow(/"bogus.key": unknown/);
    expect(() => simulation.producer("p5", { "transactional.id": "x" })).toThrow(/transactionalProducer/);
    expect(() => simulation.consumer("c1", { "isolation.level": "dirty" })).toThrow(/isolation.level/);
    expect(() => createSimulation({ seed: 1, brokers: 0, controllers: 0, kafkaVersion: "4.1", broker: {} })).toThrow(/brokers: 0 is not allowed/);
    expect(() => createSimulation({ seed: 1, brokers: 3, controllers: 0, kafkaVersion: "four", broker: {} })).toThrow(/kafkaVersion/);
    expect(() => createSimulation({ seed: 1, brokers: 3, controllers: 0, kafkaVersion: "4.1", broker: { "replica.lag.time.max.ms": -1 } })).toThrow(/replica.lag.time.max.ms/);
    // Implicit idempotence gives way to acks=1, as the Java client does.
    expect(() => simulation.producer("p6", { acks: "1" })).not.toThrow();
  });
});
