/**
 * Checker benchmark: generated histories of a correct log (sends, pipelined acks, polls by two
 * consumers, faults, final reads) at 250k, 500k and 1M events, each written to a file and measured in
 * a fresh process as `check history.jsonl` runs it: parse + validate (reading the file), check, the
 * two together (end to end), validation of an in-memory history, and peak memory. Nanoseconds per
 * event that stay flat across sizes show the checker is linear. Figures are printed, never asserted.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import {
  checkHistory,
  readHistory,
  serializeEvent,
  serializeHistory,
  simulateCorrectLog,
  validateHistory,
  type CorrectLogStep,
  type History,
} from "../model/index.js";

const sizes = [250_000, 500_000, 1_000_000] as const;
const measureFlag = "--measure";

/** A small deterministic generator (xorshift32): benchmarks must be reproducible. */
function randomSource(seed: number): () => number {
  let state = seed | 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function* workload(random: () => number, sends: number): Generator<CorrectLogStep> {
  const producers = 4;
  let started = 0;
  while (started < sends) {
    const producer = Math.floor(random() * producers);
    yield { op: "send", producer, key: random() < 0.8 ? `key-${Math.floor(random() * 1000)}` : null };
    started++;
    if (random() < 0.9) yield { op: "complete", producer, outcome: random() < 0.98 ? "ok" : "info-written" };
    if (started % 50 === 0) {
      yield { op: "poll", consumer: 0, max: 50 };
      yield { op: "poll", consumer: 1, max: 50 };
    }
    if (started % 20_000 === 0) yield { op: "fault", f: random() < 0.5 ? "kill" : "restart", broker: 1 + Math.floor(random() * 3) };
  }
  for (let producer = 0; producer < producers; producer++) {
    for (let drain = 0; drain < sends; drain++) yield { op: "complete", producer, outcome: "ok" };
  }
}

function generate(targetEvents: number): History {
  // Each send makes ~2 events (invoke, completion) plus ~0.06 for polls and final reads.
  const sends = Math.round(targetEvents / 2.06);
  return simulateCorrectLog(
    { partitions: 12, producers: [{}, { acks: "1" }, { "enable.idempotence": false }, {}], consumers: 2, topicConfig: { "min.insync.replicas": 2 } },
    workload(randomSource(42), sends),
  );
}

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Wall and CPU seconds: on a shared machine CPU time (all threads, GC included) is the steadier figure. */
function timed<T>(work: () => T): [T, Timing] {
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  const result = work();
  const cpu = process.cpuUsage(cpuStart);
  return [result, { wall: Number(process.hrtime.bigint() - wallStart) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 }];
}

const number = (value: number): string => Math.round(value).toLocaleString("en-US");
const megabytes = (bytes: number): string => `${number(bytes / 1048576)} MB`;

function rate(events: number, timing: Timing): string {
  const perEvent = (seconds: number): string => `${number((seconds * 1e9) / events).padStart(4)} ns/event`;
  return (
    `wall ${timing.wall.toFixed(2)} s = ${number(events / timing.wall).padStart(9)} events/s (${perEvent(timing.wall)}), ` +
    `cpu ${timing.cpu.toFixed(2)} s = ${number(events / timing.cpu).padStart(9)} events/s (${perEvent(timing.cpu)})`
  );
}

function expectValid(valid: boolean, what: string): void {
  if (!valid) throw new Error(`the benchmark's correct log produced a violation (${what})`);
}

interface ChildResult {
  readonly events: number;
  readonly valid: boolean;
  /** readHistory: read the file in chunks, parse, validate shapes, pair operations. */
  readonly parse: Timing;
  /** checkHistory on the parsed history (its pairing is remembered from the reading). */
  readonly check: Timing;
  /** validateHistory of the same events as a fresh in-memory history (the adapters' path). */
  readonly validate: Timing;
  /** checkHistory again, on that fresh history (a warm second run). */
  readonly recheck: Timing;
  readonly maxRss: number;
  readonly peakHeapUsed: number;
  readonly external: number;
}

/** The `check <file>` path, run in a fresh process: what the CLI does, and its peak memory. */
async function measureFile(path: string): Promise<void> {
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  const history = await readHistory(path);
  const cpu = process.cpuUsage(cpuStart);
  const parse: Timing = { wall: Number(process.hrtime.bigint() - wallStart) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
  let peakHeapUsed = getHeapStatistics().used_heap_size;
  const [verdict, check] = timed(() => checkHistory(history, { file: path }));
  peakHeapUsed = Math.max(peakHeapUsed, getHeapStatistics().used_heap_size);
  const fresh: History = { header: history.header, events: history.events };
  const [, validate] = timed(() => validateHistory(fresh, path));
  const [again, recheck] = timed(() => checkHistory(fresh, { file: path }));
  peakHeapUsed = Math.max(peakHeapUsed, getHeapStatistics().used_heap_size);
  const result: ChildResult = {
    events: history.events.length,
    valid: verdict.valid && again.valid,
    parse,
    check,
    validate,
    recheck,
    maxRss: process.resourceUsage().maxRSS * 1024,
    peakHeapUsed,
    external: process.memoryUsage().external,
  };
  console.log(JSON.stringify(result));
}

/** Writes a history as JSON Lines a batch of lines at a time (the whole text would double the memory). */
function writeHistoryFile(path: string, history: History): number {
  const batch = 10_000;
  let bytes = 0;
  const descriptor = openSync(path, "w");
  try {
    const header = serializeHistory({ header: history.header, events: [] });
    bytes += writeSync(descriptor, header);
    for (let start = 0; start < history.events.length; start += batch) {
      const lines: string[] = [];
      for (const event of history.events.slice(start, start + batch)) lines.push(serializeEvent(event));
      bytes += writeSync(descriptor, `${lines.join("\n")}\n`);
    }
  } finally {
    closeSync(descriptor);
  }
  return bytes;
}

function runChild(path: string): ChildResult {
  const script = fileURLToPath(import.meta.url);
  const repository = join(dirname(script), "..");
  const child = spawnSync(process.execPath, ["--import", "tsx", script, measureFlag, path], { cwd: repository, encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the measuring process failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as ChildResult;
}

export async function benchChecker(): Promise<void> {
  console.log(`checker benchmark: load average ${loadavg().map((load) => load.toFixed(1)).join(" ")} on ${availableParallelism()} cores (shared machine: cpu figures are steadier)`);
  console.log("  each size in a fresh process, as `check history.jsonl` runs; ns/event equal across sizes = linear");
  const directory = mkdtempSync(join(tmpdir(), "checker-bench-"));
  const linearity: string[] = [];
  try {
    for (const size of sizes) {
      const path = join(directory, `history-${size}.jsonl`);
      const bytes = writeHistoryFile(path, generate(size));
      const result = runChild(path);
      expectValid(result.valid, `${size} events`);
      const events = result.events;
      const endToEnd: Timing = { wall: result.parse.wall + result.check.wall, cpu: result.parse.cpu + result.check.cpu };
      console.log(`  ${number(events)} events (${megabytes(bytes)} of JSON Lines):`);
      console.log(`    check              ${rate(events, result.check)}`);
      console.log(`    check, second run  ${rate(events, result.recheck)}`);
      console.log(`    parse + validate   ${rate(events, result.parse)}`);
      console.log(`    validate in memory ${rate(events, result.validate)}`);
      console.log(`    end to end         ${rate(events, endToEnd)}`);
      console.log(`    memory             peak RSS ${megabytes(result.maxRss)}, heap used ${megabytes(result.peakHeapUsed)} (largest after reading or checking), typed arrays at the end ${megabytes(result.external)}`);
      const nanoseconds = (timing: Timing): string => number((timing.wall * 1e9) / events);
      linearity.push(`${number(events)}: check ${nanoseconds(result.check)} (second run ${nanoseconds(result.recheck)}), parse + validate ${nanoseconds(result.parse)}, end to end ${nanoseconds(endToEnd)}`);
    }
    console.log("  linearity, wall ns/event by size (the first check of a process also pays JIT warm-up):");
    for (const line of linearity) console.log(`    ${line}`);
    console.log("  verdicts: valid (expected valid: a correct log)");
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

// `node --import tsx bench/checker.ts --measure <file>`: the measuring process of benchChecker.
if (process.argv[2] === measureFlag && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[3];
  if (path === undefined) throw new Error(`usage: checker.ts ${measureFlag} <history.jsonl>`);
  await measureFile(path);
}
