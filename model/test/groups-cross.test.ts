/**
 * C7, independent groups: one group's commits never set another group's committed offset, and each
 * group that drained sees every record on its own. The root cause (another group's offset) is
 * reported once, before what it causes in the group (records skipped: C4).
 */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../index.js";
import { anomalies, impliedOf, statusOf, violations } from "./support.js";
import { consume, finalReads, groupSetup, produce } from "./group-support.js";

function twoGroups() {
  const builder = groupSetup({ consumers: { "consumer-0": { group: "a", mode: "sync-after-processing" }, "consumer-1": { group: "b", mode: "sync-after-processing" } } });
  produce(builder, 10);
  const a = builder.member("consumer-0", "a0");
  const b = builder.member("consumer-1", "b0");
  a.subscribe();
  a.assigned(1, [0]);
  consume(a, 0, 0, 10);
  b.subscribe();
  b.assigned(1, [0]);
  return { builder, a, b };
}

describe("C7 cross-group-interference", () => {
  it("holds when each group reads everything on its own", () => {
    const { builder, b } = twoGroups();
    consume(b, 0, 0, 10);
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    expect(violations(verdict)).toEqual([]);
    expect(statusOf(verdict, "C7")).toBe("holds");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "C7")?.evidence).toMatch(/of 2 groups sharing partitions/);
  });

  it("flags a member resuming where only another group committed; the records it skipped are implied", () => {
    const { builder, b } = twoGroups();
    // Group b never committed (auto.offset.reset=earliest: offset 0), yet it starts at group a's 6.
    builder.member("consumer-0", "a0").commit({ 0: 6 });
    consume(b, 0, 6, 10);
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    const found = anomalies(verdict, "cross-group-interference", "C7");
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/consumer-1 took t-0 \(group 'b', generation 1\) with no committed offset, yet its first read, offset 6, is where consumer-0's sync commit of 6 for group 'a'/);
    expect(violations(verdict).map((anomaly) => anomaly.kind)).toEqual(["cross-group-interference"]);
    expect(anomalies(verdict, "reset-violation")).toEqual([]);
  });

  it("what the interference causes in the group (records it skipped) is implied, not reported again", () => {
    const { builder, b } = twoGroups();
    // b processes 0..2 without committing and crashes; its next session resumes at a's offset 6.
    consume(b, 0, 0, 3, "none");
    b.crash();
    b.restart("b1");
    b.subscribe();
    b.assigned(2, [0]);
    builder.member("consumer-0", "a0").commit({ 0: 6 });
    consume(b, 0, 6, 10);
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict, "cross-group-interference", "C7")).toHaveLength(1);
    expect(anomalies(verdict, "skipped-record")).toEqual([]);
    expect(impliedOf(verdict, "C4")).toEqual([{ by: "C7", count: 3 }]);
  });

  it("flags the coordinator storing one group's commit as another group's offset", () => {
    const { builder, b } = twoGroups();
    builder.offsetCommitted("b", "t", 0, 10, 1, "a0");
    consume(b, 0, 0, 10);
    finalReads(builder, [10]);
    expect(anomalies(checkHistory(builder.build()), "cross-group-interference", "C7")[0]?.message).toMatch(/stored offset 10 of t-0 for group 'b' from consumer-0's sync commit of 10 .* for group 'a'/);
  });

  it("is inconclusive with one group: nothing could interfere", () => {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "a", mode: "sync-after-processing" } } });
    produce(builder, 2);
    const a = builder.member("consumer-0", "a0");
    a.subscribe();
    a.assigned(1, [0]);
    consume(a, 0, 0, 2);
    finalReads(builder, [2]);
    const verdict = checkHistory(builder.build());
    expect(statusOf(verdict, "C7")).toBe("inconclusive");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "C7")?.evidence).toMatch(/no partition is read by two groups/);
  });
});
