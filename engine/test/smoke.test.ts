import { describe, expect, it } from "vitest";
import { cluster, createTopic, readAll, sendAll } from "./helpers.js";

describe("engine smoke", () => {
  it("produces and consumes on a 3-broker cluster", () => {
    const simulation = cluster();
    createTopic(simulation, "t", 3, 3, { "min.insync.replicas": 2 });
    const producer = simulation.producer("producer-0", { acks: "all" });
    const records = Array.from({ length: 50 }, (_, index) => ({ topic: "t", key: `k${index % 7}`, value: `v${index}` }));
    const results = sendAll(simulation, producer, records);
    expect(results.every((result) => result.type === "ok")).toBe(true);
    simulation.runUntil(simulation.nowMs + 2_000);
    simulation.checkInvariants();
    const read = readAll(simulation, "t", 3);
    expect(read.map((record) => record.value).sort()).toEqual(records.map((record) => record.value).sort());
    expect(simulation.trace()).toMatch(/elect t-0 leader \d epoch 0/);
  });
});
