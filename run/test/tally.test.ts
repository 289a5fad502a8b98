import { describe, expect, test } from "vitest";
import type { Anomaly, GuaranteeVerdict, Verdict } from "../../model/index.js";
import { VerdictTally } from "../tally.js";
import { allowedAnomalies, promisedViolations } from "../judge.js";
import { failsOn } from "../search.js";
import type { JudgedRun } from "../judge.js";

function lost(allowed: boolean, explanation: string, configuration?: string): Anomaly {
  return { kind: "lost-write", guarantee: "D2", message: "lost", records: [], events: [1], allowed, explanation, ...(configuration === undefined ? {} : { configuration }) };
}

function verdict(d2: Partial<GuaranteeVerdict>, sends = 3): Verdict {
  const guarantee: GuaranteeVerdict = { id: "D2", status: "not-promised", reason: "not for producer-0 on 'events': acks=1: D2 needs acks=all", anomalies: [], counts: {}, evidence: "", implied: [], ...d2 };
  const valid = guarantee.status !== "violated";
  return { guarantees: [guarantee, { id: "O3", status: "holds", reason: "ok", anomalies: [], counts: {}, evidence: "", implied: [] }], counts: { sends }, clientDefects: [], outcome: valid ? "holds" : "violated", valid };
}

describe("VerdictTally", () => {
  test("summarises observed allowed behaviour as facts: the anomaly's own configuration, exact counts, a real explanation", () => {
    const tally = new VerdictTally(["D2", "O3"]);
    tally.add(verdict({ anomalies: [lost(true, "kill of broker-2 at t=1.2 s", "acks=1"), lost(true, "kill of broker-3 at t=0.4 s", "acks=1")] }));
    tally.add(verdict({}));
    tally.add(verdict({ anomalies: [lost(true, "kill of broker-1 at t=2 s", "acks=1")] }));
    // Grouped by shape, but the text shown is a real one: no "#" placeholders.
    expect(tally.observedAllowed("D2")).toEqual(["acks=1: 3 acknowledged records lost in 2 of 3 runs; each after a like cause, e.g. kill of broker-2 at t=1.2 s"]);
    expect(tally.observedAllowed("D2").join("")).not.toMatch(/#|…/);
    expect(tally.observedAllowed("O3")).toEqual([]);
  });

  test("never attributes one producer's configuration to another's anomaly", () => {
    const tally = new VerdictTally(["D2"]);
    tally.add(verdict({ anomalies: [lost(true, "x", "acks=1"), lost(true, "y", "acks=0")] }));
    expect(tally.observedAllowed("D2")).toEqual(["acks=1: 1 acknowledged records lost in 1 of 1 runs; each: x", "acks=0: 1 acknowledged records lost in 1 of 1 runs; each: y"]);
  });

  test("says when a count is a lower bound (the verdict kept fewer anomalies than it counted)", () => {
    const tally = new VerdictTally(["D2"]);
    tally.add(verdict({ anomalies: [lost(true, "x", "acks=1")], counts: { "allowed:lost-write": 282 } }));
    expect(tally.observedAllowed("D2")[0]).toMatch(/^acks=1: at least 1 acknowledged records lost/);
  });

  test("counts promised, exercised and violating runs; a promised guarantee exercised nowhere is inconclusive", () => {
    const tally = new VerdictTally(["D2"]);
    tally.add(verdict({ status: "inconclusive", evidence: "no final reads: what survived cannot be judged" }));
    expect(tally.guarantees.get("D2")).toMatchObject({ runs: 1, promised: 1, exercised: 0, violations: 0 });
    expect(tally.outcome()).toBe("inconclusive");
    expect(tally.unexercised()).toEqual(["D2"]);
    tally.add(verdict({ status: "holds" }, 0));
    expect(tally.outcome()).toBe("holds");
    tally.add(verdict({ status: "violated", anomalies: [lost(false, "no unclean election")] }));
    expect(tally.guarantees.get("D2")).toMatchObject({ runs: 3, promised: 3, exercised: 2, violations: 1, active: 2 });
    expect(tally.outcome()).toBe("violated");
    // A violation is not observed *allowed* behaviour.
    expect(tally.observedAllowed("D2")).toEqual([]);
  });

  test("lists what other root causes implied, without counting it as a violation", () => {
    const tally = new VerdictTally(["D2"]);
    tally.add(verdict({ status: "holds", implied: [{ by: "D6", count: 2 }] }));
    expect(tally.guarantees.get("D2")?.violations).toBe(0);
    expect(tally.impliedNotes("D2")).toEqual(["implied by D6 in 1 of 1 runs (2 anomalies, counted there)"]);
  });
});

describe("failure rules of a search", () => {
  const run = (value: Verdict): JudgedRun => ({ scenario: {} as JudgedRun["scenario"], history: {} as JudgedRun["history"], verdict: value });
  test("violation fails only on promised violations, anomaly also on allowed ones, never on nothing", () => {
    const allowedOnly = run(verdict({ anomalies: [lost(true, "x")] }));
    const violated = run(verdict({ status: "violated", anomalies: [lost(false, "x")] }));
    expect(failsOn(allowedOnly, "violation")).toBe(false);
    expect(failsOn(allowedOnly, "anomaly")).toBe(true);
    expect(failsOn(allowedOnly, "anomaly", ["O3"])).toBe(false);
    expect(failsOn(violated, "violation", ["D2"])).toBe(true);
    expect(failsOn(violated, "never")).toBe(false);
    expect(promisedViolations(violated.verdict).map((entry) => entry.id)).toEqual(["D2"]);
    expect(allowedAnomalies(allowedOnly.verdict)).toHaveLength(1);
  });
});
