/** The transactions history contract (issue #12): shape and order of txn-* events, bad input per case. */
import { describe, expect, it } from "vitest";
import { checkHistory, HistoryFormatError, parseHistory } from "../index.js";

const header = {
  kind: "kafka-harness-history",
  version: 1,
  target: "hand-made",
  brokers: [1, 2, 3],
  broker: {},
  topics: [{ name: "t", partitions: 2, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
  clients: {
    "txn-0": { role: "producer", config: { "transactional.id": "tx" } },
    "plain-0": { role: "producer", config: {} },
    "final-committed-reader": { role: "reader", config: { "isolation.level": "read_committed" } },
  },
};

type Line = Record<string, unknown>;
const event = (index: number, process: string, type: string, f: string, value?: unknown): Line => ({ index, time: index, process, type, f, ...(value === undefined ? {} : { value }) });

function history(lines: readonly Line[]): string {
  return [JSON.stringify(header), ...lines.map((line) => JSON.stringify(line))].join("\n") + "\n";
}

/** init, begin, one send, commit: a good transaction. */
function goodTransaction(): Line[] {
  return [
    event(0, "txn-0", "invoke", "txn-init", { transactionalId: "tx" }),
    event(1, "txn-0", "ok", "txn-init", { transactionalId: "tx", producerId: 7, epoch: 0 }),
    event(2, "txn-0", "invoke", "txn-begin", { transactionalId: "tx" }),
    event(3, "txn-0", "ok", "txn-begin"),
    event(4, "txn-0", "invoke", "send", { topic: "t", key: null, value: "a", partition: 0 }),
    event(5, "txn-0", "ok", "send", { topic: "t", key: null, value: "a", partition: 0, offset: 0 }),
    event(6, "txn-0", "invoke", "txn-commit", { transactionalId: "tx" }),
    event(7, "txn-0", "ok", "txn-commit"),
    event(8, "observer", "info", "txn-marker", { transactionalId: "tx", producerId: 7, epoch: 0, topic: "t", partition: 0, offset: 1, commit: true }),
  ];
}

function badInput(lines: readonly Line[]): HistoryFormatError {
  try {
    parseHistory(history(lines), "h.jsonl");
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error("expected bad input");
}

describe("transaction history contract", () => {
  it("accepts a transaction, a marker and the final committed reader", () => {
    const lines = [
      ...goodTransaction(),
      event(9, "final-committed-reader", "invoke", "poll", { final: true }),
      event(10, "final-committed-reader", "ok", "poll", { final: true, records: [{ topic: "t", partition: 0, offset: 0, key: null, value: "a" }] }),
    ];
    const parsed = parseHistory(history(lines), "h.jsonl");
    expect(parsed.events).toHaveLength(11);
    // The committed final read is not the D rules' final read: D2 has no final read to judge by.
    const d2 = checkHistory(parsed).guarantees.find((guarantee) => guarantee.id === "D2");
    expect(d2?.status).toBe("inconclusive");
  });

  it("refuses a send of a transactional producer outside a transaction", () => {
    const lines = goodTransaction().slice(0, 2);
    lines.push(event(2, "txn-0", "invoke", "send", { topic: "t", key: null, value: "a", partition: 0 }));
    const error = badInput(lines);
    expect([error.line, error.field]).toEqual([4, "f"]);
    expect(error.message).toContain("outside a transaction");
  });

  it("refuses a send after the commit invocation", () => {
    const lines = goodTransaction().slice(0, 7);
    lines.push(event(7, "txn-0", "invoke", "send", { topic: "t", key: null, value: "b", partition: 0 }));
    expect(badInput(lines).line).toBe(9);
  });

  it("refuses txn events from a client without transactional.id, or naming another id", () => {
    const plain = badInput([event(0, "plain-0", "invoke", "txn-init", { transactionalId: "tx" })]);
    expect([plain.line, plain.field]).toEqual([2, "process"]);
    expect(plain.message).toContain("has no transactional.id");
    const other = badInput([event(0, "txn-0", "invoke", "txn-init", { transactionalId: "other" })]);
    expect([other.line, other.field]).toEqual([2, "value.transactionalId"]);
  });

  it("refuses txn-begin while a transaction is open", () => {
    const lines = goodTransaction().slice(0, 4);
    lines.push(event(4, "txn-0", "invoke", "txn-begin", { transactionalId: "tx" }));
    const error = badInput(lines);
    expect([error.line, error.field]).toEqual([6, "f"]);
    expect(error.message).toContain("is open");
  });

  it("refuses a commit or abort with no transaction open", () => {
    for (const f of ["txn-commit", "txn-abort"]) {
      const lines = goodTransaction().slice(0, 2);
      lines.push(event(2, "txn-0", "invoke", f, { transactionalId: "tx" }));
      const error = badInput(lines);
      expect([error.line, error.field, error.message.includes("no transaction open")]).toEqual([4, "f", true]);
    }
  });

  it("refuses a malformed marker", () => {
    const lines = goodTransaction();
    lines[8] = event(8, "observer", "info", "txn-marker", { transactionalId: "tx", producerId: 7, epoch: 0, topic: "t", partition: 5, offset: 1, commit: true });
    expect([badInput(lines).line, badInput(lines).field]).toEqual([10, "value.partition"]);
  });
});
