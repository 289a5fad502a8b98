import { createSimulation, type PollResult, type SendResult, type Simulation, type SimulationOptions } from "../index.js";

/** Shared scaffolding for the engine's scripted tests: a cluster with one topic, ready to use. */
export function cluster(overrides: Partial<SimulationOptions> = {}): Simulation {
  return createSimulation({ seed: 1, brokers: 3, controllers: 0, kafkaVersion: "4.1.0", broker: {}, ...overrides });
}

export function createTopic(
  simulation: Simulation,
  name: string,
  partitions: number,
  replicationFactor: number,
  config: Record<string, string | number | boolean> = {},
): void {
  let result: { type: string; error?: string } | undefined;
  simulation.createTopic({ name, partitions, replicationFactor, config }, (outcome) => (result = outcome));
  // Brokers register and get unfenced within a heartbeat or two.
  simulation.runUntil(simulation.nowMs + 5_000);
  if (result === undefined) throw new Error("createTopic did not complete");
  if (result.type !== "ok") throw new Error(`createTopic failed: ${result.error}`);
}

export function sendAll(simulation: Simulation, producer: { send: (record: { topic: string; key: string | null; value: string; partition?: number }, done: (result: SendResult) => void) => void }, records: { topic: string; key: string | null; value: string; partition?: number }[], maxMs = 200_000): SendResult[] {
  const results: (SendResult | undefined)[] = records.map(() => undefined);
  records.forEach((record, index) => producer.send(record, (result) => {
    if (results[index] !== undefined) throw new Error(`callback of ${record.value} fired twice`);
    results[index] = result;
  }));
  simulation.runUntilCondition(() => results.every((result) => result !== undefined), maxMs);
  return results.map((result, index) => {
    if (result === undefined) throw new Error(`send ${records[index]!.value} never completed`);
    return result;
  });
}

export function pollOnce(simulation: Simulation, consumer: { poll: (done: (result: PollResult) => void) => void }): PollResult {
  let result: PollResult | undefined;
  consumer.poll((outcome) => (result = outcome));
  simulation.runUntilCondition(() => result !== undefined, 120_000);
  if (result === undefined) throw new Error("poll never completed");
  return result;
}

/** Reads partitions from the beginning until `patience` polls in a row bring nothing new. */
export function readAll(
  simulation: Simulation,
  topic: string,
  partitions: number,
  id = `reader-${Math.round(simulation.nowMs)}`,
  patience = 3,
): { partition: number; offset: number; value: string; key: string | null }[] {
  const consumer = simulation.consumer(id, { "auto.offset.reset": "earliest" });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const records: { partition: number; offset: number; value: string; key: string | null }[] = [];
  for (let empty = 0, round = 0; empty < patience && round < 1_000; round++) {
    const result = pollOnce(simulation, consumer);
    if (result.type !== "ok") throw new Error(`poll failed: ${result.error}`);
    if (result.records.length === 0) empty++;
    for (const record of result.records) records.push({ partition: record.partition, offset: record.offset, value: record.value, key: record.key });
  }
  consumer.close();
  return records;
}
