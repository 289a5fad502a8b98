/**
 * Checker benchmark: a generated history of a correct log with one million events (sends, pipelined
 * acks, polls by two consumers, faults, final reads), then parse + check throughput and peak memory.
 */
import { loadavg } from "node:os";
import { checkHistory, parseHistory, serializeHistory, simulateCorrectLog, type CorrectLogStep } from "../model/index.js";

const targetEvents = 1_000_000;

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

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Wall and CPU seconds: on a shared machine CPU time is the steadier figure. */
function timed<T>(work: () => T): [T, Timing] {
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  const result = work();
  const cpu = process.cpuUsage(cpuStart);
  return [result, { wall: Number(process.hrtime.bigint() - wallStart) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 }];
}

export async function benchChecker(): Promise<void> {
  // Each send makes ~2 events (invoke, completion) plus ~0.08 for polls and final reads.
  const sends = Math.round(targetEvents / 2.06);
  const history = simulateCorrectLog(
    { partitions: 12, producers: [{}, { acks: "1" }, { "enable.idempotence": false }, {}], consumers: 2, topicConfig: { "min.insync.replicas": 2 } },
    workload(randomSource(42), sends),
  );
  const events = history.events.length;
  const text = serializeHistory(history);

  const [parsed, parseTime] = timed(() => parseHistory(text, "bench.jsonl"));
  const [verdict, checkTime] = timed(() => checkHistory(parsed));
  // A second, in-memory history object: checkHistory validates it itself (the adapters' path).
  const [, validateAndCheckTime] = timed(() => checkHistory({ header: history.header, events: history.events }));

  const peakMegabytes = process.resourceUsage().maxRSS / 1024;
  const rate = (seconds: number): string => `${Math.round(events / seconds).toLocaleString("en-US")} events/s`;
  const line = (label: string, timing: Timing): string =>
    `  ${label.padEnd(20)} wall ${timing.wall.toFixed(2)} s (${rate(timing.wall)}), cpu ${timing.cpu.toFixed(2)} s (${rate(timing.cpu)})`;
  console.log(`checker benchmark: ${events.toLocaleString("en-US")} events, ${(text.length / 1e6).toFixed(0)} MB of JSON Lines, load average ${loadavg()[0]?.toFixed(1)}`);
  console.log(line("parse + validate", parseTime));
  console.log(line("check (parsed)", checkTime));
  console.log(line("validate + check", validateAndCheckTime));
  console.log(`  peak memory (RSS):   ${peakMegabytes.toFixed(0)} MB (history, its text and the checker together)`);
  console.log(`  verdict: ${verdict.valid ? "valid" : "VIOLATED"} (expected valid: a correct log)`);
  if (!verdict.valid) throw new Error("the benchmark's correct log produced a violation");
}
