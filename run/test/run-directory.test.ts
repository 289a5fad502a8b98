import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readCounterexample } from "../counterexample.js";
import { createTarget } from "../targets.js";
import { runAndJudge } from "../judge.js";
import { writeRunDirectory } from "../run-directory.js";
import { historyToJsonLines, sha256 } from "../history-file.js";
import { parseHistory } from "../../model/index.js";

const fixture = join(import.meta.dirname, "..", "..", "fixtures", "counterexamples", "planted-early-ack.json");

describe("run directory", () => {
  test("holds a readable report, the history the model reads back, and a replayable counterexample", async () => {
    const saved = await readCounterexample(fixture);
    const run = await runAndJudge(await createTarget("engine", { plantedBugs: saved.plantedBugs }), saved.scenario);
    const out = await mkdtemp(join(tmpdir(), "run-directory-"));
    const written = await writeRunDirectory(run, { outDirectory: out, name: "case", target: "engine", deterministic: true, plantedBugs: saved.plantedBugs, fastCheck: { seed: 5, path: "1:2" }, guarantees: ["D2"] });
    const report = await readFile(join(written.directory, "report.md"), "utf8");
    expect(report).toContain("## Verdict");
    expect(report).toMatch(/### D2 \S+ \(VIOLATION\)/);
    expect(report).toContain("## Fault timeline");
    // One time unit in every report: seconds, as the verdict's messages write them.
    expect(report).toMatch(/- t=[\d.]+ s kill: /);
    expect(report).toContain("npx kafka-harness replay");
    const historyText = await readFile(join(written.directory, "history.jsonl"), "utf8");
    expect(parseHistory(historyText, "history.jsonl").events).toHaveLength(run.history.events.length);
    const counterexample = await readCounterexample(written.counterexampleFile);
    expect(counterexample.violated).toEqual(saved.violated);
    expect(counterexample.fastCheck).toEqual({ seed: 5, path: "1:2" });
    expect(counterexample.historySha256).toBe(sha256(historyToJsonLines(run.history)));
    await rm(out, { recursive: true, force: true });
  });

  test("a file that is not a counterexample is refused, naming what is expected", async () => {
    await expect(readCounterexample(join(import.meta.dirname, "..", "..", "package.json"))).rejects.toThrow('kind must be "kafka-harness-counterexample" with version 1');
  });
});
