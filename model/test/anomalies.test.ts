/**
 * For every anomaly kind: a minimal history that must be flagged, and the nearest valid history
 * that must pass.
 */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../index.js";
import { anomalies, impliedOf, finalRead, record, setup, statusOf, violations } from "./support.js";

/** producer-0 sends a, b, c acknowledged at offsets 0, 1, 2 of t-0. */
function threeAcknowledged(options: Parameters<typeof setup>[0] = {}) {
  const builder = setup(options);
  ["a", "b", "c"].forEach((value, offset) => builder.send("producer-0", "t", null, value, { partition: 0, offset }));
  return builder;
}

describe("lost-write", () => {
  it("flags an acknowledged record missing below the offsets the final reads reached", () => {
    const builder = threeAcknowledged();
    builder.poll("final-reader", [record("t", 0, 0, "a"), record("t", 0, 2, "c")], true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 3 }]);
    const verdict = checkHistory(builder.build());
    const lost = anomalies(verdict, "lost-write", "D2");
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ allowed: false, records: [{ topic: "t", partition: 0, offset: 1, value: "b" }] });
    expect(statusOf(verdict, "D2")).toBe("violated");
    expect(verdict.valid).toBe(false);
  });

  it("passes when the final reads hold every acknowledged record", () => {
    const builder = threeAcknowledged();
    finalRead(builder, ["a", "b", "c"]);
    const verdict = checkHistory(builder.build());
    expect(violations(verdict)).toEqual([]);
    expect(statusOf(verdict, "D2")).toBe("holds");
    expect(verdict.valid).toBe(true);
  });

  it("without final reads, flags an acknowledged record a consumer's reads jumped over", () => {
    const builder = threeAcknowledged();
    builder.seek("consumer-0", "t", 0, 0);
    builder.poll("consumer-0", [record("t", 0, 0, "a"), record("t", 0, 2, "c")]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "lost-write", "D2")).toHaveLength(1);
    // One root cause, one row: the consumer's skip over the lost record is implied by the loss.
    expect(anomalies(verdict, "poll-skip", "O1")).toEqual([]);
    expect(impliedOf(verdict, "O1")).toEqual([{ by: "D2", count: 1 }]);
    expect(anomalies(verdict, "unseen")).toEqual([]);
  });
});

describe("unseen", () => {
  it("flags an acknowledged record above everything the final reads returned", () => {
    const builder = threeAcknowledged();
    finalRead(builder, ["a", "b"]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "unseen", "D2")).toMatchObject([{ allowed: false, records: [{ offset: 2, value: "c" }] }]);
  });

  it("is never claimed without final reads", () => {
    const builder = threeAcknowledged();
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict)).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it("an indefinite send nobody read is not a loss; one a consumer read must survive", () => {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "maybe");
    builder.sendFailed("producer-0", "t", null, "maybe", "info", "REQUEST_TIMED_OUT");
    builder.sendInvoke("producer-0", "t", null, "seen");
    builder.sendFailed("producer-0", "t", null, "seen", "info", "REQUEST_TIMED_OUT");
    finalRead(builder, ["seen"]);
    expect(violations(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("duplicate", () => {
  function duplicated(producer: Record<string, string | number | boolean>) {
    const builder = setup({ producer });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 1 });
    finalRead(builder, ["a", "a"]);
    return checkHistory(builder.build());
  }

  it("is a D1 violation when retries=0 without idempotence", () => {
    const verdict = duplicated({ retries: 0, "enable.idempotence": false });
    expect(anomalies(verdict, "duplicate", "D1")).toMatchObject([{ allowed: false, records: [{ offset: 0 }, { offset: 1 }] }]);
    expect(statusOf(verdict, "D1")).toBe("violated");
  });

  it("is a D3 violation for an idempotent producer", () => {
    const verdict = duplicated({});
    expect(anomalies(verdict, "duplicate", "D3")).toMatchObject([{ allowed: false }]);
  });

  it("is observed allowed behaviour with retries and no idempotence", () => {
    const verdict = duplicated({ "enable.idempotence": false });
    expect(anomalies(verdict, "duplicate", "D1")).toMatchObject([{ allowed: true }]);
    expect(statusOf(verdict, "D1")).toBe("not-promised");
    expect(verdict.valid).toBe(true);
  });

  it("a record read twice at the same offset is no duplicate", () => {
    const builder = setup({ producer: { retries: 0, "enable.idempotence": false } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    finalRead(builder, ["a"]);
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("inconsistent-offsets", () => {
  it("flags one offset holding two values", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "b", { partition: 0, offset: 1 });
    builder.poll("consumer-0", [record("t", 0, 1, "a")]);
    const verdict = checkHistory(builder.build());
    // 'a' read where 'b' was acknowledged: one root cause (D10, 'a' is not at its acknowledged
    // offset); the offset holding two values follows from it and is listed as implied.
    expect(anomalies(verdict, "ack-offset-mismatch", "D10")).toMatchObject([{ allowed: false, implies: ["D9"] }]);
    expect(anomalies(verdict, "inconsistent-offsets", "D9")).toEqual([]);
    expect(impliedOf(verdict, "D9")).toEqual([{ by: "D10", count: 1 }]);
  });

  it("flags one offset holding two values when nothing else explains it", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.poll("consumer-1", [record("t", 0, 0, "b")]);
    builder.send("producer-0", "t", null, "b", { partition: 0, offset: 1 });
    builder.poll("consumer-1", [record("t", 0, 1, "b")]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "inconsistent-offsets", "D9")).toEqual([]);
    // 'b' at offset 0 before it was sent: a read from the future, the root; the rest follows from it.
    expect(anomalies(verdict, "future-read", "D9")).toMatchObject([{ allowed: false }]);
  });

  it("passes when every read agrees with every ack", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.poll("consumer-1", [record("t", 0, 0, "a")]);
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("nonmonotonic-send and key-reorder", () => {
  function pipelined(producer: Record<string, string | number | boolean>, firstOffset: number, secondOffset: number, key: string | null = null) {
    const builder = setup({ producer });
    builder.sendInvoke("producer-0", "t", key, "first");
    builder.sendInvoke("producer-0", "t", key, "second");
    builder.sendOk("producer-0", "t", key, "second", { partition: 0, offset: secondOffset });
    builder.sendOk("producer-0", "t", key, "first", { partition: 0, offset: firstOffset });
    finalRead(builder, firstOffset < secondOffset ? ["first", "second"] : ["second", "first"]);
    return checkHistory(builder.build());
  }

  it("flags a later send at a lower offset for an idempotent producer (D3)", () => {
    const verdict = pipelined({}, 1, 0);
    expect(anomalies(verdict, "nonmonotonic-send", "D3")).toMatchObject([{ allowed: false, records: [{ value: "first", offset: 1 }, { value: "second", offset: 0 }] }]);
  });

  it("passes when pipelined sends land in invocation order, whatever order the acks came in", () => {
    expect(anomalies(pipelined({}, 0, 1))).toEqual([]);
  });

  it("one record that landed late is one anomaly, not one per later send below it", () => {
    const builder = setup({ producer: {} });
    builder.sendInvoke("producer-0", "t", null, "late");
    for (const [offset, value] of ["a", "b", "c"].entries()) builder.send("producer-0", "t", null, value, { partition: 0, offset });
    builder.sendOk("producer-0", "t", null, "late", { partition: 0, offset: 3 });
    finalRead(builder, ["a", "b", "c", "late"]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "nonmonotonic-send", "D3")).toHaveLength(1);
    expect(verdict.counts.belowSameLateSend).toBe(2);
  });

  it("flags per-key reorder under max.in.flight=1 (O3) and allows it with 5 in flight and no idempotence", () => {
    const strict = pipelined({ "enable.idempotence": false, "max.in.flight.requests.per.connection": 1 }, 1, 0, "k");
    expect(anomalies(strict, "key-reorder", "O3")).toMatchObject([{ allowed: false }]);
    expect(statusOf(strict, "O3")).toBe("violated");
    const loose = pipelined({ "enable.idempotence": false }, 1, 0, "k");
    expect(anomalies(loose, "key-reorder", "O3")).toMatchObject([{ allowed: true }]);
    expect(statusOf(loose, "O3")).toBe("not-promised");
  });

  it("does not compare order across partitions (O4)", () => {
    const builder = setup({ partitions: 2 });
    builder.sendInvoke("producer-0", "t", null, "first", 1);
    builder.sendOk("producer-0", "t", null, "first", { partition: 1, offset: 5 });
    builder.sendInvoke("producer-0", "t", null, "second", 0);
    builder.sendOk("producer-0", "t", null, "second", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "second"), record("t", 1, 5, "first")]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict)).toEqual([]);
    // O4 is a non-promise: nothing is ordered across partitions, and it never shows as "holds".
    expect(statusOf(verdict, "O4")).toBe("not-promised");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "O4")?.reason).toMatch(/non-promise/);
  });
});

describe("wrong-partition (O2)", () => {
  // murmur2("21") % 3 = 0 (Kafka's own test vector).
  it("flags a keyed record in a partition murmur2 does not choose", () => {
    const builder = setup({ partitions: 3 });
    builder.send("producer-0", "t", "21", "v", { partition: 1, offset: 0 });
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "wrong-partition", "O2")).toMatchObject([{ allowed: false }]);
  });

  it("passes for the murmur2 partition and for an explicit partition", () => {
    const builder = setup({ partitions: 3 });
    builder.send("producer-0", "t", "21", "v", { partition: 0, offset: 0 });
    builder.sendInvoke("producer-0", "t", "21", "w", 2);
    builder.sendOk("producer-0", "t", "21", "w", { partition: 2, offset: 0 });
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });

  it("is allowed with a custom partitioner", () => {
    const builder = setup({ partitions: 3, producer: { "partitioner.class": "com.example.Mine" } });
    builder.send("producer-0", "t", "21", "v", { partition: 1, offset: 0 });
    expect(anomalies(checkHistory(builder.build()), "wrong-partition")).toMatchObject([{ allowed: true }]);
  });
});

describe("read-then-lost (D6)", () => {
  it("flags a record a consumer read that the final reads lack", () => {
    const builder = setup({ producer: { acks: "1" } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.nemesis("kill", ["broker-1"]);
    finalRead(builder, [], 0);
    const verdict = checkHistory(builder.build());
    // acks=1 and a leader kill would explain losing the write (D4) but not losing what was read (D6):
    // D6 is the violation, and the record's loss is listed under D4 as implied by it.
    expect(anomalies(verdict, "read-then-lost", "D6")).toMatchObject([{ allowed: false, implies: ["D4"] }]);
    expect(anomalies(verdict, "unseen", "D4")).toEqual([]);
    expect(impliedOf(verdict, "D4")).toEqual([{ by: "D6", count: 1 }]);
  });

  it("is allowed after an unclean election when the topic enables them", () => {
    const builder = setup({ topic: { "unclean.leader.election.enable": true } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.election("t", 0, 2, 1, true);
    finalRead(builder, [], 0);
    const verdict = checkHistory(builder.build());
    // The unclean election explains losing what was read (D6, allowed); the loss of the write follows.
    expect(anomalies(verdict, "read-then-lost", "D6")).toMatchObject([{ allowed: true, implies: ["D7"] }]);
    expect(anomalies(verdict, "unseen", "D7")).toEqual([]);
    expect(impliedOf(verdict, "D7")).toEqual([{ by: "D6", count: 1 }]);
    expect(verdict.valid).toBe(true);
  });

  it("an unclean election before the read does not explain it", () => {
    const builder = setup({ topic: { "unclean.leader.election.enable": true } });
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.election("t", 0, 2, 1, true);
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    finalRead(builder, [], 0);
    expect(anomalies(checkHistory(builder.build()), "read-then-lost", "D6")).toMatchObject([{ allowed: false }]);
  });
});

describe("ack-offset-mismatch (D10)", () => {
  it("flags a record read at another offset than acknowledged", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 5 });
    finalRead(builder, ["a"]);
    expect(anomalies(checkHistory(builder.build()), "ack-offset-mismatch", "D10")).toMatchObject([{ allowed: false }]);
  });

  it("passes when read where acknowledged, even if read before the ack arrived", () => {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "a");
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.sendOk("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    finalRead(builder, ["a"]);
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("phantom-read (a value never sent)", () => {
  it("flags it", () => {
    const builder = setup();
    builder.poll("consumer-0", [record("t", 0, 0, "ghost")]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "phantom-read", "D9")).toMatchObject([{ allowed: false, records: [{ value: "ghost" }] }]);
  });

  it("passes for a value sent later in the history file than the read (pairing is by payload)", () => {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "real");
    builder.poll("consumer-0", [record("t", 0, 0, "real")]);
    builder.sendOk("producer-0", "t", null, "real", { partition: 0, offset: 0 });
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("aborted read / refused write appended (D5)", () => {
  it("flags a failed send that is read", () => {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "a");
    builder.sendFailed("producer-0", "t", null, "a", "fail", "NOT_ENOUGH_REPLICAS");
    finalRead(builder, ["a"]);
    expect(anomalies(checkHistory(builder.build()), "refused-write-appended", "D5")).toMatchObject([{ allowed: false }]);
  });

  it("passes for NOT_ENOUGH_REPLICAS_AFTER_APPEND recorded as indefinite", () => {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "a");
    builder.sendFailed("producer-0", "t", null, "a", "info", "NOT_ENOUGH_REPLICAS_AFTER_APPEND");
    finalRead(builder, ["a"]);
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("poll-skip and nonmonotonic-poll (O1)", () => {
  it("flags a jump over an offset known to hold a record", () => {
    const builder = threeAcknowledged();
    builder.seek("consumer-0", "t", 0, 0);
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.poll("consumer-0", [record("t", 0, 2, "c")]);
    finalRead(builder, ["a", "b", "c"]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "poll-skip", "O1")).toMatchObject([{ allowed: false, records: [{ offset: 1, value: "b" }] }]);
    expect(anomalies(verdict, "lost-write")).toEqual([]);
  });

  it("passes over a gap where no record is known (a transaction marker)", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "c", { partition: 0, offset: 2 });
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    builder.poll("consumer-0", [record("t", 0, 2, "c")]);
    expect(anomalies(checkHistory(builder.build()))).toEqual([]);
  });

  it("flags going back without a reassignment, and passes after a seek or an assign", () => {
    const back = threeAcknowledged();
    back.poll("consumer-0", [record("t", 0, 0, "a"), record("t", 0, 1, "b")]);
    back.poll("consumer-0", [record("t", 0, 0, "a")]);
    expect(anomalies(checkHistory(back.build()), "nonmonotonic-poll", "O1")).toMatchObject([{ allowed: false }]);

    const seeked = threeAcknowledged();
    seeked.poll("consumer-0", [record("t", 0, 0, "a"), record("t", 0, 1, "b")]);
    seeked.seek("consumer-0", "t", 0, 0);
    seeked.poll("consumer-0", [record("t", 0, 0, "a")]);
    seeked.assign("consumer-0", [{ topic: "t", partition: 0 }]);
    seeked.poll("consumer-0", [record("t", 0, 2, "c")]);
    expect(anomalies(checkHistory(seeked.build()))).toEqual([]);
  });

  it("flags a seek whose next poll starts past the sought offset", () => {
    const builder = threeAcknowledged();
    builder.seek("consumer-0", "t", 0, 1);
    builder.poll("consumer-0", [record("t", 0, 2, "c")]);
    builder.poll("consumer-1", [record("t", 0, 1, "b")]);
    expect(anomalies(checkHistory(builder.build()), "poll-skip")).toHaveLength(1);
  });
});

describe("acknowledged-below-min-isr (D5)", () => {
  it("flags an acks=all ack while too few replicas were alive for the whole send", () => {
    const builder = setup({ replicationFactor: 3, assignment: [[1, 2, 3]] });
    builder.nemesis("kill", ["broker-2"]);
    builder.nemesis("pause", ["broker-3"]);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "acknowledged-below-min-isr", "D5")).toMatchObject([{ allowed: false }]);
    expect(statusOf(verdict, "D5")).toBe("violated");
  });

  it("passes when a replica came back before the ack, or enough replicas live", () => {
    const restarted = setup({ assignment: [[1, 2, 3]] });
    restarted.nemesis("kill", ["broker-2"]);
    restarted.nemesis("kill", ["broker-3"]);
    restarted.sendInvoke("producer-0", "t", null, "a");
    restarted.nemesis("restart", ["broker-3"]);
    restarted.sendOk("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    expect(anomalies(checkHistory(restarted.build()))).toEqual([]);

    const enough = setup({ assignment: [[1, 2, 3]] });
    enough.nemesis("kill", ["broker-3"]);
    enough.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    expect(anomalies(checkHistory(enough.build()))).toEqual([]);
  });

  it("is not promised with acks=1: the same ack is observed allowed behaviour", () => {
    const builder = setup({ producer: { acks: "1" }, assignment: [[1, 2, 3]] });
    builder.nemesis("kill", ["broker-2"]);
    builder.nemesis("kill", ["broker-3"]);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "acknowledged-below-min-isr")).toMatchObject([{ allowed: true, guarantee: "D5" }]);
    expect(statusOf(verdict, "D5")).not.toBe("violated");
  });
});
