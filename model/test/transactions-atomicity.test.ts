/** T1 atomicity against the final committed reads: torn transactions, a committed transaction's lost write, the client's commit after a failed send. */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../index.js";
import { anomalies, statusOf } from "./support.js";
import { begin, end, finish, finalReads, init, transaction, transactionSetup } from "./transaction-support.js";

type Placed = readonly [string, number, number];
const everything: readonly Placed[] = [["a", 0, 0], ["b", 1, 0], ["e", 0, 2], ["f", 1, 2]];

/** Two committed transactions of txn-0 over both partitions (a, b then e, f); the committed final reads hold `committed`. */
function twoCommitted(committed: readonly Placed[]) {
  const builder = transactionSetup();
  init(builder, "txn-0");
  const first = transaction(builder, "txn-0", [["a", 0, 0], ["b", 1, 0]]);
  transaction(builder, "txn-0", [["e", 0, 2], ["f", 1, 2]]);
  finalReads(builder, everything, committed, [4, 4]);
  return { verdict: checkHistory(builder.build()), first };
}

describe("T1 atomicity", () => {
  it("holds when every record of each committed transaction is visible", () => {
    const { verdict } = twoCommitted(everything);
    expect(statusOf(verdict, "T1")).toBe("holds");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "T1")?.counts.evidence).toBe(2);
  });

  it("a committed transaction with one record visible and one read past missing is torn", () => {
    const { verdict, first } = twoCommitted([["a", 0, 0], ["e", 0, 2], ["f", 1, 2]]);
    expect(statusOf(verdict, "T1")).toBe("violated");
    const [torn] = anomalies(verdict, "torn-transaction", "T1");
    expect(torn?.records.map((entry) => entry.value)).toEqual(["b", "a"]);
    expect(torn?.events).toContain(first.endCompletion);
    // The read_uncommitted final read holds b: no loss of the D rules.
    expect(statusOf(verdict, "D2")).toBe("holds");
  });

  it("a committed transaction none of whose records is visible is a lost write", () => {
    const { verdict } = twoCommitted([["e", 0, 2], ["f", 1, 2]]);
    expect(anomalies(verdict, "lost-write", "T1")).toHaveLength(1);
    expect(anomalies(verdict, "torn-transaction")).toEqual([]);
    expect(statusOf(verdict, "T1")).toBe("violated");
  });

  it("records above what the final committed reads reached are not judged", () => {
    const { verdict } = twoCommitted([["a", 0, 0], ["b", 1, 0]]);
    expect(statusOf(verdict, "T1")).toBe("holds");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "T1")?.evidence).toMatch(/2 records above what the final committed reads reached: not judged/);
  });

  it("is inconclusive without final committed reads", () => {
    const builder = transactionSetup();
    init(builder, "txn-0");
    transaction(builder, "txn-0", [["a", 0, 0]]);
    expect(statusOf(checkHistory(builder.build()), "T1")).toBe("inconclusive");
  });

  it("a commit ok after one of the transaction's sends failed is the client's defect, not a torn transaction", () => {
    const builder = transactionSetup({ client: { name: "kafkajs", version: "2.2.4" } });
    init(builder, "txn-0");
    begin(builder, "txn-0");
    builder.send("txn-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.sendInvoke("txn-0", "t", null, "b");
    const failed = builder.sendFailed("txn-0", "t", null, "b", "info", "REQUEST_TIMED_OUT");
    end(builder, "txn-0", "txn-commit");
    const commit = finish(builder, "txn-0", "txn-commit");
    transaction(builder, "txn-0", [["e", 0, 2], ["f", 1, 1]]);
    finalReads(builder, [["a", 0, 0], ["e", 0, 2], ["f", 1, 1]], [["a", 0, 0], ["e", 0, 2], ["f", 1, 1]], [4, 3]);
    const verdict = checkHistory(builder.build());
    expect(verdict.clientDefects).toMatchObject([{ kind: "commit-after-failed-send", guarantee: "T1", client: "kafkajs 2.2.4" }]);
    expect(verdict.clientDefects[0]?.events).toEqual(expect.arrayContaining([failed, commit]));
    expect(verdict.outcome).toBe("client-defect");
    expect(statusOf(verdict, "T1")).toBe("holds");
  });
});
