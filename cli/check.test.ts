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

describe("check <history.jsonl>", () => {
  it("exits 0 and prints the table when every promised guarantee holds", async () => {
    const result = await run([await file("good.jsonl", history(["a"]))]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^D2 +\| at-least-once +\| holds/m);
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
