import { describe, expect, test } from "vitest";
import type { ClientDefect, GuaranteeId, GuaranteeStatus, Verdict, VerdictOutcome } from "../../model/verdict.js";
import { outcomeOverRuns, selectedOutcome } from "../run-outcome.js";
import { ExitCode, exitCodeOf } from "../exit-codes.js";

/** A hand-made verdict: statuses per guarantee, the model's own outcome, optional client defects. */
function verdict(statuses: Partial<Record<GuaranteeId, GuaranteeStatus>>, outcome: VerdictOutcome, clientDefects: readonly ClientDefect[] = []): Verdict {
  return {
    guarantees: Object.entries(statuses).map(([id, status]) => ({ id: id as GuaranteeId, status: status as GuaranteeStatus, reason: "", anomalies: [], counts: {}, evidence: "", implied: [] })),
    counts: {},
    clientDefects,
    outcome,
    valid: outcome !== "violated",
  };
}

function defect(guarantee: GuaranteeId, implies: GuaranteeId[] = []): ClientDefect {
  return { kind: "sequence-reuse", guarantee, message: "two sends acknowledged at one offset", records: [], events: [], allowed: false, implies, client: "kafkajs 2.2.4" };
}

describe("a run's outcome restricted to the selected guarantees", () => {
  test("without a selection it is the model's outcome", () => {
    expect(selectedOutcome(verdict({ D2: "holds" }, "inconclusive"))).toBe("inconclusive");
    expect(selectedOutcome(verdict({ D2: "violated" }, "violated"))).toBe("violated");
  });

  test("a violation of a selected guarantee is violated; of an unselected one it is not", () => {
    const run = verdict({ D2: "holds", O3: "violated" }, "violated");
    expect(selectedOutcome(run, ["O3"])).toBe("violated");
    expect(selectedOutcome(run, ["D2"])).toBe("holds");
  });

  test("an inconclusive selected guarantee makes the run inconclusive, unless something worse is there", () => {
    expect(selectedOutcome(verdict({ D2: "inconclusive", O3: "holds" }, "inconclusive"), ["D2", "O3"])).toBe("inconclusive");
    expect(selectedOutcome(verdict({ D2: "inconclusive", O3: "holds" }, "inconclusive"), ["O3"])).toBe("holds");
    expect(selectedOutcome(verdict({ D2: "inconclusive", O3: "violated" }, "violated"), ["D2", "O3"])).toBe("violated");
  });

  test("a client defect counts when it concerns a selected guarantee, directly or by what it implies", () => {
    const run = verdict({ D3: "holds", D2: "holds", O3: "holds" }, "client-defect", [defect("D3", ["O3"])]);
    expect(selectedOutcome(run, ["D3"])).toBe("client-defect");
    expect(selectedOutcome(run, ["O3"])).toBe("client-defect");
    expect(selectedOutcome(run, ["D2"])).toBe("holds");
    expect(selectedOutcome(verdict({ D3: "violated" }, "violated", [defect("D3")]), ["D3"])).toBe("violated");
  });

  test("not-promised and not-checked guarantees hold nothing against the run", () => {
    expect(selectedOutcome(verdict({ D1: "not-promised", T1: "not-checked" }, "holds"), ["D1", "T1"])).toBe("holds");
  });

  test("over runs the most serious outcome wins, and no runs at all is inconclusive", () => {
    const held = verdict({ D2: "holds" }, "holds");
    const unknown = verdict({ D2: "inconclusive" }, "inconclusive");
    const broken = verdict({ D2: "violated" }, "violated");
    expect(outcomeOverRuns([held, held], ["D2"])).toBe("holds");
    expect(outcomeOverRuns([held, unknown, held], ["D2"])).toBe("inconclusive");
    expect(outcomeOverRuns([unknown, broken, held], ["D2"])).toBe("violated");
    expect(outcomeOverRuns([], ["D2"])).toBe("inconclusive");
    expect([held, unknown, broken].map((run) => exitCodeOf(outcomeOverRuns([run], ["D2"])))).toEqual([ExitCode.held, ExitCode.inconclusive, ExitCode.violated]);
  });
});
