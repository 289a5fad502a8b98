/**
 * Loss must be explained: by a leader failure under acks=1, by an unclean election where enabled, by
 * a power loss of unflushed replicas; never under D2 otherwise.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type ConfigMap } from "../index.js";
import { anomalies, finalRead, impliedOf, record, setup, statusOf } from "./support.js";

/**
 * Study note 004 (line ~597): the leader holds offsets up to 5, the high watermark is 3, the leader
 * crashes, a follower holding offsets 0..3 becomes leader, and offsets 4 and 5 vanish.
 */
function seedNarrative(producer: ConfigMap, options: { fault?: boolean; election?: boolean; refill?: boolean } = {}) {
  const builder = setup({ producer, topic: { "min.insync.replicas": 2 } });
  const values = ["r0", "r1", "r2", "r3", "r4", "r5"];
  values.forEach((value, offset) => builder.send("producer-0", "t", null, value, { partition: 0, offset }));
  // A consumer reads below the high watermark only.
  builder.poll("consumer-0", [record("t", 0, 0, "r0"), record("t", 0, 1, "r1"), record("t", 0, 2, "r2")]);
  if (options.fault ?? true) builder.nemesis("kill", ["broker-1"]);
  if (options.election === true) builder.election("t", 0, 2, 1, false);
  const survivors = ["r0", "r1", "r2", "r3"];
  if (options.refill === true) {
    // The new leader takes new records at offsets 4 and 5.
    builder.send("producer-0", "t", null, "n4", { partition: 0, offset: 4 });
    builder.send("producer-0", "t", null, "n5", { partition: 0, offset: 5 });
    survivors.push("n4", "n5");
  }
  finalRead(builder, survivors);
  return checkHistory(builder.build());
}

describe("the seed's narrative: offsets 4 and 5 vanish after the leader crashes", () => {
  it("is allowed with acks=1 (D4), explained by the leader's crash", () => {
    const verdict = seedNarrative({ acks: "1" });
    const losses = anomalies(verdict, "unseen", "D4");
    expect(losses.map((loss) => loss.records[0]?.offset)).toEqual([4, 5]);
    // The proof names the send, its ack, the end offsets and the fault: 6 sends (12 events) + poll (2),
    // then the kill's invoke (14) and completion (15).
    expect(losses[0]?.events).toContain(15);
    expect(losses.every((loss) => loss.allowed && /kill of broker-1/.test(loss.explanation ?? ""))).toBe(true);
    expect(statusOf(verdict, "D4")).toBe("holds");
    expect(statusOf(verdict, "D2")).toBe("not-promised");
    expect(verdict.valid).toBe(true);
  });

  it("is a violation with acks=all and min.insync.replicas=2 (D2), implying D3 and D8 without counting them again", () => {
    const verdict = seedNarrative({ acks: "all" });
    expect(anomalies(verdict, "unseen", "D2").map((loss) => [loss.records[0]?.offset, loss.allowed])).toEqual([
      [4, false],
      [5, false],
    ]);
    expect(statusOf(verdict, "D2")).toBe("violated");
    // One root cause, one row: no unclean election happened, so D7 is not charged; the idempotent
    // session (D3) and the deposed leader (D8) are listed as implied by D2.
    expect(anomalies(verdict, undefined, "D7")).toEqual([]);
    expect(statusOf(verdict, "D7")).toBe("holds");
    expect(impliedOf(verdict, "D8")).toEqual([{ by: "D2", count: 2 }]);
    expect(impliedOf(verdict, "D3")).toEqual([{ by: "D2", count: 2 }]);
    expect(anomalies(verdict, "unseen", "D2").every((loss) => loss.implies?.includes("D8") === true)).toBe(true);
    expect(verdict.valid).toBe(false);
  });

  it("with acks=1 but no fault at all, the loss is unexplained (D4 violated)", () => {
    const verdict = seedNarrative({ acks: "1" }, { fault: false });
    expect(anomalies(verdict, "unseen", "D4").every((loss) => !loss.allowed)).toBe(true);
    expect(statusOf(verdict, "D4")).toBe("violated");
  });

  it("when new records refill offsets 4 and 5 it is a lost-write plus ack/read inconsistency, allowed under acks=1", () => {
    const verdict = seedNarrative({ acks: "1" }, { refill: true });
    expect(anomalies(verdict, "lost-write", "D4").map((loss) => loss.allowed)).toEqual([true, true]);
    // The offsets now holding other values follow from the (allowed) losses: implied, not repeated.
    expect(anomalies(verdict, "inconsistent-offsets", "D9")).toEqual([]);
    expect(impliedOf(verdict, "D9")).toEqual([{ by: "D4", count: 2 }]);
    expect(verdict.valid).toBe(true);
    const strict = seedNarrative({ acks: "all" }, { refill: true });
    expect(anomalies(strict, "lost-write", "D2").map((loss) => loss.allowed)).toEqual([false, false]);
    expect(impliedOf(strict, "D9")).toEqual([{ by: "D2", count: 2 }]);
  });

  it("with observed elections, a leader change of the partition is the explanation", () => {
    const verdict = seedNarrative({ acks: "1" }, { election: true });
    expect(anomalies(verdict, "unseen", "D4").every((loss) => loss.allowed && /election of broker-2/.test(loss.explanation ?? ""))).toBe(true);
  });
});

describe("acks=1 loss needs a fault on a replica after the send", () => {
  it("a fault before the send explains nothing", () => {
    const builder = setup({ producer: { acks: "1" } });
    builder.nemesis("kill", ["broker-1"]);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    finalRead(builder, [], 0);
    expect(statusOf(checkHistory(builder.build()), "D4")).toBe("violated");
  });

  it("a fault on a broker that holds no replica of the partition explains nothing", () => {
    const builder = setup({ producer: { acks: "1" }, replicationFactor: 2, assignment: [[1, 2]] });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.nemesis("kill", ["broker-3"]);
    finalRead(builder, [], 0);
    expect(statusOf(checkHistory(builder.build()), "D4")).toBe("violated");
  });

  it("observed elections are precise: a fault without a leader change explains nothing", () => {
    const builder = setup({ producer: { acks: "1" } });
    builder.election("t", 0, 1, 0, false);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.nemesis("kill", ["broker-2"]);
    finalRead(builder, [], 0);
    expect(statusOf(checkHistory(builder.build()), "D4")).toBe("violated");
  });
});

describe("unclean elections (D7)", () => {
  function lostAfter(topic: ConfigMap, events: (builder: ReturnType<typeof setup>) => void) {
    const builder = setup({ topic });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    events(builder);
    finalRead(builder, [], 0);
    return checkHistory(builder.build());
  }

  it("enabled: a loss after an observed unclean election is allowed", () => {
    const verdict = lostAfter({ "unclean.leader.election.enable": true }, (builder) => builder.election("t", 0, 3, 2, true));
    expect(anomalies(verdict, "unseen", "D7")).toMatchObject([{ allowed: true }]);
    expect(statusOf(verdict, "D7")).toBe("holds");
  });

  it("enabled: only clean elections observed, the loss is a violation", () => {
    const verdict = lostAfter({ "unclean.leader.election.enable": true }, (builder) => {
      builder.nemesis("kill", ["broker-1"]);
      builder.election("t", 0, 2, 2, false);
    });
    expect(statusOf(verdict, "D7")).toBe("violated");
  });

  it("enabled, no observer events: a broker fault after the ack explains it", () => {
    const verdict = lostAfter({ "unclean.leader.election.enable": true }, (builder) => builder.nemesis("kill", ["broker-1"]));
    expect(statusOf(verdict, "D7")).toBe("holds");
  });

  it("disabled: even an observed unclean election does not excuse a loss (the planted-bug case)", () => {
    const verdict = lostAfter({ "unclean.leader.election.enable": false }, (builder) => builder.election("t", 0, 3, 2, true));
    expect(statusOf(verdict, "D7")).toBe("violated");
  });
});

describe("power loss (the page cache dies; a kill keeps it)", () => {
  function lostAfter(fault: string, topic: ConfigMap = { "min.insync.replicas": 2 }, broker: ConfigMap = {}) {
    const builder = setup({ topic, broker });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.nemesis(fault, ["broker-1"]);
    finalRead(builder, [], 0);
    return checkHistory(builder.build());
  }

  it("a power loss of a replica after the send explains losing an unflushed acknowledged record, even under D2", () => {
    const verdict = lostAfter("power-loss");
    expect(anomalies(verdict, "unseen", "D2")).toMatchObject([{ allowed: true }]);
    expect(anomalies(verdict, "unseen", "D2")[0]?.explanation).toMatch(/power-loss of broker-1.*flush.messages=unbounded/);
    expect(statusOf(verdict, "D2")).toBe("holds");
  });

  it("a kill does not: the page cache survives", () => {
    expect(statusOf(lostAfter("kill"), "D2")).toBe("violated");
  });

  it("with every message flushed (flush.messages=1, topic or broker) a power loss does not either", () => {
    expect(statusOf(lostAfter("power-loss", { "min.insync.replicas": 2, "flush.messages": 1 }), "D2")).toBe("violated");
    expect(statusOf(lostAfter("power-loss", { "min.insync.replicas": 2 }, { "log.flush.interval.messages": 1 }), "D2")).toBe("violated");
  });
});
