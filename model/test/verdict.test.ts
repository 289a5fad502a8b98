import { describe, expect, it } from "vitest";
import { checkHistory, formatVerdictTable, type CheckerExtension } from "../index.js";
import { anomalies, finalRead, record, setup, statusOf } from "./support.js";

describe("verdict", () => {
  it("caps stored anomalies per guarantee but keeps counts exact, violations first", () => {
    const builder = setup({ producer: { acks: "1" } });
    const sent = 250;
    for (let offset = 0; offset < sent; offset++) builder.send("producer-0", "t", null, `v${offset}`, { partition: 0, offset });
    builder.nemesis("kill", ["broker-1"]);
    // Sent after the only fault: its loss has no explanation, so it is the one violation.
    builder.send("producer-0", "t", null, "late", { partition: 0, offset: sent });
    finalRead(builder, [], 0);
    const verdict = checkHistory(builder.build());
    const d4 = verdict.guarantees.find((guarantee) => guarantee.id === "D4");
    expect(d4?.counts.unseen).toBe(sent + 1);
    expect(d4?.counts.allowed).toBe(sent);
    expect(d4?.counts.violations).toBe(1);
    expect(d4?.anomalies).toHaveLength(100);
    expect(d4?.anomalies.some((anomaly) => !anomaly.allowed && anomaly.records[0]?.value === "late")).toBe(true);
    expect(verdict.counts.unseen).toBe(sent + 1);
  });

  it("counts sends by outcome", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    builder.sendInvoke("producer-0", "t", null, "b");
    builder.sendFailed("producer-0", "t", null, "b", "fail", "INVALID_RECORD");
    builder.sendInvoke("producer-0", "t", null, "c");
    builder.sendFailed("producer-0", "t", null, "c", "info", "REQUEST_TIMED_OUT");
    builder.sendInvoke("producer-0", "t", null, "d");
    builder.poll("consumer-0", [record("t", 0, 0, "a")]);
    expect(checkHistory(builder.build()).counts).toMatchObject({ sends: 4, acknowledged: 1, failed: 1, indefinite: 1, unfinished: 1, recordsRead: 1 });
  });

  it("prints a table with every guarantee, and the anomalies of violated ones", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    finalRead(builder, [], 0);
    const table = formatVerdictTable(checkHistory(builder.build()));
    expect(table).toMatch(/^D2 +\| at-least-once +\| VIOLATED +\| 1 /m);
    // The families not judged yet take one line, not a row each.
    expect(table).toContain("not checked: T5, L1-L3");
    expect(table).toContain("not promised: T1-T4, T6 (no transactional producer in the history)");
    // A family no client belongs to (no consumer group) takes one line too.
    expect(table).toContain("not promised: C1-C8 (no consumer group in the history)");
    expect(table).not.toMatch(/^C1 /m);
    expect(table).not.toMatch(/^T1 /m);
    expect(table).toMatch(/\[VIOLATION\] unseen: 'a'/);
    expect(table).toMatch(/verdict: VIOLATED: a promised guarantee is broken$/);
    for (const line of table.split("\n")) expect(line.length).toBeLessThanOrEqual(120);
  });

  it("lets an extension judge a family that is not checked yet", () => {
    const extension: CheckerExtension = {
      guarantees: ["L3"],
      observe(event, _invoke, state) {
        if (event.f === "shrink-partitions" && event.type === "ok") {
          state.anomalies.add({ kind: "inconsistent-offsets", guarantee: "L3", message: "partitions went down", records: [], events: [event.index], allowed: false });
        }
      },
      finish: () => new Map([["L3", { promisedRecords: 1, reason: "partitions can only grow", evidence: { count: 1, text: "1 partition count compared" } }]]),
    };
    const quiet = setup();
    expect(statusOf(checkHistory(quiet.build(), { extensions: [extension] }), "L3")).toBe("holds");
    const shrinking = setup();
    shrinking.event("producer-0", "invoke", "shrink-partitions");
    shrinking.event("producer-0", "ok", "shrink-partitions");
    const verdict = checkHistory(shrinking.build(), { extensions: [extension] });
    expect(statusOf(verdict, "L3")).toBe("violated");
    expect(anomalies(verdict, undefined, "L3")).toHaveLength(1);
  });
});
