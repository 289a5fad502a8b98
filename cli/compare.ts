/**
 * `kafka-harness compare`: the fixed scenario suite (fixtures/compare-suite) plus saved
 * counterexamples (fixtures/counterexamples/*.json), each run on the engine and on real Kafka, judged
 * by the model and printed side by side: per scenario and guarantee, what the model allows, what the
 * engine did, what Kafka did. A counterexample shrunk on the engine is replayed on Kafka this way
 * (its planted bugs, if any, exist only on the engine).
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Scenario } from "../chaos/scenario.js";
import type { Target } from "../adapters/target.js";
import type { GuaranteeVerdict, Verdict } from "../model/verdict.js";
import type { PlantedBug } from "../engine/api.js";
import { checkHistory, serializeHistory } from "../model/index.js";
import { compareSuite } from "../fixtures/compare-suite/scenarios.js";
import { readCounterexample } from "../properties/support/counterexample.js";
import { createTarget } from "../properties/support/targets.js";
import { validateScenario } from "../properties/support/judge.js";
import { parseArguments, single, UsageError, type OptionSpec } from "./arguments.js";
import { formatTable } from "./table.js";

export const compareOptions: readonly OptionSpec[] = [
  { name: "only", repeat: true },
  { name: "counterexamples" },
  { name: "no-suite", flag: true },
  { name: "engine-only", flag: true },
  { name: "time-scale" },
  { name: "out" },
  { name: "help", flag: true },
];

export function compareHelp(): string {
  return [
    "Usage: kafka-harness compare [--only NAME]... [--counterexamples DIR] [--no-suite] [--engine-only]",
    "                             [--time-scale N] [--out DIR]",
    "",
    "Runs the fixed scenario suite (fixtures/compare-suite) and every saved counterexample",
    "(DIR/*.json, default fixtures/counterexamples) on the engine and on real Kafka (containers; needs",
    "Docker and the image from fixtures/kafka-image/build.sh), judges both histories with the model and",
    "prints, per scenario and guarantee: what the model promises, what the engine did, what Kafka did.",
    "",
    "  --only NAME        run only the named scenarios or counterexample files (repeatable)",
    "  --no-suite         run only counterexamples",
    "  --engine-only      skip Kafka (its column shows 'skipped')",
    "  --time-scale N     multiply the step times of counterexamples on Kafka by N (default 1): engine",
    "                     scenarios are timed for simulated milliseconds, real failover takes seconds",
    "  --out DIR          where histories and verdicts go (default runs/compare-<time>)",
    "",
    "Cells: 'holds', 'VIOLATED n' (a promised guarantee broken), 'allowed n' (anomalies the",
    "configuration permits, observed), 'not-checked'. '≠' marks rows where engine and Kafka differ.",
    "Faults on Kafka: kill (SIGKILL), stop, restart, pause/resume (cgroup freezer), and iptables",
    "partitions (isolate, split, one-way, bridge, cut-client, heal). Power loss cannot be applied to",
    "containers (the host page cache survives a kill); scenarios with power-loss run on the engine only.",
    "",
    "Exit status: 0 no promised guarantee violated on either target; 1 a violation; 2 bad input.",
  ].join("\n");
}

interface Entry {
  readonly label: string;
  readonly scenario: Scenario;
  readonly plantedBugs: readonly PlantedBug[];
  readonly counterexample: boolean;
}

type Outcome = { readonly verdict: Verdict; readonly seconds: number } | { readonly error: string } | null;

function cell(guarantee: GuaranteeVerdict | undefined): string {
  if (guarantee === undefined) return "-";
  const allowed = guarantee.anomalies.filter((anomaly) => anomaly.allowed).length;
  const violating = guarantee.anomalies.length - allowed;
  if (guarantee.status === "violated") return `VIOLATED ${Math.max(violating, guarantee.counts["violations"] ?? 0)}`;
  if (guarantee.status === "not-checked") return "not-checked";
  return allowed > 0 ? `allowed ${allowed}` : guarantee.status === "not-promised" ? "none seen" : "holds";
}

function outcomeCell(outcome: Outcome, id: string): string {
  if (outcome === null) return "skipped";
  if ("error" in outcome) return "ERROR";
  return cell(outcome.verdict.guarantees.find((guarantee) => guarantee.id === id));
}

export function comparisonTable(engine: Outcome, kafka: Outcome): string {
  const reference = engine !== null && "verdict" in engine ? engine.verdict : kafka !== null && "verdict" in kafka ? kafka.verdict : null;
  if (reference === null) return "  (no verdict on either target)";
  const rows: string[][][] = [];
  for (const guarantee of reference.guarantees) {
    if (guarantee.status === "not-checked") continue;
    const engineCell = outcomeCell(engine, guarantee.id);
    const kafkaCell = outcomeCell(kafka, guarantee.id);
    const differs = engine !== null && kafka !== null && engineCell !== kafkaCell;
    rows.push([[guarantee.id], [guarantee.status === "not-promised" ? "not promised" : "promised"], [engineCell], [kafkaCell], [differs ? "≠" : ""]]);
  }
  return formatTable(["id", "model", "engine", "kafka", ""], rows);
}

async function counterexampleEntries(directory: string): Promise<Entry[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return [];
  }
  const entries: Entry[] = [];
  for (const name of names) {
    const counterexample = await readCounterexample(join(directory, name));
    entries.push({ label: name, scenario: counterexample.scenario, plantedBugs: counterexample.plantedBugs, counterexample: true });
  }
  return entries;
}

function timeScaled(scenario: Scenario, factor: number): Scenario {
  return factor === 1 ? scenario : { ...scenario, steps: scenario.steps.map((step) => ({ ...step, at: Math.round(step.at * factor) })) };
}

export async function runCompare(argv: string[], out: (text: string) => void = (text) => process.stdout.write(`${text}\n`)): Promise<number> {
  const parsed = parseArguments(argv, compareOptions);
  if (parsed.flags.has("help")) {
    out(compareHelp());
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`compare takes no positional arguments, got ${JSON.stringify(parsed.positionals)}; see compare --help`);
  const scaleText = single(parsed, "time-scale") ?? "1";
  const timeScale = Number(scaleText);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 10_000) throw new UsageError(`--time-scale ${JSON.stringify(scaleText)} is not allowed; allowed: a number in (0, 10000]`);
  const only = parsed.options.get("only") ?? [];
  const directory = single(parsed, "counterexamples") ?? join("fixtures", "counterexamples");
  const outDirectory = single(parsed, "out") ?? join("runs", `compare-${new Date().toISOString().replace(/[:.]/g, "-")}`);

  const suite: Entry[] = parsed.flags.has("no-suite") ? [] : compareSuite.map((scenario) => ({ label: scenario.name, scenario, plantedBugs: [], counterexample: false }));
  const all = [...suite, ...(await counterexampleEntries(directory))];
  const entries = only.length === 0 ? all : all.filter((entry) => only.includes(entry.label) || only.includes(entry.scenario.name));
  for (const name of only) {
    if (!all.some((entry) => entry.label === name || entry.scenario.name === name)) {
      throw new UsageError(`--only ${JSON.stringify(name)} is not allowed; allowed: ${all.map((entry) => entry.label).join(", ")}`);
    }
  }
  if (entries.length === 0) throw new UsageError("nothing to compare: the suite is off and no counterexample was found");
  await mkdir(outDirectory, { recursive: true });

  const started = performance.now();
  let kafka: Target | null = null;
  let violated = false;
  try {
    if (!parsed.flags.has("engine-only")) {
      const { createKafkaTarget } = await import("../adapters/kafka/index.js");
      kafka = await createKafkaTarget({ logDirectory: join(outDirectory, "kafka-logs") });
    }
    for (const entry of entries) {
      out(`\n== ${entry.label}${entry.counterexample ? " (counterexample)" : ""}${entry.plantedBugs.length > 0 ? ` [engine bugs: ${entry.plantedBugs.join(", ")}]` : ""}`);
      const engineTarget = await createTarget("engine", { plantedBugs: entry.plantedBugs });
      const engine = await runOne(engineTarget, entry.scenario, join(outDirectory, `${entry.label}.engine`));
      let kafkaOutcome: Outcome = null;
      if (kafka !== null) {
        const scenario = entry.counterexample ? timeScaled(entry.scenario, timeScale) : entry.scenario;
        if (scenario.steps.some((step) => step.op === "fault" && step.fault.kind === "power-loss")) {
          kafkaOutcome = { error: "power-loss cannot be applied to containers" };
        } else {
          kafkaOutcome = await runOne(kafka, scenario, join(outDirectory, `${entry.label}.kafka`), out);
        }
      }
      out(comparisonTable(engine, kafkaOutcome));
      for (const [name, outcome] of [["engine", engine], ["kafka", kafkaOutcome]] as const) {
        if (outcome === null) continue;
        if ("error" in outcome) out(`  ${name}: ${outcome.error}`);
        else {
          out(`  ${name}: ${outcome.seconds.toFixed(1)} s, counts ${JSON.stringify(pick(outcome.verdict.counts))}`);
          if (!outcome.verdict.valid) violated = true;
        }
      }
    }
  } finally {
    await kafka?.close();
  }
  out(`\ncompare: ${entries.length} scenarios in ${((performance.now() - started) / 1000).toFixed(0)} s; histories and verdicts in ${outDirectory}`);
  return violated ? 1 : 0;
}

function pick(counts: Readonly<Record<string, number>>): Record<string, number> {
  const keys = ["sends", "acknowledged", "failed", "indefinite", "lost", "duplicated", "faults"];
  return Object.fromEntries(keys.filter((key) => counts[key] !== undefined).map((key) => [key, counts[key] ?? 0]));
}

async function runOne(target: Target, scenario: Scenario, prefix: string, log?: (text: string) => void): Promise<Outcome> {
  const started = performance.now();
  try {
    validateScenario(scenario, target);
    const history = await target.run(scenario, log === undefined ? {} : { log: (line) => log(`  ${line}`) });
    const verdict = checkHistory(history);
    await writeFile(`${prefix}.history.jsonl`, serializeHistory(history));
    await writeFile(`${prefix}.verdict.json`, `${JSON.stringify(verdict, null, 2)}\n`);
    return { verdict, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : String(error) };
  }
}
