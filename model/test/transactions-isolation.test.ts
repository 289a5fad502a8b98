/** T2 (aborted-read, G1a) and T3 (precommitted-read) by isolation level, and O1 under read_committed. */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../index.js";
import { anomalies, statusOf } from "./support.js";
import { begin, end, finish, init, record, transaction, transactionSetup } from "./transaction-support.js";

/** txn-0 commits a (p0/0), aborts c (p0/2), commits d (p0/4); markers take 1, 3, 5. `reader` then polls `read`. */
function abortedBetween(reader: string, read: readonly (readonly [string, number])[], options: { uncommittedOnly?: boolean; finalRead?: boolean } = {}) {
  const builder = transactionSetup(options);
  init(builder, "txn-0");
  transaction(builder, "txn-0", [["a", 0, 0]]);
  const aborted = transaction(builder, "txn-0", [["c", 0, 2]], "txn-abort");
  transaction(builder, "txn-0", [["d", 0, 4]]);
  const poll = builder.poll(reader, read.map(([value, offset]) => record("t", 0, offset, value)));
  if (options.finalRead === true) {
    builder.poll("final-reader", [record("t", 0, 0, "a"), record("t", 0, 2, "c"), record("t", 0, 4, "d")], true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 6 }]);
  }
  return { verdict: checkHistory(builder.build()), aborted, poll };
}

describe("T2 aborted-read (G1a)", () => {
  it("holds when a read_committed consumer passes over the aborted record (and that jump is no O1 skip)", () => {
    const { verdict } = abortedBetween("committed-0", [["a", 0], ["d", 4]]);
    expect(statusOf(verdict, "T2")).toBe("holds");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "T2")?.counts.evidence).toBeGreaterThan(0);
    expect(anomalies(verdict, "poll-skip")).toEqual([]);
    expect(statusOf(verdict, "O1")).toBe("holds");
    // Nor is it a loss (without final reads a consumer's gap proves one).
    expect(anomalies(verdict, "lost-write")).toEqual([]);
  });

  it("a read_uncommitted consumer that jumps over the aborted record still skips (O1)", () => {
    // The final read holds c: the skip is O1's own, not the consequence of a loss.
    const { verdict } = abortedBetween("uncommitted-0", [["a", 0], ["d", 4]], { finalRead: true });
    expect(anomalies(verdict, "poll-skip", "O1")).toHaveLength(1);
    expect(statusOf(verdict, "O1")).toBe("violated");
  });

  it("is violated when a read_committed poll returns the aborted record, citing the abort and the poll", () => {
    const { verdict, aborted, poll } = abortedBetween("committed-0", [["a", 0], ["c", 2], ["d", 4]]);
    expect(statusOf(verdict, "T2")).toBe("violated");
    const [anomaly] = anomalies(verdict, "aborted-read", "T2");
    expect(anomaly).toMatchObject({ allowed: false, records: [{ topic: "t", partition: 0, offset: 2, value: "c" }] });
    expect(anomaly?.events).toEqual(expect.arrayContaining([aborted.endInvoke, aborted.endCompletion, poll]));
    // The same record is precommitted too (its transaction never invoked commit): one root cause.
    expect(anomalies(verdict, "precommitted-read")).toEqual([]);
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "T3")?.implied).toEqual([{ by: "T2", count: 1 }]);
  });

  it("the same read under read_uncommitted is allowed behaviour, not a violation", () => {
    const { verdict } = abortedBetween("uncommitted-0", [["a", 0], ["c", 2], ["d", 4]]);
    expect(anomalies(verdict, "aborted-read", "T2")).toMatchObject([{ allowed: true }]);
    expect(statusOf(verdict, "T2")).not.toBe("violated");
    expect(verdict.valid).toBe(true);
  });

  it("is not promised without a read_committed reader", () => {
    const { verdict } = abortedBetween("uncommitted-0", [["a", 0], ["c", 2], ["d", 4]], { uncommittedOnly: true });
    expect(statusOf(verdict, "T2")).toBe("not-promised");
    expect(statusOf(verdict, "T4")).not.toBe("not-promised");
  });
});

/** txn-0 sends a (p0/0); `reader` polls it before (or after) the commit is invoked. */
function readAroundCommit(reader: string, before: boolean) {
  const builder = transactionSetup();
  init(builder, "txn-0");
  begin(builder, "txn-0");
  builder.send("txn-0", "t", null, "a", { partition: 0, offset: 0 });
  let poll = before ? builder.poll(reader, [record("t", 0, 0, "a")]) : -1;
  const commit = end(builder, "txn-0", "txn-commit");
  finish(builder, "txn-0", "txn-commit");
  if (!before) poll = builder.poll(reader, [record("t", 0, 0, "a")]);
  return { verdict: checkHistory(builder.build()), commit, poll };
}

describe("T3 precommitted-read", () => {
  it("holds for a read_committed poll after the commit", () => {
    const { verdict } = readAroundCommit("committed-0", false);
    expect(statusOf(verdict, "T3")).toBe("holds");
  });

  it("is violated by a read_committed poll completed before the commit was invoked", () => {
    const { verdict, commit, poll } = readAroundCommit("committed-0", true);
    expect(statusOf(verdict, "T3")).toBe("violated");
    const [anomaly] = anomalies(verdict, "precommitted-read", "T3");
    expect(anomaly?.events).toEqual(expect.arrayContaining([commit, poll]));
    expect(anomaly?.message).toMatch(/before its transaction's commit was invoked/);
  });

  it("the same early read under read_uncommitted is allowed", () => {
    const { verdict } = readAroundCommit("uncommitted-0", true);
    expect(anomalies(verdict, "precommitted-read", "T3")).toMatchObject([{ allowed: true }]);
    expect(statusOf(verdict, "T3")).toBe("inconclusive");
  });

  it("is inconclusive when no read_committed poll returned a transactional record", () => {
    const builder = transactionSetup();
    init(builder, "txn-0");
    transaction(builder, "txn-0", [["a", 0, 0]]);
    expect(statusOf(checkHistory(builder.build()), "T3")).toBe("inconclusive");
  });
});
