/**
 * The scenario arbitrary: producers drawn from configuration presets (or the valid configuration
 * space), a workload, a fault schedule, and a quiet healing phase before the final reads. Generated
 * as small independent parts and assembled by `buildScenario`, so fast-check shrinks each part on its
 * own: fewer operations, fewer faults, fewer producers, simpler configurations.
 */
import fc from "fast-check";
import type { ConfigMap } from "../../model/index.js";
import type { FaultKind } from "../fault.js";
import type { ClientSpec, ClusterSpec, Scenario, Step, TopicSpec } from "../scenario.js";
import { episodeArbitrary, episodeFaults } from "./faults.js";
import { intensityBounds } from "./intensity.js";
import { workloadArbitrary, type WorkloadOperation } from "./workload.js";

export interface ScenarioArbitraryOptions {
  readonly name: string;
  readonly cluster: ClusterSpec;
  readonly topic: TopicSpec;
  /** Producer configurations; shrinking moves toward the first one when built with constantFrom. */
  readonly producerConfig: fc.Arbitrary<ConfigMap>;
  readonly consumerConfig?: ConfigMap;
  readonly maxProducers?: number;
  /** Consumers that poll during the workload (each reads every partition from offset 0). */
  readonly maxConsumers?: number;
  readonly keys?: number;
  readonly maxOperations?: number;
  /** Polls per 4 sends on average (see workload.ts). */
  readonly pollWeight?: number;
  /** 0..1, see intensity.ts. */
  readonly intensity?: number;
  /** Episode kinds to draw from; a target's unsupported kinds must be left out by the caller. */
  readonly faultKinds?: readonly FaultKind[];
  /** Whether the target can cut one client's link alone (default true: the engine can). */
  readonly singleClientLinks?: boolean;
  readonly quietMs?: number;
}

/** The drawn parts of a scenario, before assembly. Kept so tests can look at what was shrunk. */
export interface ScenarioParts {
  readonly seed: number;
  readonly producers: readonly ConfigMap[];
  readonly consumers: number;
  /** Sends, polls and fault episodes, in order. */
  readonly operations: readonly WorkloadOperation[];
}

export interface BuildOptions {
  readonly name: string;
  readonly cluster: ClusterSpec;
  readonly topic: TopicSpec;
  readonly consumerConfig: ConfigMap;
  readonly quietMs: number;
  /** Fault episodes beyond this many are ignored (the intensity's bound). */
  readonly maxEpisodes: number;
  /** Whether one client's link may be cut alone (default true). */
  readonly singleClientLinks?: boolean;
}

const defaultConsumerConfig: ConfigMap = { "isolation.level": "read_uncommitted", "enable.auto.commit": false, "auto.offset.reset": "earliest" };

export function buildScenario(parts: ScenarioParts, options: BuildOptions): Scenario {
  if (parts.producers.length === 0) throw new RangeError("a scenario needs at least one producer");
  const topic = options.topic;
  const producers: ClientSpec[] = parts.producers.map((config, index) => ({ id: `producer-${index}`, role: "producer", config }));
  const consumers: ClientSpec[] = Array.from({ length: parts.consumers }, (_, index) => ({
    id: `consumer-${index}`,
    role: "consumer",
    config: options.consumerConfig,
  }));
  const clients = [...producers, ...consumers];
  const everyPartition = Array.from({ length: topic.partitions }, (_, partition) => ({ topic: topic.name, partition }));

  const timed: Step[] = [];
  for (const consumer of consumers) {
    timed.push({ at: 0, op: "assign", client: consumer.id, partitions: everyPartition });
    for (const partition of everyPartition) timed.push({ at: 0, op: "seek", client: consumer.id, topic: topic.name, partition: partition.partition, offset: 0 });
  }

  // Operations get consecutive times from their gaps; sends get unique values from a per-producer counter.
  const context = { brokers: options.cluster.brokers, partitions: topic.partitions, topic: topic.name, clients: clients.map((client) => client.id), singleClientLinks: options.singleClientLinks ?? true };
  const sequence = new Map<string, number>();
  let episodes = 0;
  let now = 0;
  for (const operation of parts.operations) {
    now += operation.gapMs;
    const action = operation.action;
    if (action.type === "send") {
      const producer = producers[action.producer % producers.length];
      if (producer === undefined) throw new Error("unreachable: producers is not empty");
      const count = sequence.get(producer.id) ?? 0;
      sequence.set(producer.id, count + 1);
      timed.push({ at: now, op: "send", client: producer.id, topic: topic.name, key: `k${action.key}`, value: `${producer.id}/${count}` });
    } else if (action.type === "poll") {
      const consumer = consumers[action.consumer % Math.max(1, consumers.length)];
      if (consumer !== undefined) timed.push({ at: now, op: "poll", client: consumer.id });
    } else {
      const faults = episodes < options.maxEpisodes ? episodeFaults(action.episode.shape, context) : null;
      if (faults === null) continue;
      episodes++;
      timed.push({ at: now, op: "fault", fault: faults.start });
      for (const end of faults.end) timed.push({ at: now + action.episode.durationMs, op: "fault", fault: end });
    }
  }

  // A stable sort keeps the order of steps at equal times: generation order is part of the scenario.
  const steps = timed.map((step, order) => ({ step, order })).sort((a, b) => a.step.at - b.step.at || a.order - b.order).map(({ step }) => step);
  return {
    name: options.name,
    seed: parts.seed,
    cluster: options.cluster,
    topics: [topic],
    clients,
    steps,
    finale: { quietMs: options.quietMs },
  };
}

export function scenarioPartsArbitrary(options: ScenarioArbitraryOptions): fc.Arbitrary<ScenarioParts> {
  const maxConsumers = options.maxConsumers ?? 1;
  const intensity = options.intensity ?? 0.5;
  const episode = episodeArbitrary({ intensity, ...(options.faultKinds === undefined ? {} : { kinds: options.faultKinds }) });
  return fc.record({
    // The seed only picks latencies: shrinking it toward 0 makes nothing simpler and costs many runs.
    seed: fc.noShrink(fc.nat({ max: 0xffff_ffff })),
    producers: fc.array(options.producerConfig, { minLength: 1, maxLength: options.maxProducers ?? 3 }),
    consumers: fc.nat({ max: maxConsumers }),
    operations: workloadArbitrary({
      maxOperations: options.maxOperations ?? 40,
      keys: options.keys ?? 3,
      consumers: maxConsumers,
      pollWeight: options.pollWeight ?? 1,
      episode,
      faultWeight: Math.max(1, Math.round(intensity * 3)),
    }),
  });
}

export function scenarioArbitrary(options: ScenarioArbitraryOptions): fc.Arbitrary<Scenario> {
  const build: BuildOptions = {
    name: options.name,
    cluster: options.cluster,
    topic: options.topic,
    consumerConfig: options.consumerConfig ?? defaultConsumerConfig,
    quietMs: options.quietMs ?? 40_000,
    maxEpisodes: intensityBounds(options.intensity ?? 0.5).maxEpisodes,
    singleClientLinks: options.singleClientLinks ?? true,
  };
  return scenarioPartsArbitrary(options).map((parts) => buildScenario(parts, build));
}

/** How big a scenario is, in the terms a shrunk counterexample is reported in. */
export interface ScenarioSize {
  readonly steps: number;
  readonly sends: number;
  /** Faults that break something (kill, pause, partition, ...). */
  readonly faults: number;
  /** Every fault step, the undoing ones (restart, resume, heal) included. */
  readonly faultSteps: number;
  readonly producers: number;
}

const undoing = new Set(["restart", "resume", "heal"]);

export function scenarioSize(scenario: Scenario): ScenarioSize {
  const faultSteps = scenario.steps.flatMap((step) => (step.op === "fault" ? [step.fault.kind] : []));
  return {
    steps: scenario.steps.length,
    sends: scenario.steps.filter((step) => step.op === "send").length,
    faults: faultSteps.filter((kind) => !undoing.has(kind)).length,
    faultSteps: faultSteps.length,
    producers: scenario.clients.filter((client) => client.role === "producer").length,
  };
}

export function formatScenarioSize(size: ScenarioSize): string {
  return `${size.steps} steps (${size.sends} sends, ${size.faults} faults + ${size.faultSteps - size.faults} restart/resume/heal), ${size.producers} producer(s)`;
}
