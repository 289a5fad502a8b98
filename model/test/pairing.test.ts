/**
 * The reader and the pairing at sizes where their bookkeeping changes shape: the payload index grows
 * past its first table, a producer's queue of sends is compacted, a file is read in more than one
 * chunk, and a read may come before the invocation of the send it returns.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistory, HistoryFormatError, parseHistory, partitionForKey, readHistory, serializeHistory, type History } from "../index.js";
import { anomalies, finalRead, record, setup } from "./support.js";

/** Enough sends to outgrow the payload index's first table (1024 slots) and a send queue's compaction bound. */
const manySends = 5000;

function formatError(work: () => unknown): HistoryFormatError {
  try {
    work();
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error("expected a HistoryFormatError");
}

describe("pairing many sends", () => {
  it("refuses a payload sent twice thousands of sends later, naming the earlier line", () => {
    const builder = setup();
    for (let send = 0; send < manySends; send++) builder.send("producer-0", "t", null, `v${send}`, { partition: 0, offset: send });
    const good = builder.build();
    expect(checkHistory(good).valid).toBe(true);
    // v1234's invocation is event 2 * 1234, on line 2 * 1234 + 2.
    builder.sendInvoke("producer-0", "t", null, "v1234");
    const bad = builder.build();
    // In memory (the index is sized from the event count) and read from text (the index grows).
    for (const error of [formatError(() => checkHistory(bad)), formatError(() => parseHistory(serializeHistory(bad), "h.jsonl"))]) {
      expect(error.field).toBe("value.value");
      expect(error.line).toBe(manySends * 2 + 2);
      expect(error.problem).toContain(`already sent on line ${2 * 1234 + 2}`);
    }
  });

  it("completes the oldest open send when a completion carries no payload, after thousands completed by payload", () => {
    const builder = setup();
    for (let send = 0; send < manySends; send++) builder.sendInvoke("producer-0", "t", null, `v${send}`);
    // The first 4097 complete by payload (the producer's queue of sends is compacted on the way), then a
    // refusal without a payload: it belongs to the oldest send still open, v4097.
    const refusedSend = 4097;
    for (let send = 0; send < refusedSend; send++) builder.sendOk("producer-0", "t", null, `v${send}`, { partition: 0, offset: send });
    builder.event("producer-0", "fail", "send", undefined, "NOT_ENOUGH_REPLICAS");
    for (let send = refusedSend + 1; send < manySends; send++) builder.sendOk("producer-0", "t", null, `v${send}`, { partition: 0, offset: send - 1 });
    const acknowledged = Array.from({ length: manySends }, (_, send) => `v${send}`).filter((value) => value !== `v${refusedSend}`);
    // The refused record shows up in the log: D5 names it, and only it.
    finalRead(builder, [...acknowledged, `v${refusedSend}`]);
    const refused = anomalies(checkHistory(builder.build()), "refused-write-appended");
    expect(refused.map((anomaly) => anomaly.records[0]?.value)).toEqual([`v${refusedSend}`]);
    expect(refused[0]?.allowed).toBe(false);
  });
});

describe("reads and invocations out of order", () => {
  it("a read that completes before its send's invocation is a read from the future (D9), not a phantom", () => {
    // A keyed record where murmur2 puts it: nothing about it is wrong, only the order of the events.
    const key = ["k0", "k1", "k2", "k3", "k4", "k5"].find((candidate) => partitionForKey(candidate, 2) === 1) as string;
    const builder = setup({ partitions: 2 });
    builder.poll("consumer-0", [record("t", 1, 0, "a", key)]);
    builder.send("producer-0", "t", key, "a", { partition: 1, offset: 0 });
    finalRead(builder, ["a"], 1, 1);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict).map((anomaly) => [anomaly.kind, anomaly.guarantee, anomaly.allowed])).toEqual([["future-read", "D9", false]]);
    expect(verdict.valid).toBe(false);
    expect(verdict.counts.phantomReads).toBe(0);
    expect(verdict.counts.futureReads).toBe(1);
    expect(verdict.counts.recordsRead).toBe(2);
  });

  it("the same read after its send's invocation is fine", () => {
    const key = ["k0", "k1", "k2", "k3", "k4", "k5"].find((candidate) => partitionForKey(candidate, 2) === 1) as string;
    const builder = setup({ partitions: 2 });
    builder.sendInvoke("producer-0", "t", key, "a");
    builder.poll("consumer-0", [record("t", 1, 0, "a", key)]);
    builder.sendOk("producer-0", "t", key, "a", { partition: 1, offset: 0 });
    finalRead(builder, ["a"], 1, 1);
    const verdict = checkHistory(builder.build());
    expect(anomalies(verdict)).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it("a read of a value no send ever wrote is a phantom", () => {
    const builder = setup();
    builder.poll("consumer-0", [record("t", 0, 0, "ghost")]);
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    finalRead(builder, ["a"]);
    const verdict = checkHistory(builder.build());
    expect(verdict.counts.phantomReads).toBe(1);
    expect(anomalies(verdict, "phantom-read").map((anomaly) => anomaly.records[0]?.value)).toEqual(["ghost"]);
  });
});

describe("reading files in chunks", () => {
  /** Bytes per chunk read by readHistory (model/history/file.ts). */
  const chunkBytes = 4 << 20;

  async function roundTrip(history: History): Promise<{ read: History; parsed: History }> {
    const text = serializeHistory(history);
    const path = join(await mkdtemp(join(tmpdir(), "chunks-")), "h.jsonl");
    await writeFile(path, text, "utf8");
    return { read: await readHistory(path), parsed: parseHistory(text, path) };
  }

  it("keeps a multi-byte character whole where a chunk ends", async () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "first", { partition: 0, offset: 0 });
    const prefix = Buffer.byteLength(serializeHistory(builder.build()), "utf8");
    // The next line is {"index":2,...,"value":{"key":null,"topic":"t","value":"<padding>é"}}: pad so that
    // 'é' (two bytes in UTF-8) starts one byte before the chunk boundary.
    builder.sendInvoke("producer-0", "t", null, "");
    const lineWithoutPayload = Buffer.byteLength(serializeHistory(builder.build()), "utf8") - prefix;
    const openingBytes = lineWithoutPayload - '"}}\n'.length;
    const padding = "x".repeat(chunkBytes - 1 - prefix - openingBytes);
    const crafted = setup();
    crafted.send("producer-0", "t", null, "first", { partition: 0, offset: 0 });
    crafted.sendInvoke("producer-0", "t", null, `${padding}é`);
    const history = crafted.build();
    const text = serializeHistory(history);
    expect(Buffer.from(text, "utf8").subarray(chunkBytes - 1, chunkBytes + 1).toString("utf8")).toBe("é");
    const { read, parsed } = await roundTrip(history);
    expect(read.events).toEqual(parsed.events);
    expect((read.events[2]?.value as { value: string }).value.endsWith("xé")).toBe(true);
  });

  it("reads a line longer than a chunk", async () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "y".repeat(chunkBytes + 12_345), { partition: 0, offset: 0 });
    builder.send("producer-0", "t", null, "after", { partition: 0, offset: 1 });
    const { read, parsed } = await roundTrip(builder.build());
    expect(read.events).toEqual(parsed.events);
    expect(checkHistory(read).valid).toBe(true);
  });
});
