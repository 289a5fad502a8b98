import { mkdtemp, rm, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runVerify, type VerifyIo } from "../verify.js";
import { runReplay } from "../replay.js";
import { main } from "../main.js";
import { plantedBugs } from "../../engine/planted-bugs.js";
import { parsePlantedBugs } from "../../run/counterexample.js";

function capture(): { io: VerifyIo; lines: string[] } {
  const lines: string[] = [];
  return { io: { out: (text) => lines.push(text), progress: () => undefined, now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }, lines };
}

describe("verify", () => {
  test("--help explains every option and the exit codes", async () => {
    const { io, lines } = capture();
    expect(await runVerify(["--help"], io)).toBe(0);
    const text = lines.join("\n");
    for (const option of ["--target", "--guarantees", "--runs", "--seed", "--intensity", "--time-budget", "--out", "--config"]) expect(text).toContain(option);
    expect(text).toContain("Exit status: 0");
  });

  test("--help lists every planted bug the engine documents, with what it breaks", async () => {
    const { io, lines } = capture();
    expect(await runVerify(["--help"], io)).toBe(0);
    const text = lines.join("\n");
    for (const bug of plantedBugs) expect(text).toMatch(new RegExp(`^ +${bug.id} +breaks ${bug.breaks.join(", ")}$`, "m"));
  });

  test("--planted-bug accepts every documented bug and refuses an unknown one with the list", async () => {
    expect(() => parsePlantedBugs(plantedBugs.map((bug) => bug.id).join(","))).not.toThrow();
    expect(() => parsePlantedBugs("consumer-rewind-on-leader-change,no-such-bug")).toThrow(/"no-such-bug" is not allowed; allowed: .*wrong-key-hash/);
    expect(await main(["verify", "--planted-bug", "no-such-bug"])).toBe(2);
  });

  test("bad input exits 2 with a message naming the value and what is allowed", async () => {
    expect(await main(["verify", "--runs", "many"])).toBe(2);
    expect(await main(["verify", "--guarantees", "Z9"])).toBe(2);
    expect(await main(["verify", "--intensity", "extreme"])).toBe(2);
    expect(await main(["verify", "--target", "redpanda"])).toBe(2);
    expect(await main(["frobnicate"])).toBe(2);
  });

  test("a time budget that ends before the first scenario judges nothing: exit 2, not a pass", async () => {
    expect(await main(["verify", "--time-budget", "1ms", "--runs", "5", "--out", await mkdtemp(join(tmpdir(), "verify-"))])).toBe(2);
  });

  test("a durable configuration holds: exit 0, one row per guarantee, and a run directory that says how to repeat it", async () => {
    const out = await mkdtemp(join(tmpdir(), "verify-"));
    const { io, lines } = capture();
    expect(await runVerify(["--runs", "4", "--seed", "3", "--guarantees", "D2,D9,O3", "--config", "durable", "--out", out], io)).toBe(0);
    const table = lines.join("\n");
    expect(table).toMatch(/^D2 +\| at-least-once +\| yes +\| 3 of 4 +\| 0 /m);
    expect(table).toMatch(/^O3 /m);
    expect(table).toContain("every promised guarantee held in 4 runs");
    const [directory] = await readdir(out);
    const files = (await readdir(join(out, directory ?? ""))).sort();
    expect(files).toEqual(["counterexample.json", "history.jsonl", "report.md", "scenario.json", "summary.md", "verdict.json"]);
    const summary = await readFile(join(out, directory ?? "", "summary.md"), "utf8");
    expect(summary).toContain("every promised guarantee held in 4 runs");
    expect(summary).toMatch(/repeat: `npx kafka-harness verify --runs 4 --guarantees D2,D9,O3 --config durable --out \S+ --seed 3`/);
    expect(table).toContain("repeat: npx kafka-harness verify");
  });

  test("the table states facts: no placeholders, one producer's configuration per line, 120 columns", async () => {
    const out = await mkdtemp(join(tmpdir(), "verify-"));
    const { io, lines } = capture();
    await runVerify(["--runs", "60", "--seed", "5", "--config", "acks-1", "--out", out], io);
    const text = lines.join("\n");
    expect(text).toContain("acks=1, idempotence off");
    for (const line of lines.flatMap((entry) => entry.split("\n"))) {
      expect(line, line).not.toMatch(/#|…/);
      if (line.includes(" | ")) expect(line.length, line).toBeLessThanOrEqual(120);
    }
    await rm(out, { recursive: true, force: true });
  });

  test("a planted bug is a violation: exit 1, a run directory, and replay reproduces it byte for byte", async () => {
    const out = await mkdtemp(join(tmpdir(), "verify-"));
    const { io, lines } = capture();
    const code = await runVerify(["--runs", "150", "--seed", "1", "--guarantees", "D2", "--planted-bug", "early-ack", "--faults", "kill-leader,split", "--out", out], io);
    expect(code, lines.join("\n")).toBe(1);
    const [directory] = await readdir(out);
    const files = (await readdir(join(out, directory ?? ""))).sort();
    expect(files).toEqual(["counterexample.json", "history.jsonl", "report.md", "scenario.json", "summary.md", "verdict.json"]);
    expect(lines.join("\n")).toContain("npx kafka-harness replay");
    const counterexample = join(out, directory ?? "", "counterexample.json");
    const replayed: string[] = [];
    expect(await runReplay([counterexample], (text) => replayed.push(text))).toBe(1);
    expect(replayed.join("\n")).toContain("history byte-identical");
    // A tampered saved history is noticed.
    const historyFile = join(out, directory ?? "", "history.jsonl");
    await writeFile(historyFile, (await readFile(historyFile, "utf8")).replace('"index":3,', '"index":3, '));
    const tampered: string[] = [];
    expect(await runReplay([counterexample], (text) => tampered.push(text))).toBe(1);
    expect(tampered.join("\n")).toContain("DIFFERS");
  });
});
