import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistory, HistoryFormatError, parseHistory, readHistory, serializeHistory, writeHistory, type History } from "../index.js";
import { HistoryBuilder, record } from "../simulate/builder.js";

function sample(): History {
  const builder = new HistoryBuilder({
    topics: [{ name: "t", partitions: 2, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
    clients: { "producer-0": { role: "producer", config: {} }, "consumer-0": { role: "consumer", config: {} } },
  });
  builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
  builder.nemesis("kill", ["broker-1"]);
  builder.poll("consumer-0", [record("t", 0, 0, "a")]);
  return builder.build();
}

function lines(history: History): string[] {
  return serializeHistory(history).trimEnd().split("\n");
}

function formatError(text: string): HistoryFormatError {
  try {
    parseHistory(text, "h.jsonl");
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error("expected a HistoryFormatError");
}

/** Replaces line `line` (1-based) of the sample's text. */
function withLine(line: number, replace: (json: Record<string, unknown>) => unknown): string {
  const all = lines(sample());
  all[line - 1] = JSON.stringify(replace(JSON.parse(all[line - 1] as string) as Record<string, unknown>));
  return all.join("\n");
}

describe("history serialisation", () => {
  it("round-trips byte for byte, header first", () => {
    const text = serializeHistory(sample());
    expect(text.split("\n")[0]).toContain('"kind":"kafka-harness-history"');
    expect(serializeHistory(parseHistory(text, "h.jsonl"))).toBe(text);
  });

  it("does not depend on the key order of the objects", () => {
    const history = sample();
    const reordered: History = {
      header: Object.fromEntries(Object.entries(history.header).reverse()) as unknown as History["header"],
      events: history.events.map((event) => Object.fromEntries(Object.entries(event).reverse()) as unknown as History["events"][number]),
    };
    expect(serializeHistory(reordered)).toBe(serializeHistory(history));
  });

  it("writes and reads files", async () => {
    const directory = await mkdtemp(join(tmpdir(), "history-"));
    const path = join(directory, "h.jsonl");
    await writeHistory(path, sample());
    expect(serializeHistory(await readHistory(path))).toBe(serializeHistory(sample()));
  });
});

describe("history validation names file, line and field", () => {
  it("a line that is not JSON", () => {
    const all = lines(sample());
    all[2] = "{not json";
    const error = formatError(all.join("\n"));
    expect([error.file, error.line, error.field]).toEqual(["h.jsonl", 3, "line"]);
    expect(error.message).toMatch(/^h\.jsonl:3: field 'line'/);
  });

  it("a first line that is not a header", () => {
    const error = formatError(lines(sample()).slice(1).join("\n"));
    expect([error.line, error.field]).toEqual([1, "kind"]);
  });

  it("a missing or mistyped field", () => {
    expect(formatError(withLine(2, (event) => ({ ...event, time: undefined }))).field).toBe("time");
    expect(formatError(withLine(2, (event) => ({ ...event, type: "done" }))).field).toBe("type");
    const offset = formatError(withLine(7, (event) => ({ ...event, value: { records: [{ topic: "t", partition: 0, offset: -1, key: null, value: "a" }] } })));
    expect([offset.line, offset.field]).toEqual([7, "value.records[0].offset"]);
  });

  it("an unknown topic or a partition out of range", () => {
    expect(formatError(withLine(2, (event) => ({ ...event, value: { topic: "nope", key: null, value: "a" } }))).field).toBe("value.topic");
    const partition = formatError(withLine(3, (event) => ({ ...event, value: { topic: "t", key: null, value: "a", partition: 2, offset: 0 } })));
    expect([partition.field, partition.problem]).toEqual(["value.partition", "topic 't' has partitions 0..1, got 2"]);
  });

  it("an event index out of sequence", () => {
    expect(formatError(withLine(4, (event) => ({ ...event, index: 7 }))).field).toBe("index");
  });

  it("a completion without an invocation", () => {
    const all = lines(sample());
    all.splice(5, 1); // drop the poll invocation (line 6)
    const renumbered = all.map((line, position) => (position === 0 ? line : JSON.stringify({ ...JSON.parse(line), index: position - 1 })));
    const error = formatError(renumbered.join("\n"));
    expect([error.line, error.field]).toEqual([6, "type"]);
    expect(error.problem).toMatch(/completes no open invocation/);
  });

  it("a completion whose payload was never invoked by that process", () => {
    const error = formatError(withLine(3, (event) => ({ ...event, value: { topic: "t", key: null, value: "other", partition: 0, offset: 0 } })));
    expect([error.line, error.field]).toEqual([3, "value.value"]);
  });

  it("time going backwards for one process", () => {
    const error = formatError(withLine(7, (event) => ({ ...event, time: 1 })));
    expect([error.line, error.field]).toEqual([7, "time"]);
  });

  it("a payload sent twice", () => {
    const builder = new HistoryBuilder({ topics: [{ name: "t", partitions: 1, replicationFactor: 1, config: {} }], clients: { p: { role: "producer", config: {} } } });
    builder.send("p", "t", null, "same", { partition: 0, offset: 0 });
    builder.sendInvoke("p", "t", null, "same");
    const error = formatError(serializeHistory(builder.build()));
    expect([error.line, error.field]).toEqual([4, "value.value"]);
  });

  it("a process the header does not describe", () => {
    expect(formatError(withLine(2, (event) => ({ ...event, process: "ghost" }))).field).toBe("process");
  });

  it("a header configuration Kafka would refuse", () => {
    const error = formatError(withLine(1, (header) => ({ ...header, clients: { "producer-0": { role: "producer", config: { acks: "1", "enable.idempotence": true } }, "consumer-0": { role: "consumer", config: {} } } })));
    expect([error.line, error.field]).toEqual([1, "clients.producer-0.config.acks"]);
    expect(error.message).toMatch(/allowed: all/);
  });

  it("checkHistory refuses a malformed in-memory history with the same error, never a crash", () => {
    const history = sample();
    const broken: History = { header: history.header, events: history.events.map((event) => (event.index === 5 ? { ...event, value: { records: "x" } } : event)) };
    expect(() => checkHistory(broken)).toThrow(HistoryFormatError);
    expect(() => checkHistory(broken)).toThrow(/<memory>:7: field 'value.records'/);
  });

  it("an acknowledged acks=all send without its offset is bad input", () => {
    const error = (() => {
      try {
        checkHistory(parseHistory(withLine(3, (event) => ({ ...event, value: { topic: "t", key: null, value: "a", partition: 0 } })), "h.jsonl"), { file: "h.jsonl" });
      } catch (caught) {
        return caught as HistoryFormatError;
      }
      throw new Error("expected an error");
    })();
    expect([error.line, error.field]).toEqual([3, "value.offset"]);
  });

  it("reads a file with a trailing newline but refuses blank lines inside", async () => {
    const directory = await mkdtemp(join(tmpdir(), "history-"));
    const path = join(directory, "gap.jsonl");
    const all = lines(sample());
    all.splice(2, 0, "");
    await writeFile(path, all.join("\n"));
    await expect(readHistory(path)).rejects.toMatchObject({ line: 3, field: "line", file: path });
  });
});
