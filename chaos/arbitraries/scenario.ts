/**
 * The scenario arbitrary: producers drawn from configuration presets (or the valid configuration
 * space), a workload, a fault schedule, and a quiet healing phase before the final reads. Generated
 * as small independent parts and assembled by `buildScenario`, so fast-check shrinks each part on its
 * own: fewer operations, fewer faults, fewer producers, simpler configurations.
 */
import fc from "fast-check";
import type { ConfigMap } from "../../model/index.js";
import type { GroupPreset } from "../presets/groups.js";
import { groupIds } from "../presets/groups.js";
import type { TransactionPreset } from "../presets/transactions.js";
import { transactionalIdOf } from "../presets/transactions.js";
import type { GroupEpisodeKind } from "./faults.js";
import type { FaultKind } from "../fault.js";
import type { ClientSpec, ClusterSpec, Scenario, Step, TopicSpec, TransactionSend } from "../scenario.js";
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
  /** Group consumers instead of manually assigned ones (see chaos/presets/groups.ts). */
  readonly group?: GroupPreset;
  /** Group episode kinds to draw when `group` is set. */
  readonly groupFaultKinds?: readonly GroupEpisodeKind[];
  /** Transactional producers: their sends are grouped into transaction steps (see chaos/presets/transactions.ts). */
  readonly transactions?: TransactionPreset;
}

/** The drained group's budget after the quiet phase (Scenario.finale.groupDrainMs). */
export const defaultGroupDrainMs = 20_000;

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
  readonly group?: GroupPreset;
  readonly transactions?: TransactionPreset;
}

const defaultConsumerConfig: ConfigMap = { "isolation.level": "read_uncommitted", "enable.auto.commit": false, "auto.offset.reset": "earliest" };

export function buildScenario(parts: ScenarioParts, options: BuildOptions): Scenario {
  if (parts.producers.length === 0) throw new RangeError("a scenario needs at least one producer");
  const topic = options.topic;
  const transactions = options.transactions;
  const producers: ClientSpec[] = parts.producers.map((config, index) => ({
    id: `producer-${index}`,
    role: "producer",
    config: transactions === undefined ? config : { ...config, "transactional.id": transactionalIdOf(transactions, index) },
  }));
  const batches = new TransactionBatches(transactions);
  const group = options.group;
  const consumers: ClientSpec[] = group === undefined ? manualConsumers(parts.consumers, options.consumerConfig) : groupConsumers(parts.consumers, group);
  const clients = [...producers, ...consumers];
  const everyPartition = Array.from({ length: topic.partitions }, (_, partition) => ({ topic: topic.name, partition }));

  const timed: Step[] = [];
  consumers.forEach((consumer, index) => {
    if (group !== undefined) {
      // Members join one after another, so the group rebalances as it grows.
      timed.push({ at: index * 300, op: "subscribe", client: consumer.id, topics: [topic.name] });
      return;
    }
    timed.push({ at: 0, op: "assign", client: consumer.id, partitions: everyPartition });
    for (const partition of everyPartition) timed.push({ at: 0, op: "seek", client: consumer.id, topic: topic.name, partition: partition.partition, offset: 0 });
  });

  // Operations get consecutive times from their gaps; sends get unique values from a per-producer counter.
  const context = {
    brokers: options.cluster.brokers,
    partitions: topic.partitions,
    topic: topic.name,
    clients: clients.map((client) => client.id),
    singleClientLinks: options.singleClientLinks ?? true,
    groupConsumers: group === undefined ? [] : consumers.map((consumer) => consumer.id),
    groups: [...new Set(consumers.map((consumer) => String(consumer.config["group.id"] ?? "")).filter((id) => id.length > 0))],
  };
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
      const send = { topic: topic.name, key: `k${action.key}`, value: `${producer.id}/${count}` };
      if (transactions === undefined) timed.push({ at: now, op: "send", client: producer.id, ...send });
      else batches.add(producer.id, send, now, timed);
    } else if (action.type === "poll") {
      const index = action.consumer % Math.max(1, consumers.length);
      const consumer = consumers[index];
      // A group consumer polls only after it subscribed (at index * 300 ms).
      if (consumer !== undefined) timed.push({ at: group === undefined ? now : Math.max(now, index * 300), op: "poll", client: consumer.id });
    } else {
      const faults = episodes < options.maxEpisodes ? episodeFaults(action.episode.shape, context) : null;
      if (faults === null) continue;
      episodes++;
      timed.push({ at: now, op: "fault", fault: faults.start });
      for (const end of faults.end) timed.push({ at: now + action.episode.durationMs, op: "fault", fault: end });
    }
  }

  batches.flush(now, timed);

  // A stable sort keeps the order of steps at equal times: generation order is part of the scenario.
  const steps = timed.map((step, order) => ({ step, order })).sort((a, b) => a.step.at - b.step.at || a.order - b.order).map(({ step }) => step);
  return {
    name: options.name,
    seed: parts.seed,
    cluster: options.cluster,
    topics: [topic],
    clients,
    steps,
    finale: group === undefined || consumers.length === 0 ? { quietMs: options.quietMs } : { quietMs: options.quietMs, groupDrainMs: defaultGroupDrainMs },
  };
}

/**
 * Groups a transactional producer's generated sends into transaction steps: a transaction closes at
 * the send that fills it (`sendsPerTransaction`), the rest close at the end of the workload; every
 * `abortEvery`-th transaction of a producer aborts. Deterministic in the operations, so shrinking
 * fewer operations means fewer and smaller transactions.
 */
class TransactionBatches {
  private readonly open = new Map<string, TransactionSend[]>();
  private readonly ended = new Map<string, number>();

  constructor(private readonly preset: TransactionPreset | undefined) {}

  add(client: string, send: TransactionSend, now: number, steps: Step[]): void {
    const sends = this.open.get(client) ?? [];
    sends.push(send);
    this.open.set(client, sends);
    if (this.preset !== undefined && sends.length >= this.preset.sendsPerTransaction) this.close(client, now, steps);
  }

  flush(now: number, steps: Step[]): void {
    for (const client of [...this.open.keys()]) this.close(client, now, steps);
  }

  private close(client: string, now: number, steps: Step[]): void {
    const sends = this.open.get(client);
    const preset = this.preset;
    if (sends === undefined || sends.length === 0 || preset === undefined) return;
    this.open.delete(client);
    const number = this.ended.get(client) ?? 0;
    this.ended.set(client, number + 1);
    const abort = preset.abortEvery > 0 && number % preset.abortEvery === preset.abortEvery - 1;
    steps.push({ at: now, op: "transaction", client, sends, end: abort ? "abort" : "commit", ...(preset.endAfterMs === 0 ? {} : { endAfterMs: preset.endAfterMs }) });
  }
}

function manualConsumers(count: number, config: ConfigMap): ClientSpec[] {
  return Array.from({ length: count }, (_, index) => ({ id: `consumer-${index}`, role: "consumer", config }));
}

/** Members of the main group, and (the preset's otherGroup) the last consumer in a second group. */
function groupConsumers(count: number, group: GroupPreset): ClientSpec[] {
  return Array.from({ length: count }, (_, index): ClientSpec => {
    const other = group.otherGroup && count > 1 && index === count - 1;
    return {
      id: `consumer-${index}`,
      role: "consumer",
      config: { ...group.consumer, "group.id": other ? groupIds.other : groupIds.main },
      commitMode: group.commitMode,
      processingMs: group.processingMs,
    };
  });
}

export function scenarioPartsArbitrary(options: ScenarioArbitraryOptions): fc.Arbitrary<ScenarioParts> {
  const maxConsumers = options.maxConsumers ?? 1;
  const intensity = options.intensity ?? 0.5;
  const groupKinds = options.group === undefined ? [] : (options.groupFaultKinds ?? []);
  const episode = episodeArbitrary({ intensity, groupKinds, ...(options.faultKinds === undefined ? {} : { kinds: options.faultKinds }) });
  return fc.record({
    // The seed only picks latencies: shrinking it toward 0 makes nothing simpler and costs many runs.
    seed: fc.noShrink(fc.nat({ max: 0xffff_ffff })),
    producers: fc.array(options.producerConfig, { minLength: 1, maxLength: options.maxProducers ?? 3 }),
    // A group scenario has at least one member: a group without consumers judges nothing.
    consumers: options.group === undefined ? fc.nat({ max: maxConsumers }) : fc.integer({ min: 1, max: Math.max(1, maxConsumers) }),
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
    ...(options.group === undefined ? {} : { group: options.group }),
    ...(options.transactions === undefined ? {} : { transactions: options.transactions }),
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
    sends: scenario.steps.reduce((count, step) => count + (step.op === "send" ? 1 : step.op === "transaction" ? step.sends.length : 0), 0),
    faults: faultSteps.filter((kind) => !undoing.has(kind)).length,
    faultSteps: faultSteps.length,
    producers: scenario.clients.filter((client) => client.role === "producer").length,
  };
}

export function formatScenarioSize(size: ScenarioSize): string {
  return `${size.steps} steps (${size.sends} sends, ${size.faults} faults + ${size.faultSteps - size.faults} restart/resume/heal), ${size.producers} producer(s)`;
}
