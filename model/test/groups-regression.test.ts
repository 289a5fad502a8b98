/**
 * C6, the committed offset never moves backwards under synchronous commits; an asynchronous commit
 * retried late may move it back, and the checker names why (the seed's 1-2-3 example, 000 §4.3.3); a
 * refused commit never takes effect; a new owner resuming lower after a legitimate reset is no
 * regression of commits.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type CommitMode } from "../index.js";
import { anomalies, impliedOf, statusOf, violations } from "./support.js";
import { finalReads, groupSetup, produce } from "./group-support.js";

function member(mode: CommitMode) {
  const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode }, "consumer-1": { group: "g", mode } } });
  produce(builder, 4);
  const c0 = builder.member("consumer-0", "m0");
  c0.subscribe();
  c0.assigned(1, [0]);
  return { builder, c0 };
}

describe("the seed's 1-2-3 example (000 §4.3.3)", () => {
  /**
   * Read offset 0, commitAsync(1); read 1, commitAsync(2), whose answer is late; read 2, commitAsync(3);
   * the commit of 2 completes last: the committed offset goes 1, 3, 2.
   */
  function oneTwoThree(withObserver: boolean) {
    const { builder, c0 } = member("async-after-processing");
    c0.poll(0, [0]);
    c0.process(0, [0]);
    c0.commit({ 0: 1 }, "ok", "async");
    if (withObserver) builder.offsetCommitted("g", "t", 0, 1, 1, "m0");
    c0.poll(0, [1]);
    c0.process(0, [1]);
    const two = c0.commitInvoke({ 0: 2 }, "async");
    c0.poll(0, [2]);
    c0.process(0, [2]);
    const three = c0.commitInvoke({ 0: 3 }, "async");
    if (withObserver) builder.offsetCommitted("g", "t", 0, 3, 1, "m0");
    c0.commitComplete(three, "ok");
    if (withObserver) builder.offsetCommitted("g", "t", 0, 2, 1, "m0");
    c0.commitComplete(two, "ok");
    finalReads(builder, [4]);
    return checkHistory(builder.build());
  }

  it("is an allowed regression, explained by name, and C6 is not promised to async commits", () => {
    const verdict = oneTwoThree(false);
    const found = anomalies(verdict, "offset-regression", "C6");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ allowed: true, records: [{ offset: 2 }] });
    expect(found[0]?.message).toMatch(/went from 3 back to 2/);
    expect(found[0]?.explanation).toMatch(/^async commit of 2 \(invoked at t=.* s\) completed after commit of 3 \(invoked at t=.* s\)$/);
    expect(statusOf(verdict, "C6")).toBe("not-promised");
    expect(violations(verdict)).toEqual([]);
  });

  /** The application's variant: commitAsync(2) fails, commitAsync(3) succeeds, then the callback retries 2. */
  function retriedAfterFailure(retry: "same offsets" | "older than asked") {
    const { builder, c0 } = member("async-after-processing");
    c0.poll(0, [0, 1]);
    c0.process(0, [0, 1]);
    c0.commit({ 0: 2 }, "info", "async");
    c0.poll(0, [2]);
    c0.process(0, [2]);
    c0.commit({ 0: 3 }, "ok", "async");
    c0.commit({ 0: retry === "same offsets" ? 2 : 1 }, "ok", "async");
    finalReads(builder, [4]);
    return checkHistory(builder.build());
  }

  it("an application's retry of a failed async commit is the regression (C6, allowed), not a commit behind its reads (C3)", () => {
    const verdict = retriedAfterFailure("same offsets");
    expect(anomalies(verdict, "commit-not-next-offset")).toEqual([]);
    expect(anomalies(verdict, "offset-regression", "C6")).toMatchObject([{ allowed: true }]);
    expect(violations(verdict)).toEqual([]);
  });

  it("an async commit behind its own reads that repeats no failed commit is still C3's", () => {
    expect(anomalies(retriedAfterFailure("older than asked"), "commit-not-next-offset", "C3")).toHaveLength(1);
  });

  it("is read from the coordinator's stored offsets when the history has them", () => {
    const found = anomalies(oneTwoThree(true), "offset-regression", "C6");
    expect(found).toMatchObject([{ allowed: true }]);
    expect(found[0]?.explanation).toMatch(/async commit of 2 .* was stored after commit of 3/);
  });
});

describe("synchronous commits", () => {
  function overtaken(lateOutcome: "ok" | "fail", stored: boolean) {
    const { builder, c0 } = member("sync-after-processing");
    c0.poll(0, [0, 1]);
    c0.process(0, [0, 1]);
    // A sync commit sent again later (the planted bug sync-commit-retried-late): its answer comes last.
    const late = c0.commitInvoke({ 0: 2 });
    c0.poll(0, [2, 3]);
    c0.process(0, [2, 3]);
    c0.commit({ 0: 4 });
    if (stored) builder.offsetCommitted("g", "t", 0, 4, 1, "m0");
    if (stored) builder.offsetCommitted("g", "t", 0, 2, 1, "m0");
    c0.commitComplete(late, lateOutcome);
    finalReads(builder, [4]);
    return checkHistory(builder.build());
  }

  it("never regress: a sync commit landing after a later one is a violation", () => {
    const verdict = overtaken("ok", false);
    expect(anomalies(verdict, "offset-regression", "C6")).toMatchObject([{ allowed: false, explanation: "synchronous commits never move the committed offset backwards" }]);
    expect(statusOf(verdict, "C6")).toBe("violated");
  });

  it("hold on evidence when each commit moves forward", () => {
    const { builder, c0 } = member("sync-after-processing");
    c0.poll(0, [0, 1]);
    c0.process(0, [0, 1]);
    c0.commit({ 0: 2 });
    c0.poll(0, [2, 3]);
    c0.process(0, [2, 3]);
    c0.commit({ 0: 4 });
    finalReads(builder, [4]);
    const verdict = checkHistory(builder.build());
    expect(statusOf(verdict, "C6")).toBe("holds");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "C6")?.evidence).toMatch(/^1 changes of a committed offset under synchronous commits/);
  });

  it("a refused commit that took effect is a violation whatever the mode; the regression it caused is implied", () => {
    const verdict = overtaken("fail", true);
    expect(anomalies(verdict, "failed-commit-applied", "C6")).toMatchObject([{ allowed: false }]);
    // The step from 4 back to 2 is that same root cause: not a second row.
    expect(anomalies(verdict, "offset-regression")).toEqual([]);
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "C6")?.counts).toMatchObject({ violations: 1, "failed-commit-applied": 1 });
    // Refused and never stored: nothing happened.
    expect(violations(overtaken("fail", false))).toEqual([]);
  });
});

describe("a new owner resuming lower after a legitimate reset", () => {
  /**
   * consumer-0 commits 10. An unclean election truncates t-0 to 6 records: the committed offset is out
   * of range, consumer-1 resets to earliest and commits 6: the stored offset goes from 10 to 6, and
   * that is no commit going backwards.
   */
  function truncated(unclean: boolean) {
    const builder = groupSetup({
      topic: { "min.insync.replicas": 1, "unclean.leader.election.enable": true },
      consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" }, "consumer-1": { group: "g", mode: "sync-after-processing" } },
    });
    produce(builder, 10);
    const c0 = builder.member("consumer-0", "m0");
    const c1 = builder.member("consumer-1", "m1");
    c0.subscribe();
    c0.assigned(1, [0]);
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    c0.poll(0, all);
    c0.process(0, all);
    c0.commit({ 0: 10 });
    builder.election("t", 0, 2, 1, unclean);
    c1.subscribe();
    c0.revoked([0]);
    c1.assigned(2, [0]);
    const kept = [0, 1, 2, 3, 4, 5];
    c1.poll(0, kept);
    c1.process(0, kept);
    c1.commit({ 0: 6 });
    builder.poll("final-reader", kept.map((offset) => builder.recordAt("t", 0, offset)), true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 6 }]);
    return checkHistory(builder.build());
  }

  it("is allowed and explained after an unclean election truncated the log", () => {
    const verdict = truncated(true);
    expect(anomalies(verdict, "wrong-resume-offset")).toEqual([]);
    const regression = anomalies(verdict, "offset-regression", "C6");
    expect(regression).toMatchObject([{ allowed: true }]);
    expect(regression[0]?.explanation).toMatch(/consumer-1 took t-0 .* resumed at 0 \(unclean election .*\): a new owner's commits start where it resumed/);
    expect(anomalies(verdict).filter((anomaly) => anomaly.guarantee.startsWith("C") && !anomaly.allowed)).toEqual([]);
    expect(statusOf(verdict, "C6")).toBe("holds");
  });

  it("without the truncation the same resume is wrong (C3), and the regression is its consequence", () => {
    const verdict = truncated(false);
    expect(anomalies(verdict, "wrong-resume-offset", "C3")).toHaveLength(1);
    expect(anomalies(verdict, "offset-regression")).toEqual([]);
    expect(impliedOf(verdict, "C6")).toEqual([{ by: "C3", count: 1 }]);
  });
});

describe("two members' commits without the coordinator's view", () => {
  function overlapping(sentAfterAnswer: boolean) {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" }, "consumer-1": { group: "g", mode: "sync-after-processing" } } });
    produce(builder, 4);
    const c0 = builder.member("consumer-0", "m0");
    const c1 = builder.member("consumer-1", "m1");
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c1.assigned(1, []);
    const higher = c0.commitInvoke({ 0: 4 });
    if (sentAfterAnswer) c0.commitComplete(higher, "ok");
    const lower = c1.commitInvoke({ 0: 2 });
    if (!sentAfterAnswer) c0.commitComplete(higher, "ok");
    c1.commitComplete(lower, "ok");
    return checkHistory(builder.build());
  }

  it("a lower commit sent before the other member's answer may have been stored first: not judged", () => {
    expect(anomalies(overlapping(false), "offset-regression")).toEqual([]);
  });

  it("sent after it, it was stored after it: a regression", () => {
    expect(anomalies(overlapping(true), "offset-regression", "C6")).toMatchObject([{ allowed: false }]);
  });
});

