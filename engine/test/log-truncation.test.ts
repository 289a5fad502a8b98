import { describe, expect, it } from "vitest";
import type { PollResult } from "../index.js";
import { cluster, createTopic, pollOnce, sendAll } from "./helpers.js";
import { awaitNewLeader, broker, roles } from "./scenarios.js";

/**
 * KIP-320. The consumer reads m0..m3 from leader A while follower B is cut off (out of the ISR, so
 * A's high watermark moves alone); A dies and B is elected uncleanly with only m0. The producer then
 * writes n1..n4 to B, at offsets 1..4: B's log diverged below the consumer's position 4 (epoch 0 ends
 * at offset 1 in B's log). `tail` more records (or none) decide where B's log end is.
 */
function consumerAcrossUncleanElection(autoOffsetReset: "earliest" | "latest" | "none", tail: readonly string[]) {
  const simulation = cluster({ controllers: 1, kafkaVersion: "3.9.0", broker: { "replica.lag.time.max.ms": 10_000 } });
  createTopic(simulation, "t", 1, 2, { "min.insync.replicas": 1, "unclean.leader.election.enable": true });
  const { leader, second } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0, "enable.idempotence": false, "request.timeout.ms": 3_000, "delivery.timeout.ms": 60_000 });
  expect(sendAll(simulation, producer, [{ topic: "t", key: null, value: "m0", partition: 0 }])[0]?.type).toBe("ok");
  simulation.runUntil(simulation.nowMs + 1_000);
  simulation.cut(broker(leader), broker(second));
  simulation.runUntilCondition(() => simulation.describe("t")[0]!.isr.length === 1, 60_000);
  const onlyOnOldLeader = sendAll(simulation, producer, ["m1", "m2", "m3"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  expect(onlyOnOldLeader.every((result) => result.type === "ok")).toBe(true);

  const consumer = simulation.consumer("consumer-0", { "auto.offset.reset": autoOffsetReset, "request.timeout.ms": 3_000 });
  consumer.assign([{ topic: "t", partition: 0 }]);
  consumer.seek({ topic: "t", partition: 0 }, 0);
  const before = pollOnce(simulation, consumer);
  expect(before.type === "ok" ? before.records.map((record) => record.value) : before).toEqual(["m0", "m1", "m2", "m3"]);

  simulation.kill(broker(leader));
  simulation.heal();
  expect(awaitNewLeader(simulation, "t", leader)).toBe(second);
  const afterElection = sendAll(simulation, producer, [...["n1", "n2", "n3", "n4"], ...tail].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  expect(afterElection.map((result) => (result.type === "ok" ? result.offset : result.error))).toEqual(afterElection.map((_, index) => index + 1));

  const after: PollResult[] = [];
  for (let round = 0; round < 5; round++) after.push(pollOnce(simulation, consumer));
  consumer.close();
  const read = after.flatMap((result) => (result.type === "ok" ? result.records.map((record) => `${record.offset}:${record.value}`) : []));
  const failures = after.flatMap((result) => (result.type === "ok" ? [] : [result.error]));
  return { read, failures, trace: simulation.trace() };
}

describe("consumer log truncation detection (KIP-320)", () => {
  it("resets to the divergence point and reads the new leader's records at offsets it had consumed on the old one", () => {
    const run = consumerAcrossUncleanElection("latest", []);
    expect(run.failures).toEqual([]);
    // Without validation the consumer would keep position 4 and read only n4, missing n1..n3.
    expect(run.read).toEqual(["1:n1", "2:n2", "3:n3", "4:n4"]);
    expect(run.trace).toMatch(/truncation detected t-0 at 4 epoch 0: diverges at 1/);
  });

  it("resets to the divergence point also when the new log end is far beyond the position", () => {
    const run = consumerAcrossUncleanElection("earliest", ["n5", "n6"]);
    expect(run.read).toEqual(["1:n1", "2:n2", "3:n3", "4:n4", "5:n5", "6:n6"]);
  });

  it("fails the poll with LogTruncationException when auto.offset.reset=none", () => {
    const run = consumerAcrossUncleanElection("none", []);
    expect(run.failures[0]).toMatch(/^LogTruncationException: t-0 truncated below offset 4, diverging at 1/);
    expect(run.read).toEqual([]);
  });

  it("a position beyond the log end (no epoch to validate) is reset by auto.offset.reset after OFFSET_OUT_OF_RANGE", () => {
    const run = (autoOffsetReset: "earliest" | "none") => {
      const simulation = cluster();
      createTopic(simulation, "t", 1, 3);
      const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
      sendAll(simulation, producer, ["a", "b", "c"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
      const consumer = simulation.consumer("consumer-0", { "auto.offset.reset": autoOffsetReset });
      consumer.assign([{ topic: "t", partition: 0 }]);
      consumer.seek({ topic: "t", partition: 0 }, 100);
      const results = [pollOnce(simulation, consumer), pollOnce(simulation, consumer)];
      return results.map((result) => (result.type === "ok" ? result.records.map((record) => record.value).join(",") : result.error));
    };
    // The first poll may end while the reset (ListOffsets) is under way: empty polls are dropped.
    expect(run("earliest").filter((text) => text !== "").join(",")).toBe("a,b,c");
    expect(run("none")[0]).toMatch(/^OffsetOutOfRangeException: t-0 offset 100/);
  });
});
