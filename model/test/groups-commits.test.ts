/**
 * C3, the committed offset: a new owner resumes there (or where auto.offset.reset says), a zombie's
 * commit is refused, a committed offset is the next one to read. Each rule on a correct history and
 * the nearest bad one; a zombie's accepted commit reported once, with its consequences implied.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type CommitMode, type ConfigMap } from "../index.js";
import type { HistoryBuilder } from "../simulate/builder.js";
import { anomalies, impliedOf, statusOf, violations } from "./support.js";
import { consume, finalReads, groupSetup, produce } from "./group-support.js";

function pair(mode: CommitMode = "sync-after-processing", config: ConfigMap = {}) {
  const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode, config }, "consumer-1": { group: "g", mode, config } } });
  const c0 = builder.member("consumer-0", "m0");
  const c1 = builder.member("consumer-1", "m1");
  return { builder, c0, c1 };
}

/** consumer-0 takes t-0 in generation 1; consumer-1 takes it over in generation 2 after consumer-0's last commit. */
function handOver(options: { lastCommit?: "ok" | "fail" | "info"; resumeAt: number; count?: number; offsets?: readonly number[] }) {
  const { builder, c0, c1 } = pair();
  produce(builder, options.count ?? 10);
  c0.subscribe();
  c0.assigned(1, [0]);
  consume(c0, 0, 0, 3);
  c0.poll(0, [3, 4]);
  c0.process(0, [3, 4]);
  c0.commit({ 0: 5 }, options.lastCommit ?? "ok");
  c1.subscribe();
  c0.revoked([0]);
  c0.assigned(2, []);
  c1.assigned(2, [0]);
  const offsets = options.offsets ?? Array.from({ length: (options.count ?? 10) - options.resumeAt }, (_, index) => options.resumeAt + index);
  c1.poll(0, offsets);
  c1.process(0, offsets);
  c1.commit({ 0: (offsets[offsets.length - 1] ?? 0) + 1 });
  finalReads(builder, [options.count ?? 10]);
  return checkHistory(builder.build());
}

describe("C3 wrong-resume-offset", () => {
  it("holds when the new owner resumes at the committed offset", () => {
    const verdict = handOver({ resumeAt: 5 });
    expect(violations(verdict)).toEqual([]);
    expect(statusOf(verdict, "C3")).toBe("holds");
    expect(statusOf(verdict, "C4")).toBe("holds");
  });

  it("flags a new owner resuming above the committed offset, over records of the final reads", () => {
    const verdict = handOver({ resumeAt: 7 });
    const found = anomalies(verdict, "wrong-resume-offset", "C3");
    expect(found).toMatchObject([{ allowed: false, records: [{ offset: 7, value: "p0-7" }] }]);
    expect(found[0]?.message).toMatch(/committed offset was 5 .* first read is offset 7, above it, over offset 5/);
    // The records it jumped over are C4's consequence of this root cause, not a second violation.
    expect(anomalies(verdict, "skipped-record")).toEqual([]);
    expect(impliedOf(verdict, "C4")).toEqual([{ by: "C3", count: 2 }]);
  });

  it("flags a new owner resuming below the committed offset", () => {
    expect(anomalies(handOver({ resumeAt: 3 }), "wrong-resume-offset", "C3")).toHaveLength(1);
  });

  it("resuming above the committed offset is right when the final reads hold nothing in between", () => {
    // Offsets 5 and 6 hold no record (never written, e.g. transaction markers).
    const { builder, c0, c1 } = pair();
    produce(builder, 5);
    produce(builder, 3, 0, 7);
    c0.subscribe();
    c0.assigned(1, [0]);
    consume(c0, 0, 0, 5);
    c1.subscribe();
    c0.revoked([0]);
    c1.assigned(2, [0]);
    c1.poll(0, [7, 8, 9]);
    builder.poll("final-reader", [0, 1, 2, 3, 4, 7, 8, 9].map((offset) => builder.recordAt("t", 0, offset)), true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 10 }]);
    expect(anomalies(checkHistory(builder.build()), "wrong-resume-offset")).toEqual([]);
  });

  it("an indefinite commit may have landed: resuming at its offset or at the one before is right", () => {
    const verdict = handOver({ lastCommit: "info", resumeAt: 5 });
    expect(anomalies(verdict, "wrong-resume-offset")).toEqual([]);
    expect(anomalies(handOver({ lastCommit: "info", resumeAt: 3 }), "wrong-resume-offset")).toEqual([]);
  });

  it("a refused commit must not take effect: resuming at its offset is C6's violation", () => {
    const verdict = handOver({ lastCommit: "fail", resumeAt: 5 });
    expect(anomalies(verdict, "failed-commit-applied", "C6")).toMatchObject([{ allowed: false }]);
    expect(anomalies(verdict, "wrong-resume-offset")).toEqual([]);
    expect(anomalies(handOver({ lastCommit: "fail", resumeAt: 3 }), undefined, "C6")).toEqual([]);
  });

  it("the coordinator's stored offsets, when the history has them, are what a new owner resumes from", () => {
    const story = (stored: number) => {
      const { builder, c0, c1 } = pair();
      produce(builder, 10);
      c0.subscribe();
      c0.assigned(1, [0]);
      consume(c0, 0, 0, 5);
      builder.offsetCommitted("g", "t", 0, stored, 1, "m0");
      c1.subscribe();
      c0.revoked([0]);
      c1.assigned(2, [0]);
      c1.poll(0, [5]);
      finalReads(builder, [10]);
      return checkHistory(builder.build());
    };
    expect(anomalies(story(5), "wrong-resume-offset")).toEqual([]);
    // The commit said 5 but only 3 was stored: resuming at 5 is wrong by the coordinator's own view.
    expect(anomalies(story(3), "wrong-resume-offset", "C3")).toHaveLength(1);
  });
});

describe("C3 reset-violation: without a committed offset, auto.offset.reset decides", () => {
  function firstOwner(reset: string, firstRead: readonly number[], sendAfter = false): ReturnType<typeof checkHistory> {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing", config: { "auto.offset.reset": reset } } } });
    produce(builder, 3);
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    if (sendAfter) produce(builder, 2, 0, 3);
    c0.poll(0, firstRead);
    finalReads(builder, [sendAfter ? 5 : 3]);
    return checkHistory(builder.build());
  }

  it("earliest: the first record of the log", () => {
    expect(statusOf(firstOwner("earliest", [0, 1, 2]), "C3")).toBe("holds");
    expect(anomalies(firstOwner("earliest", [1, 2]), "reset-violation", "C3")).toMatchObject([{ allowed: false, records: [{ offset: 1 }] }]);
  });

  it("latest: no record already below the high watermark when the member took the partition", () => {
    expect(anomalies(firstOwner("latest", [3, 4], true), "reset-violation")).toEqual([]);
    expect(anomalies(firstOwner("latest", [2, 3, 4], true), "reset-violation", "C3")[0]?.message).toMatch(/offset 2, acknowledged by acks=all .* before it took the partition/);
  });

  it("none: a poll returning records is a violation, a poll failing with NO_OFFSET_FOR_PARTITION is right", () => {
    expect(anomalies(firstOwner("none", [0]), "reset-violation", "C3")[0]?.message).toMatch(/NO_OFFSET_FOR_PARTITION/);
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing", config: { "auto.offset.reset": "none" } } } });
    produce(builder, 1);
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    builder.event("consumer-0", "invoke", "poll");
    builder.event("consumer-0", "fail", "poll", undefined, "NO_OFFSET_FOR_PARTITION");
    expect(violations(checkHistory(builder.build()))).toEqual([]);
  });
});

describe("C3 stale-commit-accepted: a zombie's commit", () => {
  /**
   * consumer-0 owns t-0 in generation 1, reads 0..2 and freezes (no revoke: it is paused). consumer-1
   * takes t-0 in generation 2, processes everything (commit before processing: at-most-once) and
   * commits 10. consumer-0 wakes and commits 3 under generation 1; then consumer-1 rejoins
   * (generation 3) and resumes from the stored offset.
   */
  function zombie(zombieOutcome: "ok" | "fail"): { verdict: ReturnType<typeof checkHistory>; builder: HistoryBuilder } {
    const { builder, c0, c1 } = pair("sync-before-processing");
    produce(builder, 10);
    c0.subscribe();
    c0.assigned(1, [0]);
    c0.poll(0, [0, 1, 2]);
    c0.commit({ 0: 3 });
    c0.process(0, [0, 1, 2]);
    c1.subscribe();
    c1.assigned(2, [0]);
    const all = [3, 4, 5, 6, 7, 8, 9];
    c1.poll(0, all);
    c1.commit({ 0: 10 });
    c1.process(0, all);
    // The zombie wakes: its commit of generation 1.
    c0.commit({ 0: 3 }, zombieOutcome);
    c0.lost([0]);
    c1.revoked([0]);
    c1.assigned(3, [0]);
    const again = zombieOutcome === "ok" ? all : [];
    if (again.length > 0) {
      c1.poll(0, again);
      c1.commit({ 0: 10 });
      c1.process(0, again);
    }
    finalReads(builder, [10]);
    return { verdict: checkHistory(builder.build()), builder };
  }

  it("refused (ILLEGAL_GENERATION): nothing to report", () => {
    const { verdict } = zombie("fail");
    expect(violations(verdict)).toEqual([]);
    expect(statusOf(verdict, "C3")).toBe("holds");
  });

  it("accepted: reported once under C3; the regression and the records processed again are implied", () => {
    const { verdict } = zombie("ok");
    const found = anomalies(verdict, "stale-commit-accepted", "C3");
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/consumer-0's sync commit of 3 \(generation 1.* had reached generation 2/);
    expect(violations(verdict).map((anomaly) => anomaly.kind)).toEqual(["stale-commit-accepted"]);
    expect(impliedOf(verdict, "C6")).toEqual([{ by: "C3", count: 1 }]);
    expect(impliedOf(verdict, "C4")).toEqual([{ by: "C3", count: 7 }]);
    expect(found[0]?.implies).toEqual(expect.arrayContaining(["C4", "C6"]));
  });

  it("is not judged for KIP-848 members, fenced by their own member epoch", () => {
    const story = (protocol: string) => {
      const config = { "group.protocol": protocol };
      const builder = groupSetup({ partitions: 2, consumers: { "consumer-0": { group: "g", mode: "sync-after-processing", config }, "consumer-1": { group: "g", mode: "sync-after-processing", config } } });
      const c0 = builder.member("consumer-0", "m0");
      const c1 = builder.member("consumer-1", "m1");
      c0.subscribe();
      c0.assigned(1, [0]);
      c1.subscribe();
      c1.assigned(2, [1]);
      c0.commit({ 0: 0 });
      return checkHistory(builder.build());
    };
    expect(anomalies(story("consumer"), "stale-commit-accepted")).toEqual([]);
    expect(anomalies(story("classic"), "stale-commit-accepted", "C3")).toHaveLength(1);
  });

  it("is judged from the coordinator's generations and stored offsets too", () => {
    const { builder, c0 } = pair();
    c0.subscribe();
    c0.assigned(1, [0]);
    builder.groupGeneration("g", 2, "range", [{ member: "m1", client: "consumer-1", partitions: [{ topic: "t", partition: 0 }] }]);
    builder.offsetCommitted("g", "t", 0, 0, 1, "m0");
    expect(anomalies(checkHistory(builder.build()), "stale-commit-accepted", "C3")[0]?.message).toMatch(/from generation 1 \(member m0\), after the group reached generation 2/);
  });
});

describe("C3 commit-not-next-offset", () => {
  function committing(offset: number) {
    const { builder, c0, c1 } = pair();
    produce(builder, 5);
    c0.subscribe();
    c0.assigned(1, [0]);
    c0.poll(0, [0, 1, 2, 3, 4]);
    c0.process(0, [0, 1, 2, 3, 4]);
    c0.commit({ 0: offset });
    c1.subscribe();
    c0.revoked([0]);
    c1.assigned(2, [0]);
    const rest = [0, 1, 2, 3, 4].filter((value) => value >= offset);
    c1.poll(0, rest);
    c1.process(0, rest);
    finalReads(builder, [5]);
    return checkHistory(builder.build());
  }

  it("holds when the commit names the next offset to read", () => {
    expect(violations(committing(5))).toEqual([]);
  });

  it("flags a commit of the last processed offset (the record is read again by the next owner, implied)", () => {
    const verdict = committing(4);
    expect(anomalies(verdict, "commit-not-next-offset", "C3")[0]?.message).toMatch(/committed offset 4 of t-0 after processing offset 4/);
    expect(anomalies(verdict, "duplicate-processing")).toEqual([]);
    expect(impliedOf(verdict, "C4")).toEqual([{ by: "C3", count: 1 }]);
  });
});
