import { describe, expect, it } from "vitest";
import { partitionForKey } from "../index.js";
import type { PlantedBug, SendResult, Simulation } from "../index.js";
import { cluster, createTopic, pollOnce, readAll, sendAll } from "./helpers.js";
import { awaitNewLeader, broker, roles } from "./scenarios.js";

/**
 * Scripted proofs that the planted bugs of D5, O1 and O2 do what engine/planted-bugs.ts says, and that
 * the same script on the correct engine keeps the guarantee.
 */

/** min.insync.replicas=2 with both followers killed: what an acks=all produce gets, and what the leader appended. */
function produceWithFollowersDown(bugs: PlantedBug[]) {
  const simulation = cluster({ controllers: 1, broker: { "replica.lag.time.max.ms": 1_000 }, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader, second, third } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "enable.idempotence": false, retries: 0, "linger.ms": 0, "request.timeout.ms": 3_000, "delivery.timeout.ms": 5_000 });
  const before = sendAll(simulation, producer, [{ topic: "t", key: null, value: "replicated", partition: 0 }]);
  simulation.kill(broker(second));
  simulation.kill(broker(third));
  const shrunk = simulation.runUntilCondition(() => simulation.describe("t")[0]!.isr.length === 1, 60_000);
  const endBefore = simulation.replica(leader, "t", 0)!.logEndOffset;
  const [below] = sendAll(simulation, producer, [{ topic: "t", key: null, value: "below-min-isr", partition: 0 }]);
  const leaderAfter = simulation.replica(leader, "t", 0)!;
  return { before, shrunk, below: below!, appended: leaderAfter.logEndOffset - endBefore, highWatermark: leaderAfter.highWatermark, isr: simulation.describe("t")[0]!.isr };
}

/** A consumer reads m0..m2, the leader is killed, m3 is written to the new leader, the consumer polls on. */
function readAcrossLeaderChange(bugs: PlantedBug[]) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
  sendAll(simulation, producer, ["m0", "m1", "m2"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  const consumer = simulation.consumer("consumer-0", { "auto.offset.reset": "earliest", "request.timeout.ms": 2_000 });
  consumer.assign([{ topic: "t", partition: 0 }]);
  consumer.seek({ topic: "t", partition: 0 }, 0);
  const offsets = pollUntilQuiet(simulation, consumer);
  simulation.kill(broker(leader));
  awaitNewLeader(simulation, "t", leader);
  sendAll(simulation, producer, [{ topic: "t", key: null, value: "m3", partition: 0 }]);
  offsets.push(...pollUntilQuiet(simulation, consumer));
  return offsets;
}

/**
 * Polls until 30 polls in a row (30 s of simulated time: long enough for a fetch to a dead leader to
 * time out and metadata to find the new one) bring nothing; the offsets returned, in order.
 */
function pollUntilQuiet(simulation: Simulation, consumer: Parameters<typeof pollOnce>[1]): number[] {
  const offsets: number[] = [];
  for (let empty = 0, round = 0; empty < 30 && round < 200; round++) {
    const result = pollOnce(simulation, consumer);
    if (result.type !== "ok" || result.records.length === 0) empty++;
    else empty = 0;
    if (result.type === "ok") offsets.push(...result.records.map((record) => record.offset));
  }
  return offsets;
}

/** A consumer that returns one record per poll reads m0, the leader is killed; the consumer polls on. */
function readOneByOneAcrossLeaderDeath(bugs: PlantedBug[]) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
  sendAll(simulation, producer, ["m0", "m1", "m2"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  const consumer = simulation.consumer("consumer-0", { "auto.offset.reset": "earliest", "max.poll.records": 1, "request.timeout.ms": 2_000 });
  consumer.assign([{ topic: "t", partition: 0 }]);
  consumer.seek({ topic: "t", partition: 0 }, 0);
  const first = pollOnce(simulation, consumer);
  const offsets = first.type === "ok" ? first.records.map((record) => record.offset) : [];
  // The consumer's next fetch goes to the dead leader and times out: a failed fetch.
  simulation.kill(broker(leader));
  offsets.push(...pollUntilQuiet(simulation, consumer));
  return { offsets, trace: simulation.trace() };
}

describe("planted bugs of D5, O1 and O2", () => {
  it("ignore-min-insync-replicas acknowledges acks=all writes with the ISR below min.insync.replicas (D5)", () => {
    const correct = produceWithFollowersDown([]);
    expect(correct.before[0]?.type).toBe("ok");
    expect(correct.shrunk).toBe(true);
    expect(correct.below).toMatchObject({ type: "fail", error: "NOT_ENOUGH_REPLICAS" });
    expect(correct.appended).toBe(0);
    const broken = produceWithFollowersDown(["ignore-min-insync-replicas"]);
    expect(broken.shrunk).toBe(true);
    expect(broken.isr).toHaveLength(1);
    expect(broken.below.type).toBe("ok");
    expect(broken.appended).toBe(1);
    // The leader alone advanced the high watermark over it (Kafka 4.x would wait for min ISR).
    expect(broken.highWatermark).toBe(2);
  });

  it("wrong-key-hash puts a keyed record where murmur2 over UTF-16 code units says, not over UTF-8 (O2)", () => {
    const place = (bugs: PlantedBug[]): SendResult[] => {
      const simulation = cluster({ plantedBugs: bugs });
      createTopic(simulation, "t", 2, 3);
      const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
      return sendAll(simulation, producer, ["k0", "k1", "k2"].map((key) => ({ topic: "t", key, value: `v-${key}` })));
    };
    const expected = ["k0", "k1", "k2"].map((key) => partitionForKey(key, 2));
    const partitionsOf = (results: SendResult[]) => results.map((result) => (result.type === "ok" ? result.partition : -1));
    expect(partitionsOf(place([]))).toEqual(expected);
    const broken = partitionsOf(place(["wrong-key-hash"]));
    expect(broken.every((partition) => partition >= 0)).toBe(true);
    expect(broken).not.toEqual(expected);
    // k2: murmur2 over "k2" in UTF-8 gives partition 1 of 2, over its UTF-16 code units partition 0.
    expect(broken[2]).toBe(0);
  });

  it("consumer-rewind-on-leader-change makes a poll go back to the log start after a leader change (O1)", () => {
    expect(readAcrossLeaderChange([])).toEqual([0, 1, 2, 3]);
    const broken = readAcrossLeaderChange(["consumer-rewind-on-leader-change"]);
    expect(broken.slice(0, 3)).toEqual([0, 1, 2]);
    // After the leader change the consumer starts over at offset 0: offsets go back.
    expect(broken[3]).toBe(0);
    expect(broken).toEqual([0, 1, 2, 0, 1, 2, 3]);
  });

  it("consumer-skip-on-error skips a record after a failed fetch (O1)", () => {
    const correct = readOneByOneAcrossLeaderDeath([]);
    expect(correct.offsets).toEqual([0, 1, 2]);
    const broken = readOneByOneAcrossLeaderDeath(["consumer-skip-on-error"]);
    expect(broken.trace).toMatch(/skip t-0 from 1 to 2 after a failed fetch/);
    expect(broken.offsets[0]).toBe(0);
    expect(broken.offsets).not.toContain(1);
  });
});

// The final reader sees every record either way: the consumer bugs lose nothing in the log.
describe("the consumer bugs leave the log alone", () => {
  it("the log after consumer-rewind-on-leader-change and consumer-skip-on-error holds every record", () => {
    const simulation = cluster({ plantedBugs: ["consumer-rewind-on-leader-change", "consumer-skip-on-error"] });
    createTopic(simulation, "t", 1, 3);
    const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
    sendAll(simulation, producer, ["a", "b"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
    expect(readAll(simulation, "t", 1).map((record) => record.value)).toEqual(["a", "b"]);
  });
});
