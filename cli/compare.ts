/**
 * `kafka-harness compare`: the fixed scenario suite (chaos/suites/compare-suite.ts) and the saved
 * counterexamples (fixtures/counterexamples/*.json), each run on the engine and on real Kafka, judged
 * by the model and printed side by side: per scenario and guarantee, whether the model promises it,
 * what the engine did, what Kafka did. A counterexample that needs a planted engine bug runs on the
 * engine with the bug and without it; Kafka has none of our bugs, so it runs the same scenario as is.
 *
 * Everything printed, every history and every verdict go to a run directory (printed at the start and
 * at the end), so a comparison can be read again and `kafka-harness check` can re-judge a history.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Target } from "../adapters/target.js";
import type { GuaranteeId } from "../model/index.js";
import { briefOutcome, describeCounted, verdictOf, violatedIds, type CompareEntry, type EntryResult, type Outcome } from "../run/compare/outcome.js";
import { byClusterShape, counterexampleEntries, matchesEntry, suiteEntries } from "../run/compare/entries.js";
import { runCompareEntries, type CompareSettings } from "../run/compare/run-entries.js";
import { parseArguments, single, UsageError, type OptionSpec } from "./arguments.js";
import { formatTable, wrap } from "./table.js";
import { clientDefectCell, guaranteeCell } from "./compare-cells.js";
import { ExitCode } from "./exit-codes.js";

export type { CompareEntry, EntryResult, Outcome } from "../run/compare/outcome.js";
export type { CompareSettings } from "../run/compare/run-entries.js";

export const compareOptions: readonly OptionSpec[] = [
  { name: "scenarios", repeat: true },
  { name: "counterexamples", flag: true },
  { name: "no-counterexamples", flag: true },
  { name: "counterexample-dir" },
  { name: "no-suite", flag: true },
  { name: "engine-only", flag: true },
  { name: "time-scale" },
  { name: "strict", flag: true },
  { name: "out" },
  { name: "help", flag: true },
];

/**
 * Saved counterexamples are part of the default run: each is a few engine milliseconds of steps, so on
 * Kafka it costs its finale (restarts, settling, a capped quiet period, final reads), 11-27 s, plus one
 * cluster start (about 20 s) per cluster shape. Measured on 2 cores: the whole default run 352 s, the
 * suite about 3 min, the 12 counterexamples about 3 min.
 */
const counterexamplesByDefault = true;
const defaultCounterexampleDirectory = join("fixtures", "counterexamples");

export function compareHelp(): string {
  return [
    "Usage: kafka-harness compare [--scenarios NAME,NAME] [--counterexamples | --no-counterexamples]",
    "                             [--counterexample-dir DIR] [--no-suite] [--engine-only] [--time-scale N]",
    "                             [--strict] [--out DIR]",
    "",
    "Runs the fixed scenario suite (chaos/suites/compare-suite.ts, 7 scenarios; then the 4 consumer-group",
    "scenarios of chaos/suites/group-suite.ts, groups-*, with rows C1-C8; then the 2 transaction scenarios",
    "of chaos/suites/transaction-suite.ts, transactions-*, with rows T*) and the saved counterexamples",
    "(fixtures/counterexamples/*.json) on the engine and on real Kafka (containers; needs Docker and the",
    "image from scripts/kafka-image/build.sh), judges every history with the model and prints, per",
    "scenario and guarantee: whether the model promises it, what the engine did, what Kafka did; then a",
    "summary with timings. Everything (output, histories, verdicts) is written to a run directory.",
    "",
    "Time on a 2-core machine: the whole default run (suite and counterexamples) about 6 minutes; the",
    "suite alone (--no-counterexamples) about 3; counterexamples alone (--no-suite) about 3; one",
    "scenario under a minute (each cluster shape costs a cluster start of about 20 s).",
    "",
    "  --scenarios A,B      only these suite scenarios or counterexample files (name, with or without",
    "                       .json; repeatable). Naming a counterexample includes it",
    "  --counterexamples    include the saved counterexamples (the default)",
    "  --no-counterexamples run the suite only",
    "  --counterexample-dir DIR  where counterexamples are read (default fixtures/counterexamples)",
    "  --no-suite           run counterexamples only",
    "  --engine-only        skip Kafka (its column says 'skipped')",
    "  --time-scale N       multiply counterexamples' step times on Kafka by N (default 1: engine",
    "                       scenarios are written in milliseconds of Kafka-like timing; try 5 to give",
    "                       real failover more time). Suite scenarios are already in wall-clock time",
    "  --strict             count client-library defects as violations (exit 1 instead of 4)",
    "  --out DIR            the run directory (default runs/compare-<time>)",
    "",
    "Cells: 'holds'; 'VIOLATED n by producer-1: key-reorder n' (a promised guarantee broken: the real",
    "count, the clients whose operations prove it, the anomalies by kind); 'allowed n by ...' (anomalies",
    "the configuration permits, observed); 'none seen' (not promised, nothing observed); 'inconclusive'",
    "(promised, no evidence); '(planted)' marks violations caused by a planted engine bug. The column",
    "headers name each target's client library and version (kafkajs 2.2.4). The row 'client' lists the",
    "client library's own defects the model found (kafkajs 2.2.4 reuses an idempotent producer's sequence",
    "numbers after a failed request): they are the client's, and the anomalies they cause are not charged",
    "to Kafka. '≠' marks rows where the engine (without planted bugs) and Kafka differ; the line under the",
    "table says why for each (a client defect, allowed behaviour seen on one side only, no evidence), or",
    "'unexplained'.",
    "Counterexamples needing a planted engine bug run on the engine twice (with and without the bug) and",
    "on Kafka as they are: Kafka has none of our bugs.",
    "",
    "Faults on Kafka: kill (SIGKILL), stop (SIGTERM, clean), restart, pause/resume (docker pause: the",
    "cgroup freezer stops every process of the container at once; no signal is sent, so it is not SIGSTOP),",
    "and iptables",
    "partitions (isolate, split, one-way, bridge, cut-client, heal). Power loss cannot be done on",
    "containers (a killed container keeps the host's page cache, so unflushed writes survive):",
    "scenarios with power-loss, and client settings kafkajs cannot express (partitioner.ignore.keys),",
    "run on the engine only and Kafka's column says 'not runnable on kafka: <why>'.",
    "",
    "Exit status: 0 no promised guarantee violated on either target (violations caused by planted engine",
    "bugs do not count); 1 a violation, or a run that failed with an error (nothing was checked); 2 bad",
    "input; 4 the only violations are a client library's defects (1 with --strict); 5 environment (no",
    "Docker engine, no image, a broker that never started: one line says what to run). Guarantees without",
    "evidence are shown as 'inconclusive' but do not make compare exit 3: each scenario aims at a few.",
    "Ctrl-C removes every container this command started.",
  ].join("\n");
}

export interface CompareResult {
  readonly results: readonly EntryResult[];
  readonly outDirectory: string;
  readonly seconds: number;
  readonly exitCode: ExitCode;
}

export interface CompareIo {
  /** Tables and summaries (stdout). */
  readonly out: (text: string) => void;
  /** Kafka progress lines (stderr): cluster starts, run phases. */
  readonly progress: (text: string) => void;
  /**
   * Makes the target of the "kafka" column; default: the container target. Tests hand in an engine
   * with a planted bug to check, without Docker, that a violation there is reported and counted.
   */
  readonly createKafka?: (logDirectory: string) => Promise<Target>;
}

const defaultIo: CompareIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  progress: (text) => process.stderr.write(`${text}\n`),
};

/* ---------- cells ---------- */

function outcomeCell(outcome: Outcome, id: GuaranteeId, expected: readonly GuaranteeId[], mark: string): string {
  switch (outcome.kind) {
    case "skipped":
      return "skipped";
    case "not-runnable":
      return "not runnable";
    case "error":
      return "ERROR";
    case "verdict":
      return guaranteeCell(
        outcome.verdict.guarantees.find((guarantee) => guarantee.id === id),
        expected.includes(id) ? mark : "",
        outcome.history,
      );
  }
}

/** One line per target for the summary: ok, VIOLATED ids, or why there is no verdict. */
function outcomeSummary(outcome: Outcome | null, expected: readonly GuaranteeId[], mark: string): string {
  if (outcome === null) return "-";
  switch (outcome.kind) {
    case "skipped":
      return "skipped";
    case "not-runnable":
      return "not runnable";
    case "error":
      return "ERROR";
    case "verdict": {
      const violated = violatedIds(outcome.verdict);
      const allowed = [...new Set(outcome.verdict.guarantees.filter((guarantee) => guarantee.anomalies.some((anomaly) => anomaly.allowed)).map((guarantee) => guarantee.id))];
      const allowedText = allowed.length > 0 ? `allowed ${allowed.join(",")}` : "";
      if (violated.length === 0) return allowedText === "" ? "ok" : `ok, ${allowedText}`;
      const marked = violated.every((id) => expected.includes(id)) ? mark : "";
      return `VIOLATED ${violated.join(",")}${marked}`;
    }
  }
}

/** "kafka (kafkajs 2.2.4)": the column names the client library that recorded the history. */
function columnName(name: string, outcome: Outcome | null): string {
  const client = outcome?.kind === "verdict" ? outcome.history.header.client : undefined;
  return client === undefined ? name : `${name} (${client.name} ${client.version})`;
}

function defectCell(outcome: Outcome | null): string {
  return outcome?.kind === "verdict" ? clientDefectCell(outcome.verdict.clientDefects) : "-";
}

const cellWidth = 48;

export function entryTable(result: EntryResult): string {
  const reference = verdictOf(result.engine) ?? verdictOf(result.kafka) ?? verdictOf(result.engineWithBugs);
  if (reference === null) return "  (no verdict on any target)";
  const withBugs = result.engineWithBugs;
  const engineColumn = columnName("engine", result.engine);
  const kafkaColumn = columnName("kafka", result.kafka);
  const headers = withBugs === null ? ["id", "model", engineColumn, kafkaColumn, ""] : ["id", "model", "engine + planted bug", engineColumn, kafkaColumn, ""];
  const rows: string[][][] = [];
  const cells = (id: GuaranteeId, model: string, engineCell: string, kafkaCell: string, withBugsCell: string, differs: string): string[][] =>
    withBugs === null
      ? [[id], [model], wrap(engineCell, cellWidth), wrap(kafkaCell, cellWidth), [differs]]
      : [[id], [model], wrap(withBugsCell, cellWidth), wrap(engineCell, cellWidth), wrap(kafkaCell, cellWidth), [differs]];
  for (const guarantee of reference.guarantees) {
    if (guarantee.status === "not-checked") continue;
    const model = guarantee.status === "not-promised" ? "not promised" : "promised";
    const differs = result.differences.includes(guarantee.id) ? "≠" : "";
    rows.push(
      cells(guarantee.id, model, outcomeCell(result.engine, guarantee.id, [], ""), outcomeCell(result.kafka, guarantee.id, [], ""), withBugs === null ? "" : outcomeCell(withBugs, guarantee.id, result.entry.expectedWithBugs, " (planted)"), differs),
    );
  }
  // The client library's own defects: a row of their own, never a guarantee's.
  if ([result.engine, result.kafka, withBugs].some((outcome) => outcome?.kind === "verdict" && outcome.verdict.clientDefects.length > 0)) {
    rows.push(withBugs === null ? [["client"], ["defects"], [defectCell(result.engine)], [defectCell(result.kafka)], [""]] : [["client"], ["defects"], [defectCell(withBugs)], [defectCell(result.engine)], [defectCell(result.kafka)], [""]]);
  }
  return formatTable(headers, rows);
}

function seconds(outcome: Outcome | null): string {
  return outcome !== null && (outcome.kind === "verdict" || outcome.kind === "error") ? `${outcome.seconds.toFixed(1)} s` : "-";
}

function countsLine(outcome: Outcome): string {
  if (outcome.kind !== "verdict") return "";
  const keys = ["sends", "acknowledged", "failed", "indefinite", "lost", "duplicated", "faults"];
  return keys.filter((key) => outcome.verdict.counts[key] !== undefined).map((key) => `${key} ${outcome.verdict.counts[key] ?? 0}`).join(", ");
}

function describeOutcomes(result: EntryResult): string[] {
  const lines: string[] = [];
  const named: [string, Outcome | null][] = [
    ["engine + planted bug", result.engineWithBugs],
    ["engine", result.engine],
    ["kafka", result.kafka],
  ];
  for (const [name, outcome] of named) {
    if (outcome === null) continue;
    if (outcome.kind === "verdict") lines.push(`  ${name}: ${outcome.seconds.toFixed(1)} s; ${countsLine(outcome)}`);
    else if (outcome.kind === "error") lines.push(`  ${name}: ERROR after ${outcome.seconds.toFixed(1)} s: ${outcome.message}`);
    else if (outcome.kind === "not-runnable") lines.push(`  ${name}: not runnable on kafka: ${outcome.reason}`);
    else lines.push(`  ${name}: skipped (${outcome.reason})`);
  }
  const withBugs = verdictOf(result.engineWithBugs);
  if (withBugs !== null) {
    const got = violatedIds(withBugs);
    const expected = result.entry.expectedWithBugs;
    if (got.join(",") !== [...expected].join(",")) lines.push(`  note: with the planted bug the file expects ${expected.join(",") || "nothing"} violated, the engine violated ${got.join(",") || "nothing"}`);
  }
  for (const [name, outcome] of named) {
    for (const defect of verdictOf(outcome)?.clientDefects.slice(0, 3) ?? []) {
      lines.push(`  ${name}: client defect of ${defect.client}, not Kafka's: ${defect.kind}: ${defect.message}`);
    }
  }
  for (const id of result.differences) lines.push(`  engine and kafka differ on ${id}: ${result.reasons[id] ?? "unexplained"}`);
  return lines;
}

export function summaryTable(results: readonly EntryResult[]): string {
  const rows = results.map((result) => [
    [result.entry.label],
    [outcomeSummary(result.engineWithBugs, result.entry.expectedWithBugs, " (planted)")],
    [outcomeSummary(result.engine, [], "")],
    result.kafka.kind === "not-runnable" ? wrap(`not runnable on kafka: ${result.kafka.reason}`, 60) : [outcomeSummary(result.kafka, [], "")],
    [result.clientDefects.join(", ") || "-"],
    result.differences.length === 0 ? ["-"] : result.differences.flatMap((id) => wrap(`${id}: ${result.reasons[id] ?? "unexplained"}`, 50)),
    [`${seconds(result.engine)} / ${seconds(result.kafka)}`],
  ]);
  return formatTable(["scenario", "engine + planted bug", "engine", "kafka", "client defects", "differ on (why)", "time engine / kafka"], rows);
}

/** Parses the command line and picks the entries; "help" when --help was asked. Bad input: UsageError. */
export async function compareSettings(argv: readonly string[]): Promise<CompareSettings | "help"> {
  const parsed = parseArguments(argv, compareOptions);
  if (parsed.flags.has("help")) return "help";
  if (parsed.positionals.length > 0) throw new UsageError(`compare takes no positional arguments, got ${JSON.stringify(parsed.positionals)}; see compare --help`);
  const scaleText = single(parsed, "time-scale") ?? "1";
  const timeScale = Number(scaleText);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100) throw new UsageError(`--time-scale ${JSON.stringify(scaleText)} is not allowed; allowed: a number in (0, 100]`);
  if (parsed.flags.has("counterexamples") && parsed.flags.has("no-counterexamples")) throw new UsageError("--counterexamples and --no-counterexamples contradict each other; allowed: one of them");
  const outDirectory = single(parsed, "out") ?? join("runs", `compare-${new Date().toISOString().replace(/[:.]/g, "-")}`);

  const names = (parsed.options.get("scenarios") ?? []).flatMap((text) => text.split(",")).map((name) => name.trim()).filter((name) => name !== "");
  if (parsed.options.has("scenarios") && names.length === 0) throw new UsageError("--scenarios names nothing; allowed: suite scenario names or counterexample file names, comma-separated");
  const withSuite = !parsed.flags.has("no-suite");
  const counterexamplesOff = parsed.flags.has("no-counterexamples");
  const counterexamplesOn = parsed.flags.has("counterexamples") || (counterexamplesByDefault && !counterexamplesOff);
  const suite = suiteEntries();
  const directory = single(parsed, "counterexample-dir") ?? defaultCounterexampleDirectory;
  const saved = counterexamplesOff ? [] : await counterexampleEntries(directory);
  let entries: CompareEntry[];
  if (names.length > 0) {
    // Naming a counterexample includes it even when counterexamples are off by default.
    const pool = [...(withSuite ? suite : []), ...saved];
    for (const name of names) {
      if (!pool.some((entry) => matchesEntry(entry, name))) {
        throw new UsageError(`--scenarios: ${JSON.stringify(name)} is not allowed; allowed: ${pool.map((entry) => entry.label).join(", ")}`);
      }
    }
    entries = pool.filter((entry) => names.some((name) => matchesEntry(entry, name)));
  } else {
    entries = [...(withSuite ? suite : []), ...(counterexamplesOn ? saved : [])];
  }
  if (entries.length === 0) throw new UsageError("nothing to compare: the suite is off and no counterexample was selected or found");
  return { entries: byClusterShape(entries), engineOnly: parsed.flags.has("engine-only"), timeScale, strict: parsed.flags.has("strict"), outDirectory };
}

/** Runs the selected entries on both targets (run/compare) and prints each result as it comes. */
export async function compareScenarios(settings: CompareSettings, io: CompareIo): Promise<CompareResult> {
  const { entries, outDirectory } = settings;
  await mkdir(outDirectory, { recursive: true });
  const printed: string[] = [];
  const out = (text: string): void => {
    printed.push(text);
    io.out(text);
  };
  const progressLines: string[] = [];
  const progress = (text: string): void => {
    progressLines.push(text);
    io.progress(text);
  };
  const started = performance.now();
  out(`compare: ${entries.length} scenarios (${entries.filter((entry) => !entry.counterexample).length} suite, ${entries.filter((entry) => entry.counterexample).length} counterexamples); run directory ${outDirectory}`);
  const results = await runCompareEntries(settings, {
    progress,
    ...(io.createKafka === undefined ? {} : { createKafka: io.createKafka }),
    onStart: (entry, index) => {
      const bugs = entry.plantedBugs.length > 0 ? ` [planted engine bug: ${entry.plantedBugs.join(", ")}]` : "";
      out(`\n== ${index + 1}/${entries.length} ${entry.label}${entry.counterexample ? " (counterexample)" : ""}${bugs}`);
      progress(`compare: ${index + 1}/${entries.length} ${entry.label}`);
    },
    onResult: async (result) => {
      out(entryTable(result));
      for (const line of describeOutcomes(result)) out(line);
      // Written as it goes, so an interrupted compare leaves what it had.
      await writeFile(join(outDirectory, "compare.txt"), `${printed.join("\n")}\n`);
    },
  });
  const totalSeconds = (performance.now() - started) / 1000;
  const counted = results.flatMap((result) => result.countedViolations.map((violation) => `${result.entry.label} ${describeCounted(violation)}`));
  out("\n== summary");
  out(summaryTable(results));
  const kafkaSeconds = results.reduce((sum, result) => sum + (result.kafka.kind === "verdict" || result.kafka.kind === "error" ? result.kafka.seconds : 0), 0);
  out(`\ncompare: ${results.length} scenarios in ${totalSeconds.toFixed(0)} s (kafka runs ${kafkaSeconds.toFixed(0)} s including cluster starts)`);
  const defects = results.flatMap((result) => result.clientDefects.map((defect) => `${result.entry.label} ${defect}`));
  const inconclusive = results.flatMap((result) =>
    (
      [
        ["engine", result.engine],
        ["kafka", result.kafka],
      ] as const
    )
      .filter(([, outcome]) => verdictOf(outcome)?.outcome === "inconclusive")
      .map(([name]) => `${result.entry.label} ${name}`),
  );
  // Not exit 3 for inconclusive guarantees: each scenario aims at a few guarantees and leaves others
  // without evidence by design, so "inconclusive somewhere" is every comparison; it is reported instead.
  const exitCode: ExitCode = counted.length > 0 ? ExitCode.violated : defects.length > 0 ? ExitCode.clientDefect : ExitCode.held;
  if (counted.length > 0) out(`compare: VIOLATIONS or errors: ${counted.join("; ")}`);
  else out("compare: no promised guarantee violated (violations caused by planted engine bugs aside)");
  if (defects.length > 0) out(`compare: client-library defects (the client's, not Kafka's${settings.strict ? "; counted by --strict" : "; exit 4"}): ${defects.join("; ")}`);
  if (inconclusive.length > 0) out(`compare: some promised guarantees had no evidence (cells 'inconclusive'; not an error here): ${inconclusive.join("; ")}`);
  out(`compare: output, histories and verdicts in ${outDirectory}`);
  await writeFile(join(outDirectory, "compare.txt"), `${printed.join("\n")}\n`);
  await writeFile(join(outDirectory, "progress.log"), `${progressLines.join("\n")}\n`);
  const scenarios = results.map((result) => ({
    label: result.entry.label,
    plantedBugs: result.entry.plantedBugs,
    engineWithBugs: briefOutcome(result.engineWithBugs),
    engine: briefOutcome(result.engine),
    kafka: briefOutcome(result.kafka),
    differences: result.differences,
    reasons: result.reasons,
    clientDefects: result.clientDefects,
    countedViolations: result.countedViolations.map(describeCounted),
  }));
  await writeFile(join(outDirectory, "summary.json"), `${JSON.stringify({ seconds: Math.round(totalSeconds), violations: counted, scenarios }, null, 2)}\n`);
  return { results, outDirectory, seconds: totalSeconds, exitCode };
}

export async function runCompare(argv: readonly string[], io: CompareIo = defaultIo): Promise<number> {
  const settings = await compareSettings(argv);
  if (settings === "help") {
    io.out(compareHelp());
    return 0;
  }
  return (await compareScenarios(settings, io)).exitCode;
}
