/**
 * Engine benchmark: records through a 3-broker, replication-factor-3, acks=all cluster, measured in
 * simulated records per second, records per wall second, and simulated seconds per wall second.
 */
import { createSimulation } from "../engine/index.js";

interface Figures {
  readonly records: number;
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  readonly events: number;
}

function runThroughput(recordsPerMs: number, durationMs: number): Figures {
  const simulation = createSimulation({ seed: 42, brokers: 3, controllers: 0, kafkaVersion: "4.1.0", broker: { "min.insync.replicas": 2 }, traceLines: 0 });
  let created = false;
  simulation.createTopic({ name: "bench", partitions: 6, replicationFactor: 3, config: {} }, (result) => {
    if (result.type !== "ok") throw new Error(`createTopic: ${result.error}`);
    created = true;
  });
  simulation.runUntilCondition(() => created, 10_000);
  simulation.runUntil(simulation.nowMs + 100);
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 5, "batch.size": 65_536 });
  let acked = 0;
  let failed = 0;
  const start = simulation.nowMs;
  const wallStart = performance.now();
  const eventsStart = simulation.eventsRun;
  let sequence = 0;
  for (let time = start; time < start + durationMs; time += 1) {
    simulation.schedule(time, () => {
      for (let index = 0; index < recordsPerMs; index++) {
        const value = `value-${sequence++}`;
        producer.send({ topic: "bench", key: `key-${sequence % 1000}`, value }, (result) => {
          if (result.type === "ok") acked++;
          else failed++;
        });
      }
    });
  }
  simulation.runUntilCondition(() => acked + failed === recordsPerMs * durationMs, durationMs + 60_000);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  if (failed > 0) throw new Error(`${failed} sends failed in the benchmark`);
  return { records: acked, simulatedSeconds: (simulation.nowMs - start) / 1000, wallSeconds, events: simulation.eventsRun - eventsStart };
}

function runIdle(simulatedSeconds: number): Figures {
  const simulation = createSimulation({ seed: 7, brokers: 3, controllers: 0, kafkaVersion: "4.1.0", broker: {}, traceLines: 0 });
  simulation.createTopic({ name: "idle", partitions: 6, replicationFactor: 3, config: {} }, () => undefined);
  const wallStart = performance.now();
  const eventsStart = simulation.eventsRun;
  const start = simulation.nowMs;
  simulation.runUntil(start + simulatedSeconds * 1000);
  return { records: 0, simulatedSeconds, wallSeconds: (performance.now() - wallStart) / 1000, events: simulation.eventsRun - eventsStart };
}

export async function benchEngine(): Promise<void> {
  const throughput = runThroughput(200, 2_000);
  console.log("engine: 3 brokers, replication factor 3, acks=all, min.insync.replicas=2, 6 partitions, keyed records");
  console.log(`  records acknowledged        ${throughput.records}`);
  console.log(`  simulated records / s       ${Math.round(throughput.records / throughput.simulatedSeconds)}`);
  console.log(`  records / wall s            ${Math.round(throughput.records / throughput.wallSeconds)}`);
  console.log(`  simulated s / wall s        ${(throughput.simulatedSeconds / throughput.wallSeconds).toFixed(1)}`);
  console.log(`  events / wall s             ${Math.round(throughput.events / throughput.wallSeconds)}`);
  const moderate = runThroughput(10, 20_000);
  console.log("engine: same cluster at a harness-like load of 10 000 records per simulated second");
  console.log(`  records acknowledged        ${moderate.records}`);
  console.log(`  simulated s / wall s        ${(moderate.simulatedSeconds / moderate.wallSeconds).toFixed(1)}`);
  const idle = runIdle(3_600);
  console.log("engine: same cluster idle (heartbeats, follower fetch long-polls), one simulated hour");
  console.log(`  simulated s / wall s        ${Math.round(idle.simulatedSeconds / idle.wallSeconds)}`);
  console.log(`  events / wall s             ${Math.round(idle.events / idle.wallSeconds)}`);
  await Promise.resolve();
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) void benchEngine();
