/**
 * compare's cells and difference reasons on hand-made verdicts: a client's defect is named with its
 * client and version and explains the rows it causes; allowed behaviour seen on one side only is
 * timing; anything else is "unexplained".
 */
import { describe, expect, test } from "vitest";
import type { ClientDefect, GuaranteeId, GuaranteeVerdict, Verdict } from "../../model/index.js";
import { clientDefectCell, guaranteeCell } from "../compare-cells.js";
import { explainDifference } from "../../run/compare/differences.js";

function guarantee(id: GuaranteeId, status: GuaranteeVerdict["status"], extra: Partial<GuaranteeVerdict> = {}): GuaranteeVerdict {
  return { id, status, reason: "", anomalies: [], counts: {}, evidence: "12 records", implied: [], ...extra };
}

function verdict(guarantees: GuaranteeVerdict[], clientDefects: ClientDefect[] = []): Verdict {
  const valid = !guarantees.some((entry) => entry.status === "violated");
  return { guarantees, counts: {}, clientDefects, outcome: valid ? (clientDefects.length > 0 ? "client-defect" : "holds") : "violated", valid };
}

const reuse: ClientDefect = {
  kind: "sequence-reuse",
  guarantee: "D3",
  message: "two sends acknowledged at offset 7",
  records: [],
  events: [],
  allowed: false,
  implies: ["D2", "O3"],
  client: "kafkajs 2.2.4",
};

describe("compare cells", () => {
  test("client defects: kind, count and the client library with its version", () => {
    expect(clientDefectCell([reuse, reuse])).toBe("DEFECT sequence-reuse 2 (kafkajs 2.2.4)");
    expect(clientDefectCell([])).toBe("none");
  });

  test("anomalies a client defect implies are said to be implied, not counted as Kafka's", () => {
    expect(guaranteeCell(guarantee("O3", "holds", { implied: [{ by: "client", count: 4 }] }), "")).toBe("4 implied by a client defect");
  });

  test("an inconclusive guarantee says so, not 'holds'", () => {
    expect(guaranteeCell(guarantee("D2", "inconclusive"), "")).toBe("inconclusive");
  });
});

describe("why the engine and Kafka differ", () => {
  test("a row caused by a client defect names the client", () => {
    const engine = verdict([guarantee("O3", "holds")]);
    const kafka = verdict([guarantee("O3", "holds", { implied: [{ by: "client", count: 3 }] })], [reuse]);
    expect(explainDifference("O3", engine, kafka)).toBe("kafka: caused by a kafkajs 2.2.4 defect (sequence-reuse)");
  });

  test("allowed behaviour on one side only is timing", () => {
    const allowedDuplicate = { kind: "duplicate" as const, guarantee: "D1" as const, message: "", records: [], events: [], allowed: true };
    const engine = verdict([guarantee("D1", "not-promised")]);
    const kafka = verdict([guarantee("D1", "not-promised", { anomalies: [allowedDuplicate] })]);
    expect(explainDifference("D1", engine, kafka)).toBe("allowed either way; observed on kafka only (depends on timing)");
  });

  test("no evidence on one side is said, with what was missing", () => {
    const engine = verdict([guarantee("D2", "holds")]);
    const kafka = verdict([guarantee("D2", "inconclusive", { evidence: "no final reads" })]);
    expect(explainDifference("D2", engine, kafka)).toBe("kafka: no evidence (no final reads)");
  });

  test("a violation on one side with nothing to explain it is unexplained", () => {
    const engine = verdict([guarantee("O2", "holds")]);
    const kafka = verdict([guarantee("O2", "violated")]);
    expect(explainDifference("O2", engine, kafka)).toBe("unexplained");
  });

  test("a group guarantee one side's recorded configuration does not promise says which side and why", () => {
    const engine = verdict([guarantee("C4", "holds")]);
    const kafka = verdict([guarantee("C4", "not-promised", { reason: "group 'group-a' (auto): auto commit promises neither" })]);
    expect(explainDifference("C4", engine, kafka)).toBe("kafka: not promised by its history's configuration (group 'group-a' (auto): auto commit promises neither)");
    expect(explainDifference("C4", kafka, engine)).toBe("engine: not promised by its history's configuration (group 'group-a' (auto): auto commit promises neither)");
  });

  test("a rule one side did not judge at all is said to be unjudged, not timing", () => {
    const engine = verdict([guarantee("C2", "holds")]);
    const kafka = verdict([guarantee("C2", "not-checked", { reason: "groups guarantees are not judged yet" })]);
    expect(explainDifference("C2", engine, kafka)).toBe("kafka: not judged (groups guarantees are not judged yet)");
    expect(explainDifference("C2", engine, verdict([]))).toBe("kafka: not judged (no verdict for it)");
  });

  test("auto commit's repeats seen on the engine only are timing (C5, promised, allowed)", () => {
    const repeat = { kind: "duplicate-processing" as const, guarantee: "C5" as const, message: "", records: [], events: [], allowed: true };
    const engine = verdict([guarantee("C5", "holds", { anomalies: [repeat] })]);
    const kafka = verdict([guarantee("C5", "holds")]);
    expect(explainDifference("C5", engine, kafka)).toBe("allowed either way; observed on engine only (depends on timing)");
  });
});
