/**
 * The transaction suite (chaos/suites/transaction-suite.ts) on the engine: the same scenarios and
 * the same event-level expectations as on real Kafka (properties/kafka/transactions.kafka.test.ts),
 * plus the engine's own markers (observer txn-marker events) at the offsets the records skip.
 */
import { describe, expect, test } from "vitest";
import type { History, HistoryEvent, PollValue, TransactionMarkerValue } from "../model/index.js";
import { validateHistory } from "../model/index.js";
import { EngineTarget } from "../adapters/engine/index.js";
import { createSimulation } from "../engine/index.js";
import { commitAbort, fencing } from "../chaos/suites/transaction-suite.js";
import { transactionEventProblems } from "./support/transaction-expectations.js";

const finalValues = (history: History, process: string): string[] =>
  history.events
    .filter((event: HistoryEvent) => event.process === process && event.f === "poll" && event.type === "ok")
    .flatMap((event) => ((event.value as PollValue).records ?? []).map((record) => record.value))
    .sort();

describe("the transaction suite on the engine", () => {
  test("commit, abort, commit across two partitions around a leader kill", async () => {
    const history = await new EngineTarget(createSimulation).run(commitAbort);
    validateHistory(history, "engine.history.jsonl");
    expect(transactionEventProblems(history, { commits: 2, aborts: 1 })).toEqual([]);
    expect(finalValues(history, "final-committed-reader")).toEqual(["a0", "a1", "a4", "a5", "a6"]);
    expect(finalValues(history, "final-reader")).toEqual(["a0", "a1", "a2", "a3", "a4", "a5", "a6"]);
    // Every marker the leaders wrote sits at an offset no record has.
    const markers = history.events.filter((event) => event.f === "txn-marker").map((event) => event.value as TransactionMarkerValue);
    expect(markers.filter((marker) => marker.commit)).toHaveLength(4);
    expect(markers.filter((marker) => !marker.commit)).toHaveLength(2);
    const recordOffsets = new Set(history.events.filter((event) => event.process === "final-reader" && event.f === "poll" && event.type === "ok").flatMap((event) => ((event.value as PollValue).records ?? []).map((record) => `${record.partition}/${record.offset}`)));
    for (const marker of markers) expect(recordOffsets.has(`${marker.partition}/${marker.offset}`)).toBe(false);
  });

  test("a second instance of the transactional.id fences the first: its commit is refused", async () => {
    const history = await new EngineTarget(createSimulation).run(fencing);
    validateHistory(history, "engine.history.jsonl");
    expect(transactionEventProblems(history, { commits: 1, aborts: 0 })).toEqual([]);
    const fenced = history.events.find((event) => event.process === "producer-0" && event.f === "txn-commit" && event.type !== "invoke");
    expect(fenced?.type).toBe("fail");
    expect(["PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH"]).toContain(fenced?.error);
    expect(finalValues(history, "final-committed-reader")).toEqual(["n0", "n1"]);
  });

  test("the same scenario gives the same history, byte for byte", async () => {
    const first = await new EngineTarget(createSimulation).run(commitAbort);
    const second = await new EngineTarget(createSimulation).run(commitAbort);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
