import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HistoryBuilder, record, serializeHistory } from "../model/index.js";
import { runCheck } from "./check.js";

function history(finalValues: string[]): string {
  const builder = new HistoryBuilder({
    topics: [{ name: "t", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
    clients: { "producer-0": { role: "producer", config: {} }, "final-reader": { role: "reader", config: {} } },
  });
  builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
  builder.poll("final-reader", finalValues.map((value, offset) => record("t", 0, offset, value)), true);
  builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: finalValues.length }]);
  return serializeHistory(builder.build());
}

async function run(argv: string[]): Promise<{ code: number; out: string; error: string }> {
  let out = "";
  let error = "";
  const code = await runCheck(argv, { out: (text) => (out += `${text}\n`), error: (text) => (error += `${text}\n`) });
  return { code, out, error };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "check-")), name);
  await writeFile(path, text);
  return path;
}

/**
 * A history that exercises every promised rule: a keyed send, a replica killed, a send acknowledged
 * while it is down (D5), a consumer reading both records in order (D6, O1), final reads holding both.
 */
function exercisedHistory(): string {
  const builder = new HistoryBuilder({
    topics: [{ name: "t", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 2 }, assignment: [[1, 2, 3]] }],
    clients: { "producer-0": { role: "producer", config: {} }, "consumer-0": { role: "consumer", config: {} }, "final-reader": { role: "reader", config: {} } },
  });
  builder.send("producer-0", "t", "k", "a", { partition: 0, offset: 0 });
  builder.fault("kill", ["broker-3"]);
  builder.send("producer-0", "t", "k", "b", { partition: 0, offset: 1 });
  builder.poll("consumer-0", [record("t", 0, 0, "a", "k"), record("t", 0, 1, "b", "k")]);
  builder.poll("final-reader", [record("t", 0, 0, "a", "k"), record("t", 0, 1, "b", "k")], true);
  builder.endOffsets([{ topic: "t", partition: 0, startOffset: 0, endOffset: 2 }]);
  return serializeHistory(builder.build());
}

describe("check <history.jsonl>", () => {
  it("exits 0 and prints the table when every promised guarantee was judged on evidence and holds", async () => {
    const result = await run([await file("good.jsonl", exercisedHistory())]);
    expect(result.out).not.toContain("inconclusive");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^D2 +\| at-least-once +\| holds/m);
    expect(result.out).toContain("verdict: every promised guarantee was judged on evidence and holds");
  });

  it("exits 3 (inconclusive) when a promised guarantee had no evidence, saying which and why", async () => {
    const result = await run([await file("thin.jsonl", history(["a"]))]);
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/^D6 +\| high watermark +\| inconclusive .*no evidence: no record was read/m);
    expect(result.out).toContain("INCONCLUSIVE");
  });

  it("exits 3 for a history with a header and no events, never 0", async () => {
    const topics = [{ name: "t", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 2 } }];
    const empty = serializeHistory(new HistoryBuilder({ topics, clients: { "producer-0": { role: "producer", config: {} } } }).build());
    const result = await run([await file("empty.jsonl", empty)]);
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/^D2 +\| at-least-once +\| inconclusive/m);
  });

  it("exits 1 on a violation", async () => {
    const result = await run([await file("lost.jsonl", history([]))]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/D2 +\| at-least-once +\| VIOLATED/);
  });

  it("prints the verdict as JSON with --json", async () => {
    const result = await run([await file("good.jsonl", history(["a"])), "--json"]);
    expect(JSON.parse(result.out)).toMatchObject({ valid: true });
  });

  it("exits 2 on bad input, naming file, line and field", async () => {
    const text = history(["a"]).replace('"offset":0,"partition":0', '"offset":"zero","partition":0');
    const path = await file("bad.jsonl", text);
    const result = await run([path]);
    expect(result.code).toBe(2);
    expect(result.error).toContain(`${path}:3: field 'value.offset'`);
  });

  it("exits 2 on a missing file or wrong arguments", async () => {
    expect((await run([join(tmpdir(), "does-not-exist.jsonl")])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(["a.jsonl", "--verbose"])).error).toMatch(/unknown option --verbose/);
  });
});
