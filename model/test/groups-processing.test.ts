/**
 * C4 (processing by commit mode) and C5 (auto commit's skips and repeats): each rule on a correct
 * history and the nearest bad one, and what is allowed counted as allowed, explained.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type CommitMode } from "../index.js";
import { anomalies, statusOf, violations } from "./support.js";
import { consume, finalReads, groupSetup, produce } from "./group-support.js";

function pair(mode: CommitMode, count = 10) {
  const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode }, "consumer-1": { group: "g", mode } } });
  produce(builder, count);
  const c0 = builder.member("consumer-0", "m0");
  const c1 = builder.member("consumer-1", "m1");
  c0.subscribe();
  c0.assigned(1, [0]);
  return { builder, c0, c1 };
}

/** consumer-1 takes t-0 over (consumer-0 crashed) and reads `offsets`. */
function takeOver(c1: ReturnType<typeof pair>["c1"], offsets: readonly number[], process = true): void {
  c1.subscribe();
  c1.assigned(2, [0]);
  c1.poll(0, offsets);
  if (process) c1.process(0, offsets);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, index) => from + index);

describe("C4 at-least-once (commit after processing)", () => {
  it("holds when every record between the first and the last processed was processed", () => {
    const { builder, c0, c1 } = pair("sync-after-processing");
    consume(c0, 0, 0, 5);
    c0.crash();
    takeOver(c1, range(5, 10));
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    expect(statusOf(verdict, "C4")).toBe("holds");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "C4")?.evidence).toMatch(/^10 records \(10 of the final reads looked for among the processed/);
  });

  it("flags a record no member processed, citing the commit that moved past it and the owners", () => {
    const { builder, c0, c1 } = pair("sync-after-processing");
    c0.poll(0, range(0, 7));
    c0.process(0, range(0, 5));
    // Committed past offsets 5 and 6, which it never processed.
    c0.commit({ 0: 7 });
    c0.crash();
    takeOver(c1, range(7, 10));
    finalReads(builder, [10]);
    const found = anomalies(checkHistory(builder.build()), "skipped-record", "C4");
    expect(found.map((anomaly) => anomaly.records[0]?.offset)).toEqual([5, 6]);
    expect(found[0]).toMatchObject({ allowed: false });
    expect(found[0]?.message).toMatch(/never processed offset 5 of t-0 \('p0-5'\).*consumer-0's commit of 7 \(ok\) moved past it; consumer-1 .* started at 7; returned to consumer-0 .* until it crashed/);
  });

  it("async commits after processing promise it too: a late commit repeats, it never skips", () => {
    const { builder, c0, c1 } = pair("async-after-processing");
    consume(c0, 0, 0, 5, "ok", "async");
    c0.crash();
    takeOver(c1, range(5, 10));
    finalReads(builder, [10]);
    expect(statusOf(checkHistory(builder.build()), "C4")).toBe("holds");
  });

  it("records after the last processed one are judged only when the group drained", () => {
    const { builder, c0 } = pair("sync-after-processing");
    consume(c0, 0, 0, 5);
    finalReads(builder, [10]);
    expect(anomalies(checkHistory(builder.build()), "skipped-record")).toEqual([]);
  });

  it("a repeat is allowed, counted and explained", () => {
    const { builder, c0, c1 } = pair("sync-after-processing");
    consume(c0, 0, 0, 5, "none");
    c0.crash();
    takeOver(c1, range(0, 10));
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    expect(violations(verdict)).toEqual([]);
    const repeats = anomalies(verdict, "duplicate-processing", "C4");
    expect(repeats).toHaveLength(5);
    expect(repeats[0]).toMatchObject({ allowed: true });
    expect(repeats[0]?.explanation).toMatch(/processed again by consumer-1 after it resumed at 0: commits follow processing \(at-least-once\)/);
  });

  it("a skip after a reset to latest with nothing committed is allowed", () => {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" }, "consumer-1": { group: "g", mode: "sync-after-processing", config: { "auto.offset.reset": "latest" } } } });
    produce(builder, 5);
    const c0 = builder.member("consumer-0", "m0");
    const c1 = builder.member("consumer-1", "m1");
    c0.subscribe();
    c0.assigned(1, [0]);
    consume(c0, 0, 0, 2, "none");
    c0.crash();
    c1.subscribe();
    c1.assigned(2, [0]);
    produce(builder, 3, 0, 5);
    consume(c1, 0, 5, 8);
    finalReads(builder, [8]);
    const verdict = checkHistory(builder.build());
    expect(violations(verdict)).toEqual([]);
    expect(anomalies(verdict, "skipped-record", "C4")).toMatchObject([{ allowed: true }, { allowed: true }, { allowed: true }]);
  });
});

describe("C4 at-most-once (commit before processing)", () => {
  function beforeProcessing(repeat: boolean) {
    const { builder, c0, c1 } = pair("sync-before-processing");
    c0.poll(0, range(0, 5));
    c0.commit({ 0: 5 });
    c0.process(0, range(0, 3));
    if (repeat) c0.process(0, [2]);
    // Crashed between the commit and processing offsets 3 and 4: they are skipped, at most once.
    c0.crash();
    c1.subscribe();
    c1.assigned(2, [0]);
    c1.poll(0, range(5, 10));
    c1.commit({ 0: 10 });
    c1.process(0, range(5, 10));
    finalReads(builder, [10]);
    return checkHistory(builder.build());
  }

  it("holds: a record committed but never processed is an allowed skip", () => {
    const verdict = beforeProcessing(false);
    expect(statusOf(verdict, "C4")).toBe("holds");
    expect(anomalies(verdict, "skipped-record", "C4")).toMatchObject([{ allowed: true }, { allowed: true }]);
  });

  it("flags a record processed twice", () => {
    expect(anomalies(beforeProcessing(true), "duplicate-processing", "C4")).toMatchObject([{ allowed: false, records: [{ offset: 2 }] }]);
  });
});

describe("C5 auto commit", () => {
  it("a record returned to a member that crashed before processing it may be skipped", () => {
    const { builder, c0, c1 } = pair("auto");
    c0.poll(0, range(0, 5));
    c0.autoCommit({ 0: 5 });
    c0.process(0, range(0, 3));
    c0.crash();
    takeOver(c1, range(5, 10));
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    expect(violations(verdict)).toEqual([]);
    const skipped = anomalies(verdict, "skipped-record", "C5");
    expect(skipped).toMatchObject([{ allowed: true }, { allowed: true }]);
    expect(skipped[0]?.explanation).toMatch(/returned to consumer-0 .* whose ownership ended before it processed it/);
    expect(statusOf(verdict, "C5")).toBe("holds");
    expect(statusOf(verdict, "C4")).toBe("not-promised");
  });

  it("a record no poll returned cannot be skipped by auto commit", () => {
    const { builder, c0, c1 } = pair("auto");
    c0.poll(0, range(0, 5));
    c0.process(0, range(0, 5));
    c0.autoCommit({ 0: 7 });
    c0.crash();
    takeOver(c1, range(7, 10));
    finalReads(builder, [10]);
    const skipped = anomalies(checkHistory(builder.build()), "skipped-record", "C5");
    expect(skipped.map((anomaly) => [anomaly.records[0]?.offset, anomaly.allowed])).toEqual([
      [5, false],
      [6, false],
    ]);
  });

  it("a record processed after the last automatic commit may be repeated by the next owner", () => {
    const { builder, c0, c1 } = pair("auto");
    c0.poll(0, range(0, 3));
    c0.process(0, range(0, 3));
    c0.poll(0, range(3, 5));
    c0.autoCommit({ 0: 3 });
    c0.process(0, range(3, 5));
    c0.crash();
    takeOver(c1, range(3, 10));
    finalReads(builder, [10]);
    const verdict = checkHistory(builder.build());
    expect(violations(verdict)).toEqual([]);
    expect(anomalies(verdict, "duplicate-processing", "C5")).toMatchObject([{ allowed: true }, { allowed: true }]);
  });

  it("a repeat within one ownership span is beyond what auto commit explains", () => {
    const { builder, c0 } = pair("auto");
    c0.poll(0, range(0, 3));
    c0.process(0, range(0, 3));
    c0.process(0, [1]);
    finalReads(builder, [10]);
    expect(anomalies(checkHistory(builder.build()), "duplicate-processing", "C5")).toMatchObject([{ allowed: false, records: [{ offset: 1 }] }]);
  });
});

describe("a group mixing commit modes", () => {
  it("is not judged for processing, and says so", () => {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" }, "consumer-1": { group: "g", mode: "sync-before-processing" } } });
    produce(builder, 2);
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    consume(c0, 0, 0, 2);
    finalReads(builder, [2]);
    const verdict = checkHistory(builder.build());
    expect(statusOf(verdict, "C4")).toBe("inconclusive");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "C4")?.evidence).toMatch(/mixes commit modes/);
  });
});
