/** T6 fencing: a session fenced by a later txn-init of its transactional id commits (zombie-commit) or is read committed (zombie-write). */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../index.js";
import { anomalies, statusOf } from "./support.js";
import { begin, end, finish, init, record, transaction, transactionSetup } from "./transaction-support.js";

/** txn-0 and txn-1 share one transactional.id; txn-0 sends a, then txn-1's init fences it, then txn-0 commits with `outcome`. */
function fencedCommit(outcome: "ok" | "fail", readCommitted: boolean) {
  const builder = transactionSetup({ shared: true });
  const firstInit = init(builder, "txn-0", 0);
  begin(builder, "txn-0");
  builder.send("txn-0", "t", null, "a", { partition: 0, offset: 0 });
  const fence = init(builder, "txn-1", 1);
  const commit = end(builder, "txn-0", "txn-commit");
  const completion = finish(builder, "txn-0", "txn-commit", outcome);
  const poll = readCommitted ? builder.poll("committed-0", [record("t", 0, 0, "a")]) : -1;
  return { verdict: checkHistory(builder.build()), firstInit, fence, commit, completion, poll };
}

describe("T6 fencing", () => {
  it("holds when the fenced session's commit fails and nothing of it is read committed", () => {
    const { verdict } = fencedCommit("fail", false);
    expect(statusOf(verdict, "T6")).toBe("holds");
  });

  it("holds for sessions one after the other, each committing before the next init", () => {
    const builder = transactionSetup({ shared: true });
    init(builder, "txn-0", 0);
    transaction(builder, "txn-0", [["a", 0, 0]]);
    init(builder, "txn-1", 1);
    transaction(builder, "txn-1", [["b", 0, 2]]);
    expect(statusOf(checkHistory(builder.build()), "T6")).toBe("holds");
  });

  it("a commit ok of a fenced session is a zombie commit citing both inits and the commit", () => {
    const { verdict, firstInit, fence, commit, completion } = fencedCommit("ok", true);
    expect(statusOf(verdict, "T6")).toBe("violated");
    const zombies = anomalies(verdict, undefined, "T6");
    // Its record read committed is the zombie commit's consequence: one root cause.
    expect(zombies.map((anomaly) => anomaly.kind)).toEqual(["zombie-commit"]);
    expect(zombies[0]?.events).toEqual([firstInit, fence, commit, completion]);
  });

  it("a fenced session's record returned by a read_committed poll is a zombie write", () => {
    const { verdict, poll } = fencedCommit("fail", true);
    const [write] = anomalies(verdict, "zombie-write", "T6");
    expect(write?.events).toContain(poll);
    // The same read is an aborted read (commit fail) too, implied by the zombie write.
    expect(anomalies(verdict, "aborted-read")).toEqual([]);
  });

  it("is inconclusive when no transactional id had two sessions", () => {
    const builder = transactionSetup();
    init(builder, "txn-0");
    transaction(builder, "txn-0", [["a", 0, 0]]);
    expect(statusOf(checkHistory(builder.build()), "T6")).toBe("inconclusive");
  });
});
