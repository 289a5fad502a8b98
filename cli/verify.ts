/**
 * `kafka-harness verify`: the main job. Runs chaos scenarios for one configuration on a target, judges
 * every history with the model, shows progress, and ends with one table per guarantee: promised?,
 * runs, violations, observed allowed behaviour. The exit code is the outcome over every run, restricted
 * to the selected guarantees (cli/exit-codes.ts): 0 held, 1 violation (the shrunk counterexample is
 * written to a run directory), 2 bad input, 3 inconclusive, 4 only client defects, 130 interrupted.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GuaranteeId } from "../model/index.js";
import type { FaultKind } from "../chaos/fault.js";
import { allFaultKinds } from "../chaos/fault.js";
import { defaultEpisodeKinds, episodeKinds } from "../chaos/arbitraries/faults.js";
import { parseIntensity } from "../chaos/arbitraries/intensity.js";
import { formatScenarioSize, scenarioSize } from "../chaos/arbitraries/scenario.js";
import { guaranteeCatalogue } from "../model/index.js";
import { presetScenarioArbitrary } from "../chaos/arbitraries/presets.js";
import { createTarget, knownTargetNames } from "../run/targets.js";
import type { SearchResult } from "../run/search.js";
import type { VerdictTally } from "../run/tally.js";
import { surveyScenarios, type Survey } from "../run/verify/survey.js";
import type fc from "fast-check";
import type { Scenario } from "../chaos/scenario.js";
import type { RunOptions, Target } from "../adapters/target.js";
import { writeRunDirectory } from "../run/run-directory.js";
import { parsePlantedBugs } from "../run/counterexample.js";
import { plantedBugCatalogue as engineBugs } from "../run/planted-bugs.js";
import { promisedViolations, type JudgedRun } from "../run/judge.js";
import { parseArguments, parseCount, parseDuration, single, UsageError, type OptionSpec } from "./arguments.js";
import { resolveConfiguration } from "./configuration.js";
import { verifyTable } from "./verify-table.js";
import { configurationPresets, presetProducerConfigs } from "../chaos/presets/index.js";
import { kafkaRandomScenarios } from "../adapters/kafka/bounds.js";
import { describeFound, formatBudget, shrinkViolation } from "../run/verify/shrink.js";
import { refuseUnmodelled, type ConfigurationSite } from "../adapters/engine/unmodelled.js";
import type { ConfigurationPreset } from "../chaos/presets/index.js";
import { didYouMean } from "../model/index.js";
import { ExitCode, exitCodeOf, exitStatusHelp } from "./exit-codes.js";
import { checkOutDirectory } from "./out-directory.js";
import { configurationKeysHelp } from "./configuration.js";

export const verifyOptions: readonly OptionSpec[] = [
  { name: "target" },
  { name: "guarantees" },
  { name: "runs" },
  { name: "seed" },
  { name: "intensity" },
  { name: "time-budget" },
  { name: "shrink-budget" },
  { name: "out" },
  { name: "config", repeat: true },
  { name: "faults" },
  { name: "planted-bug" },
  { name: "help", flag: true },
];

/** The guarantees the model judges today (the catalogue says which are checked). */
export function checkedGuaranteeIds(): GuaranteeId[] {
  return guaranteeCatalogue.filter((entry) => entry.checked).map((entry) => entry.id);
}

export function verifyHelp(): string {
  const presets = Object.values(configurationPresets).map((preset) => `      ${preset.name.padEnd(24)} ${preset.summary}`);
  // Straight from engine/planted-bugs.ts, so a new bug shows here without an edit.
  const bugs = engineBugs.map((bug) => `      ${bug.id.padEnd(34)} breaks ${bug.breaks.join(", ")}`);
  return [
    "Usage: kafka-harness verify [options]",
    "",
    "Runs random chaos scenarios (a workload of keyed sends and polls, with faults) for one configuration,",
    "judges every history against Kafka's documented guarantees, and prints one table per guarantee:",
    "whether this configuration promises it, runs, violations, and observed allowed behaviour.",
    "",
    "Options:",
    `  --target engine|kafka     where scenarios run (default engine: deterministic, fast, shrinks; kafka: containers)`,
    "  --guarantees D2,O3        guarantee ids to judge (default: every id the model checks:",
    `                            ${checkedGuaranteeIds().join(",")})`,
    "  --runs N                  scenarios to run (default 100)",
    "  --seed S                  fast-check seed, to repeat a verify run exactly on the engine",
    "  --intensity LEVEL         fault intensity: none, low, medium (default), high, or a number in 0..1",
    "  --time-budget T           stop after this wall time, e.g. 60s, 5m (default 10m)",
    "  --shrink-budget T         at most this much of it for shrinking a violation (default: what is left;",
    "                            on kafka 3m). On kafka, a violation that reproduces on the engine is shrunk",
    "                            there first and the result confirmed on kafka; what was found is printed first",
    "  --out DIR                 where the run directory is written (default runs/); checked before any run:",
    "                            a writable directory, or a path that can be created",
    "  --config C                a preset name and/or key=value pairs in Kafka's names (repeatable),",
    "                            e.g. --config acks-1 or --config durable,min.insync.replicas=1. Presets:",
    ...presets,
    `  --faults K,K              fault kinds to draw, at least one (default ${defaultEpisodeKinds.join(",")}; also power-loss`,
    "                            on the engine); for no faults use --intensity none",
    "                            (pause on kafka is docker pause: the cgroup freezer, not SIGSTOP)",
    "  --planted-bug B[,B]       engine only: switch on planted bugs to watch the harness catch them:",
    ...bugs,
    "  --help, -h                this text",
    "",
    "Configuration keys --config accepts, in Kafka's names. The engine models the keys marked * (some at",
    "one value only: compression.type=none) and refuses the others before anything runs; real Kafka honours all:",
    ...configurationKeysHelp(),
    "",
    "Ctrl-C stops after the current scenario: the table so far and the run directory are written (exit 130).",
    "Every run writes a directory under --out: summary.md (the table and the command that repeats the run",
    "with its seed) and one run's scenario.json, history.jsonl, verdict.json, report.md and counterexample.json:",
    "on a violation the shrunk counterexample, otherwise the run with the most observed allowed behaviour.",
    "`kafka-harness replay <dir>/counterexample.json` runs it again (byte-identical on the engine).",
    "",
    exitStatusHelp,
  ].join("\n");
}

export interface VerifyIo {
  readonly out: (text: string) => void;
  readonly progress: (text: string) => void;
  /** Wall clock for the run directory's name; the CLI may read it, the engine never does. */
  readonly now: () => Date;
}

/**
 * On a terminal, progress rewrites one line. In a log (CI, a pipe) every update would be a line of its
 * own, thousands while shrinking: there, a line at most every few seconds, and always when the phase
 * (the first word: runs, shrinking, ...) changes.
 */
function logProgress(): (text: string) => void {
  const intervalMs = 5_000;
  let lastPrinted = -Infinity;
  let lastPhase = "";
  return (text) => {
    if (text.trim() === "") return;
    const phase = text.trimStart().split(/[\s:]/)[0] ?? "";
    const now = performance.now();
    if (phase === lastPhase && now - lastPrinted < intervalMs) return;
    lastPrinted = now;
    lastPhase = phase;
    process.stderr.write(`${text.trimEnd()}\n`);
  };
}

const defaultIo: VerifyIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  progress: process.stderr.isTTY ? (text) => process.stderr.write(`\r${text}`) : logProgress(),
  now: () => new Date(),
};

/** True for `--seed S` / `--seed=S` at this index (and the value after `--seed`), so the repeat command sets its own. */
function isSeedArgument(argv: readonly string[], index: number): boolean {
  const argument = argv[index] ?? "";
  if (argument === "--seed" || argument.startsWith("--seed=")) return true;
  return index > 0 && argv[index - 1] === "--seed";
}

function parseGuarantees(text: string | undefined): GuaranteeId[] {
  const checked = checkedGuaranteeIds();
  if (text === undefined) return checked;
  const ids = text.split(",").map((id) => id.trim().toUpperCase()).filter((id) => id !== "");
  if (ids.length === 0) throw new UsageError(`--guarantees ${JSON.stringify(text)} names no guarantee; allowed: ${checked.join(", ")}`);
  for (const id of ids) {
    if (checked.includes(id as GuaranteeId)) continue;
    const hint = didYouMean(id, checked);
    throw new UsageError(`--guarantees: ${JSON.stringify(id)} is not allowed${hint}; allowed (checked by the model): ${checked.join(", ")}`);
  }
  return ids as GuaranteeId[];
}

function parseFaults(text: string | undefined, target: string): FaultKind[] {
  if (text === undefined) return [...defaultEpisodeKinds];
  const kinds = text.split(",").map((kind) => kind.trim()).filter((kind) => kind !== "");
  // Refused, not read as "no faults": an empty list would run fault-free while the header still
  // announced the fault intensity, and "no faults" has one spelling that says so (--intensity none).
  if (kinds.length === 0) throw new UsageError(`--faults ${JSON.stringify(text)}: --faults needs at least one kind; for no faults use --intensity none; allowed kinds: ${episodeKinds.join(", ")}`);
  for (const kind of kinds) {
    if (!episodeKinds.includes(kind as FaultKind)) {
      const undo = allFaultKinds.includes(kind as FaultKind) ? " (it is the undo step of another fault and comes with it)" : "";
      const hint = undo === "" ? didYouMean(kind, episodeKinds) : "";
      throw new UsageError(`--faults: ${JSON.stringify(kind)} is not allowed${undo}${hint}; allowed: ${episodeKinds.join(", ")}`);
    }
    if (kind === "power-loss" && target !== "engine") throw new UsageError("--faults: power-loss is engine only (a container cannot lose its page cache)");
  }
  return kinds as FaultKind[];
}

/** Where each part of a configuration would be given in a scenario (the engine refuses unmodelled keys there). */
function configurationSites(configuration: ConfigurationPreset): ConfigurationSite[] {
  return [
    { where: "broker", field: "cluster.broker", scope: "broker", config: configuration.cluster.broker },
    { where: `topic '${configuration.topic.name}'`, field: "topics[0].config", scope: "topic", config: configuration.topic.config },
    ...presetProducerConfigs(configuration).map((config, index): ConfigurationSite => ({ where: `client producer-${index}`, field: `clients[${index}].config`, scope: "producer", config })),
  ];
}

/**
 * The last line of verify without a counterexample to show: only what was checked. The outcome is the
 * tally's, per guarantee over all runs: a promised guarantee that no run exercised is inconclusive, one
 * exercised in some runs held (a run without evidence for it is not a failure of the others).
 */
function outcomeLine(tally: VerdictTally, seed: number): string {
  const runs = tally.runs;
  switch (tally.outcome()) {
    case "holds":
      return `every promised guarantee held in ${runs} runs, each exercised on evidence (fast-check seed ${seed})`;
    case "inconclusive":
      return `INCONCLUSIVE: no violation in ${runs} runs, but ${tally.unexercised().join(", ")} promised and never exercised (fast-check seed ${seed})`;
    case "client-defect":
      return `CLIENT DEFECT: no violation of Kafka's guarantees in ${runs} runs, but the client library's defects showed (rows above) (fast-check seed ${seed})`;
    case "violated":
      return `VIOLATION in ${tally.violatingRuns} of ${runs} runs`;
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, "-");
}

/** Everything verify needs, parsed and checked before anything runs. */
interface VerifySettings {
  readonly argv: readonly string[];
  readonly targetName: string;
  readonly guarantees: readonly GuaranteeId[];
  readonly runs: number;
  readonly seed?: number;
  readonly intensity: number;
  readonly timeBudgetMs: number;
  readonly timeBudgetText: string;
  readonly shrinkBudgetMs?: number;
  readonly outDirectory: string;
  readonly configuration: ConfigurationPreset;
  readonly faultKinds: readonly FaultKind[];
  readonly plantedBugs: ReturnType<typeof parsePlantedBugs>;
}

/** Parses and checks the command line: every refusal happens here, before a target starts. */
async function verifySettings(argv: readonly string[]): Promise<VerifySettings | "help"> {
  const parsed = parseArguments(argv, verifyOptions);
  if (parsed.flags.has("help")) return "help";
  if (parsed.positionals.length > 0) throw new UsageError(`verify takes no positional arguments, got ${JSON.stringify(parsed.positionals)}; see --help`);
  const targetName = single(parsed, "target") ?? "engine";
  if (!knownTargetNames.includes(targetName)) throw new UsageError(`--target ${JSON.stringify(targetName)} is not allowed${didYouMean(targetName, knownTargetNames)}; allowed: ${knownTargetNames.join(", ")}`);
  const seedText = single(parsed, "seed");
  const intensity = parseIntensity(single(parsed, "intensity") ?? "medium");
  if (typeof intensity !== "number") throw new UsageError(`${intensity.field} ${JSON.stringify(intensity.value)} is not allowed; allowed: ${intensity.allowed}`);
  const timeBudgetText = single(parsed, "time-budget") ?? "10m";
  const shrinkBudgetText = single(parsed, "shrink-budget") ?? (targetName === "kafka" ? "3m" : undefined);
  const configuration = resolveConfiguration(parsed.options.get("config") ?? []);
  const plantedBugText = single(parsed, "planted-bug");
  let plantedBugs: ReturnType<typeof parsePlantedBugs> = [];
  try {
    plantedBugs = plantedBugText === undefined ? [] : parsePlantedBugs(plantedBugText);
  } catch (error) {
    throw new UsageError(`--planted-bug: ${(error as Error).message}`);
  }
  if (plantedBugs.length > 0 && targetName !== "engine") throw new UsageError("--planted-bug is engine only");
  const settings: VerifySettings = {
    argv,
    targetName,
    guarantees: parseGuarantees(single(parsed, "guarantees")),
    runs: parseCount(single(parsed, "runs") ?? "100", "--runs", 1, 1_000_000),
    ...(seedText === undefined ? {} : { seed: parseCount(seedText, "--seed", -0x7fff_ffff, 0x7fff_ffff) }),
    intensity,
    timeBudgetMs: parseDuration(timeBudgetText, "--time-budget"),
    timeBudgetText,
    ...(shrinkBudgetText === undefined ? {} : { shrinkBudgetMs: parseDuration(shrinkBudgetText, "--shrink-budget") }),
    outDirectory: single(parsed, "out") ?? "runs",
    configuration,
    faultKinds: parseFaults(single(parsed, "faults"), targetName),
    plantedBugs,
  };
  // Real Kafka honours every key; the engine refuses the keys it does not model, before anything runs.
  if (targetName !== "kafka") refuseUnmodelled(configurationSites(configuration));
  await checkOutDirectory(settings.outDirectory);
  if (targetName === "kafka") {
    // Refused before containers start: a configuration kafkajs cannot express (partitioner.ignore.keys).
    const { kafkaClientProblem } = await import("../adapters/kafka/runnable.js");
    for (const [index, config] of presetProducerConfigs(configuration).entries()) {
      const problem = kafkaClientProblem({ id: `producer-${index}`, role: "producer", config });
      if (problem !== null) throw new UsageError(`--config ${configuration.name} is not runnable on kafka: ${problem}`);
    }
  }
  return settings;
}

/** What the closing phases write and print with. */
interface Closing {
  readonly settings: VerifySettings;
  readonly target: Target;
  readonly survey: Survey;
  readonly io: VerifyIo;
  readonly table: string;
  readonly runName: string;
  readonly repeatCommand: string;
}

function summaryOf(closing: Closing, verdictLine: string): string {
  const { settings, target, survey } = closing;
  const bugs = settings.plantedBugs.length > 0 ? ` (planted bugs: ${settings.plantedBugs.join(", ")})` : "";
  return [`# verify ${settings.configuration.name}`, "", `- ${verdictLine}`, `- target: ${target.name}${bugs}`, `- runs: ${survey.tally.runs} of ${settings.runs}; intensity ${settings.intensity}`, `- repeat: \`${closing.repeatCommand}\``, "", "```", closing.table, "```", ""].join("\n");
}

async function writeRun(closing: Closing, run: JudgedRun, extra: { description?: string; fastCheck?: { seed: number; path?: string } }): Promise<{ directory: string; replayCommands: readonly string[] }> {
  const { settings, target } = closing;
  return writeRunDirectory(run, {
    outDirectory: settings.outDirectory,
    name: closing.runName,
    target: target.name,
    deterministic: target.deterministic,
    plantedBugs: settings.plantedBugs,
    guarantees: settings.guarantees,
    ...(extra.description === undefined ? {} : { description: extra.description }),
    ...(extra.fastCheck === undefined ? {} : { fastCheck: extra.fastCheck }),
  });
}

/** Ctrl-C: the table so far, the run that matters most (the shrunk or first violation, else the example), exit 130. */
async function closeInterrupted(closing: Closing, shrunk: SearchResult | undefined): Promise<number> {
  const { settings, survey, io } = closing;
  const progress = `interrupted after ${survey.tally.runs} of ${settings.runs} runs${shrunk?.aborted === true ? " (while shrinking the first violation)" : ""}`;
  io.out(`verify: ${progress}; nothing after that was judged`);
  const shown = shrunk?.counterexample ?? survey.firstViolation?.run ?? survey.example?.run;
  let directory: string;
  if (shown === undefined) {
    directory = join(settings.outDirectory, closing.runName);
    await mkdir(directory, { recursive: true });
  } else {
    directory = (await writeRun(closing, shown, { description: `${shown.scenario.name}: ${progress}` })).directory;
  }
  await writeFile(join(directory, "summary.md"), summaryOf(closing, `${progress}; ${outcomeLine(survey.tally, survey.search.seed)}`));
  io.out(`run directory: ${directory}`);
  io.out(`repeat: ${closing.repeatCommand}`);
  return ExitCode.interrupted;
}

/** A violation: the shrunk counterexample's directory and the commands that replay it, exit 1. */
async function closeViolated(closing: Closing, shrunk: SearchResult | undefined): Promise<number> {
  const { settings, survey, io } = closing;
  const violations = survey.violatingRuns;
  const runs = survey.tally.runs;
  if (shrunk === undefined || !shrunk.failed || shrunk.counterexample === undefined) {
    io.out(`VIOLATION in ${violations} of ${runs} runs; ${shrunk === undefined ? "no time budget left to replay and shrink the first" : "the first did not fail again when replayed (a nondeterministic target?)"}`);
    return ExitCode.violated;
  }
  const written = await writeRun(closing, shrunk.counterexample, { fastCheck: { seed: shrunk.seed, ...(shrunk.path === undefined ? {} : { path: shrunk.path }) } });
  const violated = promisedViolations(shrunk.counterexample.verdict, settings.guarantees);
  io.out(`VIOLATION in ${violations} of ${runs} runs; the first violates ${violated.map((guarantee) => guarantee.id).join(", ")}, shrunk in ${shrunk.shrinks} steps to ${formatScenarioSize(scenarioSize(shrunk.counterexample.scenario))}`);
  for (const guarantee of violated) for (const anomaly of guarantee.anomalies.filter((candidate) => !candidate.allowed).slice(0, 3)) io.out(`  ${guarantee.id} ${anomaly.kind}: ${anomaly.message}`);
  await writeFile(join(written.directory, "summary.md"), summaryOf(closing, `VIOLATION in ${violations} of ${runs} runs; the shrunk counterexample is in this directory`));
  io.out(`run directory: ${written.directory}`);
  io.out(`replay: ${written.replayCommands.join("   or   ")}`);
  io.out(`fast-check: seed ${shrunk.seed}, path "${shrunk.path ?? ""}"`);
  return ExitCode.violated;
}

/** No violation: say only what was checked, and leave the example run behind. */
async function closeWithoutViolation(closing: Closing): Promise<number> {
  const { survey, io } = closing;
  // A promised guarantee no run exercised is not "held".
  const verdictLine = outcomeLine(survey.tally, survey.search.seed);
  io.out(`verify: ${verdictLine}`);
  const example = survey.example;
  if (example !== undefined) {
    // The run with the most observed allowed behaviour, with its scenario, history, verdict, report and replay file.
    const written = await writeRun(closing, example.run, { description: `${example.run.scenario.name}: example run of a passing verify (${example.allowedAnomalies} allowed anomalies)` });
    await writeFile(join(written.directory, "summary.md"), summaryOf(closing, `${verdictLine}; the example run here showed ${example.allowedAnomalies} allowed anomalies`));
    io.out(`run directory: ${written.directory} (summary.md, and an example run: report.md, history.jsonl)`);
    io.out(`repeat: ${closing.repeatCommand}`);
  }
  return exitCodeOf(survey.tally.outcome());
}

/** Phase 2: shrink the first violation within the shrink budget and what is left of the time budget. */
async function shrinkPhase(settings: VerifySettings, target: Target, survey: Survey, context: { arbitrary: fc.Arbitrary<Scenario>; startedAt: number; runOptions: RunOptions; io: VerifyIo; signal?: AbortSignal }): Promise<SearchResult | undefined> {
  const { io } = context;
  const first = survey.firstViolation;
  // What was found is printed before any shrinking: a shrink that runs out of time still leaves it.
  if (first !== undefined) for (const line of describeFound(first.run, settings.guarantees, first.index + 1)) io.out(line);
  const remainingMs = Math.round(settings.timeBudgetMs - (performance.now() - context.startedAt));
  const shrinkMs = Math.min(settings.shrinkBudgetMs ?? remainingMs, remainingMs);
  if (first === undefined || shrinkMs <= 0 || survey.search.aborted) return undefined;
  io.out(`verify: shrinking within ${formatBudget(shrinkMs)}`);
  const shrunk = await shrinkViolation({
    target,
    engine: target.deterministic ? null : await createTarget("engine"),
    arbitrary: context.arbitrary,
    guarantees: settings.guarantees,
    seed: survey.search.seed,
    path: String(first.index),
    first: first.run,
    budgetMs: shrinkMs,
    runOptions: context.runOptions,
    out: io.out,
    progress: io.progress,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  if (process.stderr.isTTY) io.progress("\n");
  return shrunk.result;
}

export async function runVerify(argv: readonly string[], io: VerifyIo = defaultIo, signal?: AbortSignal): Promise<number> {
  const settings = await verifySettings(argv);
  if (settings === "help") {
    io.out(verifyHelp());
    return 0;
  }
  const { configuration, guarantees, plantedBugs, runs } = settings;
  const onKafka = settings.targetName === "kafka";
  const startedAt = performance.now();
  const runOptions: RunOptions = onKafka ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {};
  const target = await createTarget(settings.targetName, onKafka ? { plantedBugs, timeScale: kafkaRandomScenarios.timeScale } : { plantedBugs });
  try {
    io.out(`verify: configuration ${configuration.name} (${configuration.summary})`);
    io.out(`verify: target ${target.name}${plantedBugs.length > 0 ? ` with planted bug ${plantedBugs.join(", ")}` : ""}, ${runs} runs, intensity ${settings.intensity}, guarantees ${guarantees.join(",")}`);
    const arbitrary = presetScenarioArbitrary(configuration, {
      name: `verify-${configuration.name}`,
      intensity: settings.intensity,
      faultKinds: settings.faultKinds,
      consumers: 1,
      supportedFaults: target.supportedFaults,
      singleClientLinks: target.singleClientLinks,
      ...(onKafka ? { maxOperations: kafkaRandomScenarios.maxOperations } : {}),
    });
    if (onKafka) io.out(`verify: real Kafka: time scale ${kafkaRandomScenarios.timeScale}, at most ${kafkaRandomScenarios.maxOperations} operations per scenario, 30-60 s per run; the first run starts the cluster`);
    if (settings.shrinkBudgetMs !== undefined) io.out(`verify: a violation is shrunk within ${formatBudget(settings.shrinkBudgetMs)} (--shrink-budget)${onKafka ? ", on the engine first when it reproduces there" : ""}`);
    // Phase 1 runs every scenario (nothing fails), so the table counts all runs and all violations.
    const survey = await surveyScenarios({
      target,
      arbitrary,
      guarantees,
      runs,
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
      timeLimitMs: settings.timeBudgetMs,
      runOptions,
      ...(signal === undefined ? {} : { signal }),
      onRun: (tally, violatingRuns) => {
        const allowed = [...tally.guarantees.values()].reduce((sum, entry) => sum + [...entry.allowed.values()].reduce((inner, group) => inner + group.anomalies, 0), 0);
        io.progress(`runs ${tally.runs}/${runs}, violations ${violatingRuns}, observed allowed anomalies ${allowed}   `);
      },
    });
    if (process.stderr.isTTY) io.progress("\n");
    if (survey.search.error !== undefined) throw survey.search.error;
    const shrunk = await shrinkPhase(settings, target, survey, { arbitrary, startedAt, runOptions, io, ...(signal === undefined ? {} : { signal }) });
    const table = verifyTable(survey.tally, guarantees);
    io.out("");
    io.out(table);
    io.out("");
    const closing: Closing = {
      settings,
      target,
      survey,
      io,
      table,
      runName: `${stamp(io.now())}-${configuration.name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 60)}`,
      // The exact command that repeats this verify (same seed, same scenarios on the engine).
      repeatCommand: ["npx kafka-harness verify", ...argv.filter((_, index) => !isSeedArgument(argv, index)), "--seed", String(survey.search.seed)].join(" "),
    };
    if (survey.search.aborted || shrunk?.aborted === true) return await closeInterrupted(closing, shrunk);
    if (survey.search.interrupted) io.out(`verify: time budget reached after ${survey.tally.runs} runs`);
    // Zero runs judged nothing: saying "every promised guarantee held" would be a lie.
    if (survey.tally.runs === 0) throw new UsageError(`--time-budget ${settings.timeBudgetText} ended before the first scenario finished; nothing was judged; allowed: a budget longer than one scenario`);
    if (shrunk?.error !== undefined) throw shrunk.error;
    if (survey.violatingRuns > 0) return await closeViolated(closing, shrunk);
    return await closeWithoutViolation(closing);
  } finally {
    await target.close();
    if (onKafka) {
      // "containers removed" only when a cluster was started: a run that never got one removed nothing.
      const removed = (await import("../adapters/kafka/index.js")).kafkaCleanupLine(target);
      io.out(`verify: ${((performance.now() - startedAt) / 1000).toFixed(0)} s in all${removed === null ? "" : `; ${removed}`}`);
    }
  }
}
