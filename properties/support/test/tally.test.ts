import { describe, expect, test } from "vitest";
import type { Anomaly, GuaranteeVerdict, Verdict } from "../../../model/verdict.js";
import { VerdictTally } from "../tally.js";
import { allowedAnomalies, promisedViolations } from "../judge.js";
import { failsOn } from "../search.js";
import type { JudgedRun } from "../judge.js";

function lost(allowed: boolean, explanation: string): Anomaly {
  return { kind: "lost-write", guarantee: "D2", message: "lost", records: [], events: [1], allowed, explanation };
}

function verdict(d2: Partial<GuaranteeVerdict>, sends = 3): Verdict {
  const guarantee: GuaranteeVerdict = { id: "D2", status: "not-promised", reason: "not for producer-0 on 'events': acks=1: D2 needs acks=all", anomalies: [], counts: {}, evidence: "", implied: [], ...d2 };
  const valid = guarantee.status !== "violated";
  return { guarantees: [guarantee, { id: "O3", status: "holds", reason: "ok", anomalies: [], counts: {}, evidence: "", implied: [] }], counts: { sends }, clientDefects: [], outcome: valid ? "holds" : "violated", valid };
}

describe("VerdictTally", () => {
  test("summarises observed allowed behaviour with the configuration words and the shared explanation", () => {
    const tally = new VerdictTally(["D2", "O3"]);
    tally.add(verdict({ anomalies: [lost(true, "leader broker-2 killed at t=1.2s"), lost(true, "leader broker-3 killed at t=0.4s")] }));
    tally.add(verdict({}));
    tally.add(verdict({ anomalies: [lost(true, "leader broker-1 killed at t=2.0s")] }));
    expect(tally.observedAllowed("D2")).toEqual(["acks=1: 3 acknowledged records lost in 2 of 3 runs, each: leader broker-# killed at t=…"]);
    expect(tally.observedAllowed("O3")).toEqual([]);
    expect(tally.guarantees.get("D2")).toMatchObject({ runs: 3, promised: 0, violations: 0, active: 3 });
  });

  test("counts promised runs and violations, and runs without sends as inactive", () => {
    const tally = new VerdictTally();
    tally.add(verdict({ status: "violated", anomalies: [lost(false, "no unclean election")] }));
    tally.add(verdict({ status: "holds" }, 0));
    expect(tally.guarantees.get("D2")).toMatchObject({ runs: 2, promised: 2, violations: 1, active: 1 });
    // A violation is not observed *allowed* behaviour.
    expect(tally.observedAllowed("D2")).toEqual([]);
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
