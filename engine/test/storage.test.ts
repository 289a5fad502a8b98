import { describe, expect, it } from "vitest";
import { cluster, createTopic, sendAll } from "./helpers.js";

function writeThenCrash(crash: "kill" | "powerLoss", topicConfig: Record<string, string | number | boolean>) {
  const simulation = cluster({ brokers: 1, controllers: 1 });
  createTopic(simulation, "t", 1, 1, topicConfig);
  const producer = simulation.producer("producer-0", { acks: "1" });
  sendAll(simulation, producer, ["a", "b", "c"].map((value) => ({ topic: "t", key: null, value })));
  simulation[crash]("broker-1");
  simulation.restart("broker-1");
  simulation.runUntil(simulation.nowMs + 20_000);
  return simulation.replica(1, "t", 0)!;
}

describe("disk: page cache and fsync", () => {
  it("a killed process keeps unflushed writes (the page cache survives)", () => {
    expect(writeThenCrash("kill", {}).records.map((record) => record.value)).toEqual(["a", "b", "c"]);
  });

  it("a power loss drops every write not flushed (Kafka fsyncs nothing by default)", () => {
    expect(writeThenCrash("powerLoss", {}).logEndOffset).toBe(0);
  });

  it("with flush.messages=1 a power loss keeps every acknowledged write", () => {
    expect(writeThenCrash("powerLoss", { "flush.messages": 1 }).records.map((record) => record.value)).toEqual(["a", "b", "c"]);
  });

  it("restart recovers the high watermark from its checkpoint and the leader epoch cache from disk", () => {
    const simulation = cluster({ controllers: 1 });
    createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
    const producer = simulation.producer("producer-0", { acks: "all" });
    sendAll(simulation, producer, ["a", "b"].map((value) => ({ topic: "t", key: null, value })));
    simulation.runUntil(simulation.nowMs + 6_000);
    const leader = simulation.leaderOf("t", 0)!;
    simulation.kill(`broker-${leader}`);
    const down = simulation.replica(leader, "t", 0)!;
    expect(down.role).toBe("down");
    expect(down.highWatermark).toBe(2);
    expect(down.epochs).toEqual([{ epoch: 0, startOffset: 0 }]);
  });
});
