/**
 * Runs one scenario on a running container cluster and records its history:
 * topics (unique names per run, fixed placement) -> clients connected -> steps at wall-clock offsets
 * (sends pipelined; faults on a chain of their own, concurrent with the workload) -> finale (heal, resume, restart, group consumers
 * included; settle in-flight operations; quiet period; wait for leaders; the group drain, then group consumers stop cleanly) -> final
 * reads of every partition from its start to its end offset.
 */
import { randomBytes } from "node:crypto";
import type { History } from "../../model/index.js";
import type { Scenario, Step } from "../../chaos/scenario.js";
import { KafkaNemesis, type ClusterControl } from "./nemesis.js";
import { startRunClock, type RunClock } from "./clock.js";
import { consumerSettings, groupSettings, isGroupConsumer, producerSettings } from "./client-config.js";
import { GroupConsumerClient } from "./group/group-client.js";
import { GroupProgress } from "./group/group-progress.js";
import { drainGroups } from "./group/drain.js";
import { ConsumerClient } from "./consumer-client.js";
import { committedFinalReader, finalRead, uncommittedFinalReader } from "./final-read.js";
import { historyHeader } from "../protocol/header.js";
import { nemesisProcess } from "../protocol/processes.js";
import { HarnessAdmin } from "./harness-admin.js";
import { physicalTopicName } from "./placement.js";
import { kafkaForClient, ProducerClient } from "./producer-client.js";
import { TransactionClient } from "./transaction-client.js";
import { isTransactionalProducer } from "../../chaos/validate.js";
import { HistoryRecorder } from "../protocol/recorder.js";
import { kafkajsClient } from "./kafkajs-version.js";
import type { logCreator } from "kafkajs";

export interface RunBounds {
  /** Multiplies every step's `at` (Kafka needs seconds where the engine needs milliseconds). */
  readonly timeScale: number;
  /** After the finale's restoration, how long in-flight sends may take to settle, ms. */
  readonly settleMs: number;
  /** How long to wait for every partition to have a leader, ms. */
  readonly leaderWaitMs: number;
  /** Bound of one final-read attempt, ms. */
  readonly finalReadMs: number;
  readonly harnessAttempts: number;
  /** Upper bound on the finale's quiet period, ms (the scenario's quietMs is used when shorter). */
  readonly maxQuietMs: number;
}

export interface RunContext {
  readonly cluster: ClusterControl;
  readonly logCreator: logCreator;
  readonly bounds: RunBounds;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
}

/**
 * The cluster could not be prepared for the scenario (admin connection, topic creation, leaders for
 * the new topic): nothing of the scenario ran and the history is empty. The target may start a fresh
 * cluster and try again; a failure after the workload started is never retried (it ran once).
 */
export class ClusterSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ClusterSetupError";
  }
}


function sleepUntil(clock: RunClock, atMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(new Error("run aborted"));
  const delay = atMs - clock.nowMs();
  if (delay <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // The listener goes when the sleep ends: one per step would pile up on a long run's signal.
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error("run aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delay);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}


/** The scenario's topics under this run's unique names, both ways. */
interface TopicNames {
  readonly runTag: string;
  physicalTopic(name: string): string;
  scenarioTopic(name: string): string;
  /** A consumer group's id on the cluster: unique per run, so no run sees another's committed offsets. */
  physicalGroup(name: string): string;
}

function topicNames(scenario: Scenario): TopicNames {
  const runTag = randomBytes(4).toString("hex");
  const physical = new Map(scenario.topics.map((topic) => [topic.name, physicalTopicName(topic.name, runTag)]));
  const scenarioNames = new Map([...physical].map(([name, physicalName]) => [physicalName, name]));
  return {
    runTag,
    physicalTopic: (name) => {
      const found = physical.get(name);
      if (found === undefined) throw new Error(`topic '${name}' is not one of the scenario's topics: ${[...physical.keys()].join(", ")}`);
      return found;
    },
    scenarioTopic: (name) => scenarioNames.get(name) ?? name,
    physicalGroup: (name) => `${name}-${runTag}`,
  };
}

/** Setup: every topic created with fixed placement and a leader for each partition, or ClusterSetupError (nothing ran). */
async function createTopics(scenario: Scenario, admin: HarnessAdmin, names: TopicNames, context: RunContext): Promise<Map<string, number[][]>> {
  const { cluster, bounds } = context;
  const assignments = new Map<string, number[][]>();
  const allBrokers = new Set(cluster.brokerIds);
  for (const topic of scenario.topics) {
    const assignment = await admin.createTopic(names.physicalTopic(topic.name), topic, cluster.brokerIds).catch((error: unknown) => {
      throw new ClusterSetupError(`topic ${topic.name} could not be created: ${(error as Error).message}`, { cause: error });
    });
    assignments.set(topic.name, assignment);
    if (!(await admin.waitForLeaders(names.physicalTopic(topic.name), topic.partitions, allBrokers))) {
      throw new ClusterSetupError(`topic ${topic.name}: no leader for every partition within ${bounds.leaderWaitMs} ms after creation`);
    }
  }
  return assignments;
}

/** The scenario's group consumers and what their groups got (the drain's measure). */
interface Groups {
  readonly clients: Map<string, GroupConsumerClient>;
  readonly progress: GroupProgress;
}

/** The scenario's clients, recording into `recorder`; producers connect now, consumers on their first step. */
async function connectClients(scenario: Scenario, recorder: HistoryRecorder, names: TopicNames, context: RunContext, clients: { producers: Map<string, ProducerClient>; transactional: Map<string, TransactionClient>; consumers: Map<string, ConsumerClient>; groups: Groups }): Promise<void> {
  const { cluster } = context;
  for (const client of scenario.clients) {
    if (isGroupConsumer(client)) {
      const settings = groupSettings(client);
      clients.groups.clients.set(
        client.id,
        new GroupConsumerClient({
          spec: client,
          settings,
          physicalGroup: names.physicalGroup(settings.group),
          brokers: cluster.bootstrapServers,
          logCreator: context.logCreator,
          recorder,
          physicalTopic: names.physicalTopic,
          scenarioTopic: names.scenarioTopic,
          progress: clients.groups.progress,
          timeScale: context.bounds.timeScale,
          log: context.log,
        }),
      );
    } else if (isTransactionalProducer(client)) {
      // Connects on its first transaction: kafkajs's connect is initTransactions, a history event.
      const settings = producerSettings(client.id, client.config);
      const kafka = kafkaForClient(client.id, cluster.bootstrapServers, settings, context.logCreator);
      const scale = context.bounds.timeScale;
      clients.transactional.set(client.id, new TransactionClient({ id: client.id, kafka, settings, recorder, physicalTopic: names.physicalTopic, scaleMs: (ms) => ms * scale, log: context.log }));
    } else if (client.role === "producer") {
      const settings = producerSettings(client.id, client.config);
      clients.producers.set(client.id, new ProducerClient({ id: client.id, brokers: cluster.bootstrapServers, settings, logCreator: context.logCreator, recorder, physicalTopic: names.physicalTopic }));
    } else {
      const settings = consumerSettings(client.id, client.config);
      const kafka = kafkaForClient(client.id, cluster.bootstrapServers, { retries: 5, retryBackoffMs: 100, retryBackoffMaxMs: 1000, requestTimeoutMs: settings.requestTimeoutMs }, context.logCreator);
      clients.consumers.set(client.id, new ConsumerClient({ id: client.id, kafka, settings, recorder, groupId: `${client.id}-${names.runTag}`, physicalTopic: names.physicalTopic, scenarioTopic: names.scenarioTopic }));
    }
  }
  await Promise.all([...clients.producers.values()].map((producer) => producer.connect()));
}

/**
 * Finale: restore the cluster, let in-flight operations settle (then abandon them as info), close the
 * clients, a quiet period, leaders for every partition, and the final reads of everything.
 */
async function runFinale(scenario: Scenario, run: { recorder: HistoryRecorder; nemesis: KafkaNemesis; admin: HarnessAdmin; harnessKafka: ReturnType<typeof kafkaForClient>; names: TopicNames; clock: RunClock; producers: Map<string, ProducerClient>; transactional: Map<string, TransactionClient>; consumers: Map<string, ConsumerClient>; groups: Groups }, context: RunContext): Promise<void> {
  const { bounds, log } = context;
  const finaleStarted = performance.now();
  await run.nemesis.restoreAll();
  const settleDeadline = performance.now() + bounds.settleMs;
  for (const producer of run.producers.values()) await producer.settle(Math.max(0, settleDeadline - performance.now()));
  for (const producer of run.transactional.values()) await producer.settle(Math.max(0, settleDeadline - performance.now()));
  for (const consumer of run.consumers.values()) await consumer.settle(Math.max(0, settleDeadline - performance.now()));
  for (const group of run.groups.clients.values()) await group.settle(Math.max(0, settleDeadline - performance.now()));
  const abandoned = run.recorder.abandon("ABANDONED_AFTER_SETTLE");
  await Promise.all([...run.producers.values()].map((producer) => producer.disconnect()));
  await Promise.all([...run.transactional.values()].map((producer) => producer.close()));
  await Promise.all([...run.consumers.values()].map((consumer) => consumer.close()));
  const drainMs = scenario.finale.groupDrainMs ?? 0;
  // Without a drain the group consumers stop now; with one they stay members through the quiet period.
  if (drainMs === 0) await Promise.all([...run.groups.clients.values()].map((group) => group.close()));
  const quietMs = Math.min(scenario.finale.quietMs, bounds.maxQuietMs);
  if (quietMs < scenario.finale.quietMs) log(`kafka: ${scenario.name}: quiet period ${scenario.finale.quietMs} ms capped at ${quietMs} ms (the finale waits for leaders anyway)`);
  await sleepUntil(run.clock, run.clock.nowMs() + quietMs, context.signal);
  const leaderless: string[] = [];
  const allBrokers = new Set(context.cluster.brokerIds);
  for (const topic of scenario.topics) {
    if (!(await run.admin.waitForLeaders(run.names.physicalTopic(topic.name), topic.partitions, allBrokers))) leaderless.push(topic.name);
  }
  if (drainMs > 0 && run.groups.clients.size > 0) await drainThenStop(scenario, run, drainMs, context);
  const readOptions = {
    kafka: run.harnessKafka,
    admin: run.admin,
    recorder: run.recorder,
    topics: scenario.topics.map((topic) => ({ name: topic.name, physical: run.names.physicalTopic(topic.name), partitions: topic.partitions })),
    runTag: run.names.runTag,
    attemptMs: bounds.finalReadMs,
    attempts: bounds.harnessAttempts,
    ...(context.signal ? { signal: context.signal } : {}),
  };
  const outcome = await finalRead({ ...readOptions, reader: uncommittedFinalReader });
  if (run.transactional.size > 0) {
    // read_committed stops at a transaction still open: its coordinator aborts it after transaction.timeout.ms, and the reader's attempts wait for that.
    const committed = await finalRead({ ...readOptions, reader: committedFinalReader });
    log(`kafka: ${scenario.name}: ${committed.records} records read committed${committed.complete ? "" : " (INCOMPLETE)"}`);
  }
  log(
    `kafka: ${scenario.name}: finale in ${Math.round(performance.now() - finaleStarted)} ms: ${abandoned} operations abandoned, ` +
      `${outcome.records} records read finally${outcome.complete ? "" : " (INCOMPLETE)"}${leaderless.length > 0 ? `, leaderless: ${leaderless.join(", ")}` : ""}`,
  );
}

/** The finale's group drain against the end offsets of now, then a clean stop of every group consumer. */
async function drainThenStop(scenario: Scenario, run: { admin: HarnessAdmin; names: TopicNames; groups: Groups }, drainMs: number, context: RunContext): Promise<void> {
  const ends = [];
  for (const topic of scenario.topics) {
    for (const entry of await run.admin.offsets(run.names.physicalTopic(topic.name))) ends.push({ topic: topic.name, partition: entry.partition, endOffset: entry.endOffset });
  }
  const clients = [...run.groups.clients.values()];
  const outcome = await drainGroups(clients, ends, run.groups.progress, drainMs, context.signal);
  await Promise.all(clients.map((group) => group.close()));
  context.log(
    `kafka: ${scenario.name}: group drain ${outcome.ms} ms${outcome.behind.length > 0 ? `, NOT caught up: ${outcome.behind.join(", ")}` : ", every group caught up"}; ` +
      clients.map((group) => `${group.id}: ${group.sessionCount} session(s), ${group.skippedSteps} steps skipped, ${group.droppedBatches} stale batches dropped`).join("; "),
  );
}

/** Leave the cluster whole for the next scenario even when this one failed half-way. */
async function restoreQuietly(nemesis: KafkaNemesis | null, cluster: ClusterControl): Promise<void> {
  if (nemesis === null) return;
  const state = nemesis.state;
  if (state.cuts.length === 0 && state.down.length === 0 && state.paused.length === 0) return;
  await cluster.heal().catch(() => undefined);
  for (const node of state.paused) await cluster.resume(node).catch(() => undefined);
  for (const node of state.down) await cluster.start(node).catch(() => undefined);
}

export async function runScenario(scenario: Scenario, context: RunContext): Promise<History> {
  const { cluster, bounds, log } = context;
  const names = topicNames(scenario);
  const harnessKafka = kafkaForClient(`harness-${names.runTag}`, cluster.bootstrapServers, { retries: 3, retryBackoffMs: 200, retryBackoffMaxMs: 2000, requestTimeoutMs: 10_000 }, context.logCreator);
  const admin = await HarnessAdmin.connect(harnessKafka, { attempts: bounds.harnessAttempts, leaderWaitMs: bounds.leaderWaitMs, ...(context.signal ? { signal: context.signal } : {}) }).catch((error: unknown) => {
    throw new ClusterSetupError(`admin client could not connect: ${(error as Error).message}`, { cause: error });
  });
  const producers = new Map<string, ProducerClient>();
  const transactional = new Map<string, TransactionClient>();
  const consumers = new Map<string, ConsumerClient>();
  const groups: Groups = { clients: new Map(), progress: new GroupProgress() };
  let nemesis: KafkaNemesis | null = null;
  /** The workload's faults, still taking effect: awaited before the cluster is healed, whatever happens. */
  let faultsDone: Promise<void> = Promise.resolve();
  try {
    const setupStarted = performance.now();
    const assignments = await createTopics(scenario, admin, names, context);
    // The clock starts with the workload, so step `at` and history time line up as on the engine.
    let clock: RunClock = startRunClock();
    const recorder = new HistoryRecorder({ nowNs: () => clock.nowNs() });
    await connectClients(scenario, recorder, names, context, { producers, transactional, consumers, groups });
    log(`kafka: ${scenario.name}: topics and clients ready in ${Math.round(performance.now() - setupStarted)} ms`);

    const runNemesis = new KafkaNemesis({
      cluster,
      leaderOf: (topic, partition) => admin.leaderOf(names.physicalTopic(topic), partition),
      coordinatorOf: (group) => admin.coordinatorOf(names.physicalGroup(group)),
      clients: {
        has: (node) => groups.clients.has(node),
        apply: (kind, node) => {
          const client = groups.clients.get(node);
          if (client === undefined) throw new Error(`fault ${kind}: '${node}' is not a group consumer of the scenario`);
          return client.apply(kind);
        },
        finale: () => [...groups.clients.values()].flatMap((client) => client.finaleFaults()),
      },
      log: { invoke: (f, value) => recorder.invoke(nemesisProcess, f, value) },
    });
    nemesis = runNemesis;
    clock = startRunClock();
    const workloadStarted = performance.now();
    faultsDone = runWorkload(scenario, { producers, transactional, consumers, groups: groups.clients, nemesis: runNemesis }, clock, context);
    await faultsDone;
    log(`kafka: ${scenario.name}: ${scenario.steps.length} steps in ${Math.round(performance.now() - workloadStarted)} ms`);

    await runFinale(scenario, { recorder, nemesis: runNemesis, admin, harnessKafka, names, clock, producers, transactional, consumers, groups }, context);
    const events = recorder.close();
    log(`kafka: ${scenario.name}: ${events.length} events`);
    return { header: historyHeader(scenario, { target: "kafka", client: kafkajsClient, brokers: cluster.brokerIds, assignments }), events: [...events] };
  } finally {
    await Promise.all([...producers.values()].map((producer) => producer.disconnect()));
    await Promise.all([...transactional.values()].map((producer) => producer.close()));
    await Promise.all([...consumers.values()].map((consumer) => consumer.close().catch(() => undefined)));
    await Promise.all([...groups.clients.values()].map((group) => group.close().catch(() => undefined)));
    await admin.disconnect();
    // A fault still under way finishes first, or it would undo the healing.
    await faultsDone.catch(() => undefined);
    await restoreQuietly(nemesis, cluster);
  }
}

/**
 * Runs the steps on their schedule. Sends and polls are issued at their time and never wait; faults
 * run on a chain of their own, one after another in scenario order, so a slow fault (a clean stop
 * waits for the broker to exit, a restart for the container) holds back the faults after it but not
 * the workload: the sends due while it takes effect go out on time, against a cluster in transition,
 * instead of in one burst afterwards. The nemesis records each fault's invoke when it starts and its
 * completion when it took effect. Resolves once every step was issued and every fault applied.
 */
async function runWorkload(scenario: Scenario, clients: StepClients, clock: RunClock, context: RunContext): Promise<void> {
  let faults: Promise<void> = Promise.resolve();
  try {
    for (const step of scenario.steps) {
      await sleepUntil(clock, step.at * context.bounds.timeScale, context.signal);
      if (step.op !== "fault") {
        applyStep(step, clients);
        continue;
      }
      const fault = step.fault;
      faults = faults.then(async () => {
        try {
          await clients.nemesis.apply(fault);
        } catch (error) {
          // A fault that could not be applied is recorded (nemesis info) and the workload goes on:
          // the finale restores whatever it left.
          context.log(`kafka: ${scenario.name}: fault ${fault.kind} due at ${step.at} ms failed, recorded as info: ${(error as Error).message}`);
        }
      });
    }
  } finally {
    await faults;
  }
}

interface StepClients {
  readonly producers: ReadonlyMap<string, ProducerClient>;
  readonly transactional: ReadonlyMap<string, TransactionClient>;
  readonly consumers: ReadonlyMap<string, ConsumerClient>;
  readonly groups: ReadonlyMap<string, GroupConsumerClient>;
  readonly nemesis: KafkaNemesis;
}

/** Issues one send, poll, subscribe, assign or seek; any error here is a harness bug and stops the run. */
function applyStep(step: Exclude<Step, { op: "fault" }>, clients: StepClients): void {
  if (step.op === "transaction") {
    const client = clients.transactional.get(step.client);
    if (client === undefined) throw new Error(`step transaction: client '${step.client}' is not a transactional producer of the scenario`);
    client.transaction(step);
    return;
  }
  const group = step.op === "send" ? undefined : clients.groups.get(step.client);
  if (group !== undefined) {
    if (step.op === "poll") group.poll();
    else if (step.op === "subscribe") group.subscribe(step.topics);
    else throw new Error(`step ${step.op}: ${step.client} is a group consumer (it subscribes; assign and seek are refused before the run)`);
    return;
  }
  switch (step.op) {
    case "subscribe":
      throw new Error(`step subscribe: client '${step.client}' is not a group consumer (group.id) of the scenario`);
    case "send": {
      const producer = clients.producers.get(step.client);
      if (producer === undefined) throw new Error(`step send: client '${step.client}' is not a producer of the scenario`);
      producer.send(step.topic, step.key, step.value, step.partition);
      return;
    }
    case "poll":
    case "assign":
    case "seek": {
      const consumer = clients.consumers.get(step.client);
      if (consumer === undefined) throw new Error(`step ${step.op}: client '${step.client}' is not a consumer of the scenario`);
      if (step.op === "poll") consumer.poll();
      else if (step.op === "assign") consumer.assign(step.partitions);
      else consumer.seek(step.topic, step.partition, step.offset);
      return;
    }
  }
}
