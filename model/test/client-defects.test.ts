/**
 * A client's defect is the client's: the rule that recognises kafkajs 2.2.4's sequence reuse from the
 * history alone, beside the nearest histories that must stay broker violations.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type ConfigMap } from "../index.js";
import { impliedOf, record, setup, statusOf } from "./support.js";

interface Shape {
  readonly producer?: ConfigMap;
  /** Where a read finds x: never (the broker took it for y's retry), or at offset 2. */
  readonly xReadAt?: number;
  /** y's request times out (info) and y is written twice, or y is acknowledged at offset 0 cleanly. */
  readonly yTimesOut?: boolean;
}

/** y sent, then x; x acknowledged at offset 0, where the reads find y. */
function sequenceReuse(shape: Shape = {}) {
  const builder = setup({ producer: shape.producer ?? {}, client: { name: "kafkajs", version: "2.2.4" } });
  builder.sendInvoke("producer-0", "t", null, "y");
  builder.sendInvoke("producer-0", "t", null, "x");
  if (shape.yTimesOut ?? true) builder.sendFailed("producer-0", "t", null, "y", "info", "REQUEST_TIMED_OUT");
  else builder.sendOk("producer-0", "t", null, "y", { partition: 0, offset: 0 });
  builder.sendOk("producer-0", "t", null, "x", { partition: 0, offset: 0 });
  const records = [record("t", 0, 0, "y")];
  if (shape.yTimesOut ?? true) records.push(record("t", 0, 1, "y"));
  if (shape.xReadAt !== undefined) records.push(record("t", 0, shape.xReadAt, "x"));
  builder.poll("final-reader", records, true);
  builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: records.length }]);
  return checkHistory(builder.build());
}

describe("client defect: sequence reuse (kafkajs 2.2.4's idempotent producer)", () => {
  it("x acknowledged at y's offset and never written, after y's request timed out, is the client's defect", () => {
    const verdict = sequenceReuse();
    expect(verdict.clientDefects).toHaveLength(1);
    const defect = verdict.clientDefects[0];
    expect(defect).toMatchObject({ kind: "sequence-reuse", client: "kafkajs 2.2.4", guarantee: "D3", allowed: false });
    expect(defect?.message).toMatch(/'x' of producer-0 was acknowledged at t-0 offset 0, which holds its earlier 'y'/);
    expect(defect?.message).toMatch(/appended twice/);
    // What follows from it is the client's too: x's loss and y's duplicate are implied, not Kafka's violations.
    expect(verdict.valid).toBe(true);
    expect(verdict.outcome).toBe("client-defect");
    expect(impliedOf(verdict, "D2")).toEqual([{ by: "client", count: 1 }]);
    // x's loss breaks the idempotent session too, and so does y's duplicate: both listed under D3.
    expect(impliedOf(verdict, "D3")).toEqual([{ by: "client", count: 2 }]);
    expect(statusOf(verdict, "D2")).toBe("holds");
  });

  it("stays a broker violation when x was written after all (the broker acknowledged the wrong offset)", () => {
    const verdict = sequenceReuse({ xReadAt: 2 });
    expect(verdict.clientDefects).toEqual([]);
    expect(verdict.outcome).toBe("violated");
    expect(statusOf(verdict, "D10")).toBe("violated");
  });

  it("stays a broker violation for a producer without idempotence (no sequence numbers to reuse)", () => {
    const verdict = sequenceReuse({ producer: { "enable.idempotence": false } });
    expect(verdict.clientDefects).toEqual([]);
    expect(verdict.outcome).toBe("violated");
  });

  it("stays a broker violation when nothing went wrong with y's request (two records acknowledged at one offset)", () => {
    const verdict = sequenceReuse({ yTimesOut: false });
    expect(verdict.clientDefects).toEqual([]);
    expect(verdict.outcome).toBe("violated");
    expect(statusOf(verdict, "D2")).toBe("violated");
  });

  it("names an unknown client when the header does not say which produced the history", () => {
    const builder = setup();
    builder.sendInvoke("producer-0", "t", null, "y");
    builder.sendInvoke("producer-0", "t", null, "x");
    builder.sendFailed("producer-0", "t", null, "y", "info", "REQUEST_TIMED_OUT");
    builder.sendOk("producer-0", "t", null, "x", { partition: 0, offset: 0 });
    builder.poll("final-reader", [record("t", 0, 0, "y"), record("t", 0, 1, "y")], true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 2 }]);
    expect(checkHistory(builder.build()).clientDefects[0]?.client).toBe("unknown client");
  });
  it("the records sent between the two, re-sent late under new sequence numbers, are the defect's too (not Kafka's reorder)", () => {
    const builder = setup({ client: { name: "kafkajs", version: "2.2.4" } });
    builder.sendInvoke("producer-0", "t", null, "y");
    builder.sendInvoke("producer-0", "t", null, "between");
    builder.sendInvoke("producer-0", "t", null, "x");
    builder.sendFailed("producer-0", "t", null, "y", "info", "REQUEST_TIMED_OUT");
    builder.sendOk("producer-0", "t", null, "x", { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "after-1", { partition: 0, offset: 2 });
    builder.send("producer-0", "t", null, "after-2", { partition: 0, offset: 3 });
    builder.sendOk("producer-0", "t", null, "between", { partition: 0, offset: 4 });
    builder.poll("final-reader", ["y", "y", "after-1", "after-2", "between"].map((value, offset) => record("t", 0, offset, value)), true);
    builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 5 }]);
    const verdict = checkHistory(builder.build());
    expect(verdict.clientDefects).toHaveLength(1);
    expect(verdict.outcome).toBe("client-defect");
    expect(statusOf(verdict, "D3")).toBe("holds");
  });
});
