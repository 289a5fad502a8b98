/** The comparison decides on typed results, never on rendered text. */
import { describe, expect, test } from "vitest";
import { checkHistory, HistoryBuilder, record, type History } from "../../model/index.js";
import { describeCounted, differencesOf, entryResult, resultKind, type CompareEntry, type Outcome } from "../compare/outcome.js";

function acksOneHistory(survives: readonly string[]): History {
  const builder = new HistoryBuilder({
    topics: [{ name: "t", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
    clients: { "producer-0": { role: "producer", config: { acks: "1" } }, "final-reader": { role: "reader", config: {} } },
  });
  for (const [offset, value] of ["a", "b", "c"].entries()) builder.send("producer-0", "t", null, value, { partition: 0, offset });
  builder.nemesis("kill", ["broker-1"]);
  builder.poll("final-reader", survives.map((value, offset) => record("t", 0, offset, value)), true);
  builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: survives.length }]);
  return builder.build();
}

function outcome(history: History): Outcome {
  return { kind: "verdict", verdict: checkHistory(history), history, seconds: 1 };
}

describe("comparing targets", () => {
  test("an allowed loss on one side and none on the other is a difference; different counts of the same kind are not", () => {
    const lostOne = outcome(acksOneHistory(["a", "b"]));
    const lostTwo = outcome(acksOneHistory(["a"]));
    const lostNone = outcome(acksOneHistory(["a", "b", "c"]));
    expect(resultKind(lostOne, "D4")).toBe("allowed");
    expect(resultKind(lostNone, "D4")).toBe("holds");
    expect(differencesOf(lostOne, lostNone)).toEqual(["D4"]);
    expect(differencesOf(lostOne, lostTwo)).not.toContain("D4");
  });

  test("a target that failed to run counts toward the exit status; a planted bug's expected violation does not", () => {
    const entry: CompareEntry = { label: "x", scenario: {} as CompareEntry["scenario"], plantedBugs: [], counterexample: false, expectedWithBugs: [] };
    const failed: Outcome = { kind: "error", message: "boom", seconds: 0 };
    const result = entryResult(entry, null, outcome(acksOneHistory(["a", "b", "c"])), failed, false);
    expect(result.countedViolations.map(describeCounted)).toEqual(["kafka:ERROR"]);
    expect(resultKind(failed, "D2")).toBe("error");
  });
});
