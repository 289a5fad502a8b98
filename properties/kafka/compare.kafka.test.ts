/**
 * `compare` end to end on real Kafka, kept short (about a minute and a half): one suite scenario
 * (baseline-consumer) and one saved counterexample that needs a planted engine bug (wrong-key-hash),
 * plus two variants of it Kafka cannot run (a power-loss fault; partitioner.ignore.keys), which must be
 * reported as not runnable without starting anything.
 *
 * Run: npx vitest run -c vitest.kafka.config.ts properties/kafka/compare.kafka.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { Counterexample } from "../../run/counterexample.js";
import { compareScenarios, compareSettings } from "../../cli/compare.js";
import { ownerPidLabel } from "../../adapters/kafka/cluster/labels.js";

const source = join("fixtures", "counterexamples", "planted-wrong-key-hash.json");

function writeCounterexamples(directory: string): void {
  const original = JSON.parse(readFileSync(source, "utf8")) as Counterexample;
  writeFileSync(join(directory, "planted-wrong-key-hash.json"), JSON.stringify(original));
  const powerLoss: Counterexample = {
    ...original,
    plantedBugs: [],
    violated: [],
    scenario: {
      ...original.scenario,
      name: "power-loss-variant",
      steps: [...original.scenario.steps, { at: 1, op: "fault", fault: { kind: "power-loss", node: "broker-1" } }, { at: 2, op: "fault", fault: { kind: "restart", node: "broker-1" } }],
    },
  };
  writeFileSync(join(directory, "power-loss-variant.json"), JSON.stringify(powerLoss));
  const ignoreKeys: Counterexample = {
    ...original,
    plantedBugs: [],
    violated: [],
    scenario: { ...original.scenario, name: "ignore-keys-variant", clients: original.scenario.clients.map((client) => ({ ...client, config: { ...client.config, "partitioner.ignore.keys": true } })) },
  };
  writeFileSync(join(directory, "ignore-keys-variant.json"), JSON.stringify(ignoreKeys));
}

/** The row of `id` in the table printed after the `== ... label` heading. */
function rowOf(output: string, label: string, id: string): string {
  const section = output.slice(output.indexOf(` ${label}`));
  const row = section.split("\n").find((line) => line.startsWith(`${id} `));
  if (row === undefined) throw new Error(`no row ${id} after ${label}`);
  return row.split("|").map((cell) => cell.trim()).join(" | ").trimEnd();
}

test("compare prints model, engine and Kafka verdicts side by side, and says what Kafka cannot run", async () => {
  const root = mkdtempSync(join(tmpdir(), "compare-kafka-"));
  const counterexamples = join(root, "counterexamples");
  mkdirSync(counterexamples);
  writeCounterexamples(counterexamples);
  const outDirectory = join(root, "run");
  const settings = await compareSettings(["--scenarios", "baseline-consumer,planted-wrong-key-hash,power-loss-variant,ignore-keys-variant", "--counterexample-dir", counterexamples, "--out", outDirectory]);
  if (settings === "help") throw new Error("unexpected help");
  const printed: string[] = [];
  const started = performance.now();
  const result = await compareScenarios(settings, { out: (text) => printed.push(text), progress: (text) => process.stdout.write(`${text}\n`) });
  const output = printed.join("\n");
  process.stdout.write(`${output}\n[compare.kafka] ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

  // Headers: model, engine and kafka columns; the planted-bug entry has both engine columns.
  // Each column names the client library that recorded the history, with its version.
  const kafkajs = (JSON.parse(readFileSync("node_modules/kafkajs/package.json", "utf8")) as { version: string }).version;
  expect(output).toMatch(new RegExp(`^id +\\| model +\\| engine \\(engine [0-9.]+\\) +\\| kafka \\(kafkajs ${kafkajs.replace(/\./g, "\\.")}\\)`, "m"));
  expect(output).toMatch(/^id +\| model +\| engine \+ planted bug +\| engine \(engine [0-9.]+\) +\| kafka \(kafkajs /m);

  // baseline-consumer on Kafka: a real verdict for every row, and the durable promises hold on both.
  const baseline = result.results.find((entry) => entry.entry.label === "baseline-consumer");
  expect(baseline?.kafka.kind).toBe("verdict");
  expect(baseline?.engine.kind).toBe("verdict");
  // The history says which client produced it, so a client's defect can be named.
  expect(baseline?.kafka.kind === "verdict" ? baseline.kafka.history.header.client : undefined).toEqual({ name: "kafkajs", version: kafkajs });
  expect(rowOf(output, "baseline-consumer", "D2")).toBe("D2 | promised | holds | holds |");
  expect(rowOf(output, "baseline-consumer", "O2")).toBe("O2 | promised | holds | holds |");
  expect(rowOf(output, "baseline-consumer", "D1")).toBe("D1 | not promised | none seen | none seen |");

  // The planted bug breaks O2 on the engine only: without it the engine and Kafka both keep O2.
  const planted = result.results.find((entry) => entry.entry.label === "planted-wrong-key-hash.json");
  expect(planted?.kafka.kind).toBe("verdict");
  expect(rowOf(output, "planted-wrong-key-hash.json", "O2")).toBe("O2 | promised | VIOLATED 1 (planted) by producer-0: | holds | holds |");

  // What containers cannot do is said, not crashed on.
  expect(output).toContain("not runnable on kafka: power loss cannot be applied to containers");
  expect(output).toMatch(/not runnable on kafka: client producer-0: partitioner\.ignore\.keys=true is not allowed/);
  expect(result.results.find((entry) => entry.entry.label === "power-loss-variant.json")?.kafka.kind).toBe("not-runnable");

  // Planted-bug violations are expected; nothing else was violated.
  expect(result.exitCode).toBe(0);
  expect(output).toContain("== summary");

  // The run directory holds the output, the histories and the verdicts of both targets.
  for (const file of ["compare.txt", "summary.json", "baseline-consumer.kafka.history.jsonl", "baseline-consumer.kafka.verdict.json", "baseline-consumer.engine.history.jsonl", "planted-wrong-key-hash.engine-planted-bug.verdict.json"]) {
    expect(existsSync(join(outDirectory, file)), file).toBe(true);
  }
  expect(readFileSync(join(outDirectory, "compare.txt"), "utf8")).toContain("O2 ");

  // Nothing of this process is left running.
  const left = spawnSync("docker", ["ps", "-aq", "--filter", `label=${ownerPidLabel}=${process.pid}`], { encoding: "utf8" }).stdout.trim();
  expect(left).toBe("");
  rmSync(root, { recursive: true, force: true });
});
