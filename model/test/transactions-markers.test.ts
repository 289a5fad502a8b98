/** T4 markers take offsets: a data record at an observed marker, and (without markers) no offset left between two transactions. */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../index.js";
import { anomalies, statusOf } from "./support.js";
import { init, marker, record, transaction, transactionSetup } from "./transaction-support.js";

describe("T4 with the observer's markers", () => {
  function observed(markerOffset: number) {
    const builder = transactionSetup();
    init(builder, "txn-0");
    transaction(builder, "txn-0", [["a", 0, 0]]);
    const markerEvent = marker(builder, "txn-0", 0, markerOffset, true);
    transaction(builder, "txn-0", [["e", 0, 2]]);
    marker(builder, "txn-0", 0, 3, true);
    const poll = builder.poll("uncommitted-0", [record("t", 0, 0, "a"), record("t", 0, 2, "e")]);
    return { verdict: checkHistory(builder.build()), markerEvent, poll };
  }

  it("holds when no read returns data at a marker's offset", () => {
    const { verdict } = observed(1);
    expect(statusOf(verdict, "T4")).toBe("holds");
  });

  it("a data record read at a marker's offset is a violation citing the marker and the poll", () => {
    const { verdict, markerEvent, poll } = observed(2);
    expect(statusOf(verdict, "T4")).toBe("violated");
    expect(anomalies(verdict, "record-at-marker", "T4")[0]?.events).toEqual([markerEvent, poll]);
  });
});

describe("T4 without markers (real Kafka)", () => {
  function consecutive(secondOffset: number, finalOffsets: readonly (readonly [string, number])[], endOffset: number) {
    const builder = transactionSetup();
    init(builder, "txn-0");
    transaction(builder, "txn-0", [["a", 0, 0]]);
    transaction(builder, "txn-0", [["e", 0, secondOffset]]);
    builder.poll("final-reader", finalOffsets.map(([value, offset]) => record("t", 0, offset, value)), true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset }]);
    return checkHistory(builder.build());
  }

  it("holds when an offset between two transactions' records is free of data", () => {
    const verdict = consecutive(2, [["a", 0], ["e", 2]], 4);
    expect(statusOf(verdict, "T4")).toBe("holds");
  });

  it("the next transaction's record right after the previous one leaves its marker no offset", () => {
    const verdict = consecutive(1, [["a", 0], ["e", 1]], 3);
    expect(statusOf(verdict, "T4")).toBe("violated");
    expect(anomalies(verdict, "missing-marker-offset", "T4")[0]?.records.map((entry) => entry.value)).toEqual(["a", "e"]);
  });

  it("is inconclusive when the final read did not reach the pair", () => {
    const verdict = consecutive(2, [], 0);
    expect(statusOf(verdict, "T4")).toBe("inconclusive");
    expect(verdict.guarantees.find((guarantee) => guarantee.id === "T4")?.evidence).toMatch(/1 pairs above what the final read reached: not judged/);
  });
});
