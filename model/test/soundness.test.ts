/**
 * The checker must not excuse what no fault explains, and must not miss what a read proves. Each class:
 * a minimal hand-made history that must be flagged, beside the nearest one that must pass.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, HistoryFormatError, partitionForKey } from "../index.js";
import { anomalies, finalRead, record, setup, statusOf, violations } from "./support.js";

/** Topic t on replicas 1..3 of brokers 1..4: broker 4 holds no replica. */
function fourBrokers(producer: Record<string, string | number | boolean> = { acks: "1" }) {
  return setup({ producer, assignment: [[1, 2, 3]], brokers: [1, 2, 3, 4] });
}

describe("1. a fault touches only the nodes it hit", () => {
  function lostAfterKillOf(broker: string) {
    const builder = fourBrokers();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    // The engine names nodes only on the completion; the invocation says what was asked.
    builder.fault("kill", [broker]);
    finalRead(builder, [], 0);
    return checkHistory(builder.build());
  }

  it("a kill of a broker without a replica of the partition explains nothing", () => {
    const verdict = lostAfterKillOf("broker-4");
    expect(anomalies(verdict, "unseen", "D4")).toMatchObject([{ allowed: false }]);
    expect(verdict.valid).toBe(false);
  });

  it("a kill of one of its replicas explains an acks=1 loss, and the explanation names that broker", () => {
    const verdict = lostAfterKillOf("broker-2");
    expect(anomalies(verdict, "unseen", "D4")).toMatchObject([{ allowed: true }]);
    expect(anomalies(verdict, "unseen", "D4")[0]?.explanation).toMatch(/kill of broker-2/);
    expect(verdict.valid).toBe(true);
  });

  it("a fault that had no effect (nodes: []) explains nothing", () => {
    const builder = fourBrokers();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.event("nemesis", "invoke", "kill", { description: "kill broker-1" });
    builder.event("nemesis", "ok", "kill", { nodes: [], description: "kill broker-1: already down, no effect" });
    finalRead(builder, [], 0);
    expect(checkHistory(builder.build()).valid).toBe(false);
  });
});

describe("1b. a network fault touches a broker only through links to other cluster nodes", () => {
  function lostAfterCut(cuts: readonly (readonly [string, string])[]) {
    const builder = fourBrokers();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.fault("partition", [...new Set(cuts.flat())], cuts);
    finalRead(builder, [], 0);
    return checkHistory(builder.build());
  }

  it("a client cut from the leader (cut-client) takes no leader away: an acks=1 loss stays unexplained", () => {
    expect(lostAfterCut([["producer-0", "broker-1"], ["broker-1", "producer-0"]]).valid).toBe(false);
  });

  it("a replica cut from the other brokers explains it", () => {
    expect(lostAfterCut([["broker-1", "broker-2"], ["broker-2", "broker-1"]]).valid).toBe(true);
  });
});

describe("2. cause before effect", () => {
  function lostWithKill(when: "before-final-reads" | "after-final-reads") {
    const builder = setup({ producer: { acks: "1" } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "b", { partition: 0, offset: 1 });
    if (when === "before-final-reads") builder.fault("kill", ["broker-1"]);
    // The final reads reach offset 1 ('a' missing below it, so proven lost here) ...
    builder.poll("final-reader", [record("t", 0, 1, "b")], true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 2 }]);
    // ... and only then does a kill come: it cannot have caused what was already seen.
    if (when === "after-final-reads") builder.fault("kill", ["broker-1"]);
    return checkHistory(builder.build());
  }

  it("a kill logged after the final reads showed the loss does not excuse it", () => {
    expect(violations(lostWithKill("after-final-reads")).map((anomaly) => anomaly.kind)).toContain("lost-write");
  });

  it("the same kill before the final reads does", () => {
    const verdict = lostWithKill("before-final-reads");
    // (it is a hole below 'b', which survived: see 6.)
    expect(verdict.guarantees.flatMap((guarantee) => guarantee.anomalies).map((anomaly) => anomaly.kind)).toEqual(["lost-below-survivor"]);
  });

  it("the same kill before the final reads explains a lost suffix", () => {
    const builder = setup({ producer: { acks: "1" } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "b", { partition: 0, offset: 1 });
    builder.fault("kill", ["broker-1"]);
    finalRead(builder, ["a"], 1);
    expect(anomalies(checkHistory(builder.build()), "unseen", "D4")).toMatchObject([{ allowed: true }]);
  });
});

describe("4. where an unacknowledged record is read", () => {
  function indefinite(read: { topic: string; partition: number; key?: string | null }, explicit?: number) {
    const builder = setup({ partitions: 3, otherTopics: [{ name: "other", partitions: 3, replicationFactor: 3, config: {} }] });
    const key = read.key === undefined ? null : read.key;
    builder.sendInvoke("producer-0", "t", key, "a", explicit);
    builder.sendFailed("producer-0", "t", key, "a", "info", "REQUEST_TIMED_OUT");
    builder.poll("consumer-0", [record(read.topic, read.partition, 0, "a", key)]);
    return checkHistory(builder.build());
  }

  it("an indefinite send read in another topic is a violation of record identity (D9)", () => {
    expect(anomalies(indefinite({ topic: "other", partition: 0 }), "wrong-topic", "D9")).toMatchObject([{ allowed: false }]);
    expect(violations(indefinite({ topic: "t", partition: 0 }))).toEqual([]);
  });

  it("an indefinite send read off its explicit partition is a violation (D9)", () => {
    expect(anomalies(indefinite({ topic: "t", partition: 0 }, 2), "wrong-partition", "D9")).toMatchObject([{ allowed: false }]);
    expect(violations(indefinite({ topic: "t", partition: 2 }, 2))).toEqual([]);
  });

  it("an indefinite keyed send read off its murmur2 partition is a violation (O2)", () => {
    const key = "k1";
    const home = partitionForKey(key, 3);
    expect(anomalies(indefinite({ topic: "t", partition: (home + 1) % 3, key }), "wrong-partition", "O2")).toMatchObject([{ allowed: false }]);
    expect(violations(indefinite({ topic: "t", partition: home, key }))).toEqual([]);
  });
});

describe("5. the key read is the key sent", () => {
  function readWithKey(key: string | null) {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "a", 0);
    builder.sendOk("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "a", key)]);
    return checkHistory(builder.build());
  }

  it("a record read with another key is a violation (D9)", () => {
    expect(anomalies(readWithKey("k"), "wrong-key", "D9")).toMatchObject([{ allowed: false }]);
    expect(violations(readWithKey(null))).toEqual([]);
  });
});

describe("6. the lost set is bounded: truncation removes a suffix", () => {
  function acksOneWithFinal(finalValues: readonly (string | null)[], topic = {}) {
    const builder = setup({ producer: { acks: "1" }, topic: { "min.insync.replicas": 2, ...topic } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "b", { partition: 0, offset: 1 });
    builder.election("t", 0, 2, 1);
    const records = finalValues.flatMap((value, offset) => (value === null ? [] : [record("t", 0, offset, value)]));
    builder.poll("final-reader", records, true);
    // The log ends after its last surviving record.
    const endOffset = finalValues.reduce((end, value, offset) => (value === null ? end : offset + 1), 0);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset }]);
    return checkHistory(builder.build());
  }

  it("a hole below a surviving record acknowledged before the leader change is a violation, even under acks=1", () => {
    const verdict = acksOneWithFinal([null, "b"]);
    expect(anomalies(verdict, "lost-below-survivor", "D4")).toMatchObject([{ allowed: false, records: [{ value: "a", offset: 0 }] }]);
    expect(anomalies(verdict, "lost-below-survivor", "D4")[0]?.explanation).toMatch(/'b' acknowledged at offset 1/);
  });

  it("losing the suffix above the new leader's log end is allowed", () => {
    const verdict = acksOneWithFinal(["a", null]);
    expect(anomalies(verdict, "unseen", "D4")).toMatchObject([{ allowed: true, records: [{ value: "b" }] }]);
    expect(verdict.valid).toBe(true);
  });

  it("a hole is a violation under an unclean election too (D7)", () => {
    const builder = setup({ topic: { "unclean.leader.election.enable": true } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "b", { partition: 0, offset: 1 });
    builder.election("t", 0, 2, 1, true);
    builder.poll("final-reader", [record("t", 0, 1, "b")], true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 2 }]);
    expect(anomalies(checkHistory(builder.build()), "lost-below-survivor", "D7")).toMatchObject([{ allowed: false }]);
  });
});

describe("7. elections", () => {
  it("an election whose epoch is not above the previous one is bad input", () => {
    const builder = setup();
    builder.election("t", 0, 1, 3);
    builder.election("t", 0, 2, 3);
    expect(() => checkHistory(builder.build())).toThrow(HistoryFormatError);
    const good = setup();
    good.election("t", 0, 1, 3);
    good.election("t", 0, 2, 4);
    expect(() => checkHistory(good.build())).not.toThrow();
  });

  function acksOneLossWithElectionOf(leader: number) {
    const builder = setup({ producer: { acks: "1" } });
    builder.election("t", 0, 1, 1);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.fault("kill", ["broker-1"]);
    builder.election("t", 0, leader, 2);
    finalRead(builder, [], 0);
    return checkHistory(builder.build());
  }

  it("the same leader re-elected after a kill truncated nothing: an acks=1 loss is unexplained", () => {
    expect(anomalies(acksOneLossWithElectionOf(1), "unseen", "D4")).toMatchObject([{ allowed: false }]);
  });

  it("a change of leader explains it", () => {
    expect(anomalies(acksOneLossWithElectionOf(2), "unseen", "D4")).toMatchObject([{ allowed: true }]);
  });
});

describe("8. D5: a broker cut off from every other broker is not a live in-sync replica", () => {
  function acknowledgedWith(cutOff: boolean) {
    const builder = setup({ producer: { acks: "all" }, assignment: [[1, 2, 3]] });
    builder.fault("kill", ["broker-3"]);
    if (cutOff) builder.fault("isolate", ["broker-2"], [["broker-2", "broker-1"], ["broker-1", "broker-2"], ["broker-2", "broker-3"], ["broker-3", "broker-2"]]);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    finalRead(builder, ["a"]);
    return checkHistory(builder.build());
  }

  it("an acks=all ack with one replica down and another isolated is a violation (min ISR 2)", () => {
    expect(anomalies(acknowledgedWith(true), "acknowledged-below-min-isr", "D5")).toMatchObject([{ allowed: false }]);
  });

  it("with only one replica down, two could hold it", () => {
    const verdict = acknowledgedWith(false);
    expect(anomalies(verdict, "acknowledged-below-min-isr")).toEqual([]);
    expect(statusOf(verdict, "D5")).toBe("holds");
  });
});

describe("9. NOT_ENOUGH_REPLICAS_AFTER_APPEND means it was appended", () => {
  function failedWith(type: "fail" | "info") {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "a");
    builder.sendFailed("producer-0", "t", null, "a", type, "NOT_ENOUGH_REPLICAS_AFTER_APPEND");
    finalRead(builder, ["a"]);
    return builder.build();
  }

  it("a fail with that error is bad input", () => {
    expect(() => checkHistory(failedWith("fail"))).toThrow(/NOT_ENOUGH_REPLICAS_AFTER_APPEND was appended/);
  });

  it("an info with it is fine, and its record may be read", () => {
    expect(violations(checkHistory(failedWith("info")))).toEqual([]);
  });
});
