/**
 * The comparison of targets on consumer-group histories, decided on typed results: the seed's 1-2-3
 * example (an asynchronous commit answered late moves the committed offset back, C6 allowed) seen on
 * one side only is a difference explained by timing; the same regression under synchronous commits is
 * a violation nothing explains; a history without the coordinator's view gives C8 no evidence.
 */
import { describe, expect, test } from "vitest";
import { checkHistory, groupConsumer, HistoryBuilder, type CommitMode, type History } from "../../model/index.js";
import { differencesOf, entryResult, resultKind, type CompareEntry, type Outcome } from "../compare/outcome.js";

/**
 * One member of group g reads offsets 0, 1, 2 of t-0 and commits 1, 2, 3; with `late`, the commit of 2
 * is answered after the commit of 3 (the committed offset goes 1, 3, 2). `observer` adds the
 * coordinator's view (the engine records it; Kafka's histories cannot).
 */
function groupHistory(mode: CommitMode, late: boolean, observer = false): History {
  const builder = new HistoryBuilder({
    topics: [{ name: "t", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
    clients: {
      "producer-0": { role: "producer", config: {} },
      "consumer-0": groupConsumer("g", mode, { "auto.offset.reset": "earliest", "partition.assignment.strategy": "range" }),
      "final-reader": { role: "reader", config: {} },
    },
  });
  for (let offset = 0; offset < 4; offset++) builder.send("producer-0", "t", null, `p0-${offset}`, { partition: 0, offset });
  const member = builder.member("consumer-0", "m0");
  const kind = mode === "async-after-processing" ? "async" : "sync";
  member.subscribe();
  member.assigned(1, [0]);
  if (observer) builder.groupGeneration("g", 1, "range", [{ member: "m0", client: "consumer-0", partitions: [{ topic: "t", partition: 0 }] }]);
  member.poll(0, [0]);
  member.process(0, [0]);
  member.commit({ 0: 1 }, "ok", kind);
  member.poll(0, [1]);
  member.process(0, [1]);
  const two = member.commitInvoke({ 0: 2 }, kind);
  if (!late) member.commitComplete(two, "ok");
  member.poll(0, [2]);
  member.process(0, [2]);
  member.commit({ 0: 3 }, "ok", kind);
  if (late) member.commitComplete(two, "ok");
  builder.poll("final-reader", [0, 1, 2, 3].map((offset) => builder.recordAt("t", 0, offset)), true);
  builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 4 }]);
  return builder.build();
}

function outcome(history: History): Outcome {
  return { kind: "verdict", verdict: checkHistory(history), history, seconds: 1 };
}

const entry: CompareEntry = { label: "groups", scenario: {} as CompareEntry["scenario"], plantedBugs: [], counterexample: false, expectedWithBugs: [] };

describe("comparing targets on consumer groups", () => {
  test("an async commit's regression on one side only: allowed either way, timing", () => {
    const inOrder = outcome(groupHistory("async-after-processing", false));
    const regressed = outcome(groupHistory("async-after-processing", true));
    expect(resultKind(regressed, "C6")).toBe("allowed");
    expect(resultKind(inOrder, "C6")).toBe("none-seen");
    const result = entryResult(entry, null, inOrder, regressed, false);
    expect(result.differences).toEqual(["C6"]);
    expect(result.reasons).toEqual({ C6: "allowed either way; observed on kafka only (depends on timing)" });
    // Allowed: nothing counts toward the exit status.
    expect(result.countedViolations).toEqual([]);
    expect(entryResult(entry, null, regressed, inOrder, false).reasons).toEqual({ C6: "allowed either way; observed on engine only (depends on timing)" });
  });

  test("the same regression under synchronous commits is a violation on one side: unexplained, and counted", () => {
    const result = entryResult(entry, null, outcome(groupHistory("sync-after-processing", false)), outcome(groupHistory("sync-after-processing", true)), false);
    expect(result.differences).toContain("C6");
    expect(result.reasons.C6).toBe("unexplained");
    expect(result.countedViolations).toContainEqual({ kind: "violation", side: "kafka", guarantee: "C6" });
  });

  test("C8 without the coordinator's view (a Kafka history) has no evidence: said so, with what was missing", () => {
    const engine = outcome(groupHistory("sync-after-processing", false, true));
    const kafka = outcome(groupHistory("sync-after-processing", false));
    expect(resultKind(engine, "C8")).toBe("holds");
    expect(resultKind(kafka, "C8")).toBe("inconclusive");
    expect(differencesOf(engine, kafka)).toContain("C8");
    expect(entryResult(entry, null, engine, kafka, false).reasons.C8).toMatch(/^kafka: no evidence \(.*coordinator view/);
  });
});
