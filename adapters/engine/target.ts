/**
 * The engine target: turns a scenario into simulated clients and faults on a fresh simulation and
 * records the history in the shared format. Deterministic: the scenario (with its seed) and the
 * planted bugs decide every byte of the history.
 */
import type { History } from "../../model/index.js";
import type { PlantedBug, NetworkOptions, Simulation, SimulationOptions } from "../../engine/api.js";
import type { FaultKind } from "../../chaos/fault.js";
import { allFaultKinds } from "../../chaos/fault.js";
import type { Scenario } from "../../chaos/scenario.js";
import type { RunOptions, Target } from "../target.js";
import { clusterNodes } from "../../chaos/nodes.js";
import { describeFault, nemesisFunction } from "../../chaos/describe-fault.js";
import { validateScenarioShape } from "../../chaos/validate.js";
import { ScenarioError } from "../../chaos/problem.js";
import { refuseUnmodelled, scenarioSites } from "./unmodelled.js";
import { HistoryRecorder } from "../protocol/recorder.js";
import { historyHeader } from "../protocol/header.js";
import { finalCommittedReaderConfig, finalReaderConfig, nemesisProcess, observerProcess } from "../protocol/processes.js";
import { isTransactionalProducer } from "../../chaos/validate.js";
import { engineClient } from "../harness-version.js";
import { EngineNemesis } from "./nemesis.js";
import { ClientDriver } from "./clients.js";
import { finalRead, defaultFinalReadBounds, committedFinalReader, uncommittedFinalReader } from "./final-read.js";
import { drainGroups, offsetsPartitions } from "./group-drain.js";

export interface EngineTargetOptions {
  /** Bugs switched on in every simulation this target creates (recorded in counterexample files). */
  readonly plantedBugs?: readonly PlantedBug[];
  readonly network?: Partial<NetworkOptions>;
  /** Simulated ms to wait for topics and leaders before the workload starts. */
  readonly setupWaitMs?: number;
  /** Simulated ms to wait after the quiet phase for clients' operations to finish. */
  readonly drainWaitMs?: number;
}

export type SimulationFactory = (options: SimulationOptions) => Simulation;


/** Kafka's default transaction.timeout.ms: an abandoned transaction is aborted by its coordinator after it. */
const defaultTransactionTimeoutMs = 60_000;
/** Kafka's default transaction.abort.timed.out.transaction.cleanup.interval.ms: how often a coordinator looks for them. */
const defaultCleanupIntervalMs = 10_000;

/** Simulated ms after which every abandoned transaction of the scenario was aborted by its coordinator (its timeout, plus the coordinator's check interval). */
function transactionSettleMs(scenario: Scenario): number {
  let longest = 0;
  for (const client of scenario.clients) {
    if (!isTransactionalProducer(client)) continue;
    const timeout = Number(client.config["transaction.timeout.ms"] ?? defaultTransactionTimeoutMs);
    longest = Math.max(longest, Number.isFinite(timeout) ? timeout : defaultTransactionTimeoutMs);
  }
  const interval = Number(scenario.cluster.broker["transaction.abort.timed.out.transaction.cleanup.interval.ms"] ?? defaultCleanupIntervalMs);
  // Two seconds more for the abort's markers to be written and replicated.
  return longest + (Number.isFinite(interval) ? interval : defaultCleanupIntervalMs) + 2_000;
}

export class EngineTarget implements Target {
  readonly name = "engine" as const;
  readonly deterministic = true;
  readonly supportedFaults: ReadonlySet<FaultKind> = new Set(allFaultKinds);
  readonly singleClientLinks = true;
  readonly plantedBugs: readonly PlantedBug[];

  constructor(
    private readonly createSimulation: SimulationFactory,
    private readonly options: EngineTargetOptions = {},
  ) {
    this.plantedBugs = [...(options.plantedBugs ?? [])];
  }

  async run(scenario: Scenario, options: RunOptions = {}): Promise<History> {
    const problems = validateScenarioShape(scenario, this.supportedFaults, { singleClientLinks: this.singleClientLinks });
    if (problems.length > 0) throw new ScenarioError(problems);
    // Before the simulation exists: a key the engine would not model must not run as if it did.
    refuseUnmodelled(scenarioSites(scenario));
    if (options.signal?.aborted) throw new Error("run aborted before it started");
    return this.runValid(scenario, options);
  }

  private runValid(scenario: Scenario, options: RunOptions): History {
    const simulation = this.createSimulation({
      seed: scenario.seed,
      brokers: scenario.cluster.brokers,
      controllers: scenario.cluster.controllers,
      kafkaVersion: scenario.cluster.kafkaVersion,
      broker: scenario.cluster.broker,
      ...(this.options.network === undefined ? {} : { network: this.options.network }),
      plantedBugs: this.plantedBugs,
    });
    const recorder = new HistoryRecorder({ nowNs: () => Math.round(simulation.nowMs * 1e6) });
    simulation.onCoordinator((observation) => {
      const { kind, ...value } = observation;
      recorder.note(observerProcess, "info", kind, value);
    });
    const scenarioTopics = new Set(scenario.topics.map((topic) => topic.name));
    simulation.onElection((election) => {
      // Elections of Kafka's internal __consumer_offsets are not about the history's records (the
      // coordinator's failovers show in its group-generation events instead).
      if (!scenarioTopics.has(election.topic)) return;
      recorder.note(observerProcess, "info", "leader-elected", {
        topic: election.topic,
        partition: election.partition,
        leader: election.leader,
        epoch: election.epoch,
        unclean: election.unclean,
      });
    });

    simulation.onTransactionMarker((marker) => {
      // Markers on __consumer_offsets (offsets committed in a transaction) are not about the history's records.
      if (!scenarioTopics.has(marker.topic)) return;
      const { topic, partition, transactionalId, producerId, epoch, offset, commit } = marker;
      recorder.note(observerProcess, "info", "txn-marker", { topic, partition, transactionalId, producerId, epoch, offset, commit });
    });

    const setupWaitMs = this.options.setupWaitMs ?? 30_000;
    let created = 0;
    const failures: string[] = [];
    for (const topic of scenario.topics) {
      simulation.createTopic({ name: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, config: topic.config }, (result) => {
        if (result.type === "ok") created++;
        else failures.push(`${topic.name}: ${result.error}`);
      });
    }
    simulation.runUntilCondition(() => created + failures.length === scenario.topics.length, setupWaitMs);
    if (failures.length > 0 || created !== scenario.topics.length) {
      throw new Error(`the engine did not create the topics within ${setupWaitMs} simulated ms: ${failures.join("; ") || "no answer"}`);
    }
    const everyLeader = (): boolean =>
      scenario.topics.every((topic) => simulation.describe(topic.name).length === topic.partitions && simulation.describe(topic.name).every((partition) => partition.leader !== null));
    if (!simulation.runUntilCondition(everyLeader, setupWaitMs)) throw new Error(`the engine elected no leader for every partition within ${setupWaitMs} simulated ms`);

    const header = historyHeader(scenario, {
      target: "engine",
      client: engineClient,
      brokers: Array.from({ length: scenario.cluster.brokers }, (_, index) => index + 1),
      assignments: new Map(scenario.topics.map((topic) => [topic.name, simulation.describe(topic.name).map((partition) => partition.replicas)])),
    });
    const driver = new ClientDriver(simulation, recorder);
    for (const client of scenario.clients) driver.create(client);
    const groups = driver.groups;
    const clientProcesses = {
      owns: (node: string) => groups.has(node),
      crash: (node: string) => groups.crash(node),
      restart: (node: string) => groups.restart(node),
      pause: (node: string) => groups.pause(node),
      resume: (node: string) => groups.resume(node),
    };
    const nemesis = new EngineNemesis(simulation, clusterNodes(scenario.cluster), scenario.clients.map((client) => client.id), offsetsPartitions(scenario), clientProcesses);

    const start = simulation.nowMs;
    for (const step of scenario.steps) {
      simulation.schedule(start + step.at, () => {
        if (step.op === "fault") {
          recorder.invoke(nemesisProcess, nemesisFunction(step.fault), { description: describeFault(step.fault) }).complete("ok", nemesis.apply(step.fault));
        } else {
          driver.apply(step);
        }
      });
    }
    const lastStep = scenario.steps.at(-1)?.at ?? 0;
    simulation.runUntil(start + lastStep);
    if (options.signal?.aborted) throw new Error("run aborted");

    // Finale: heal, resume, restart; a quiet phase; let clients finish; then read everything.
    const finale = nemesis.finale();
    for (const fault of finale) {
      recorder.invoke(nemesisProcess, nemesisFunction(fault), { description: `finale: ${describeFault(fault)}` }).complete("ok", nemesis.apply(fault));
    }
    simulation.runUntil(simulation.nowMs + scenario.finale.quietMs);
    drainGroups(simulation, groups, scenario);
    simulation.runUntilCondition(() => driver.outstandingCount === 0 && driver.transactions.busyCount === 0, this.options.drainWaitMs ?? 20_000);
    driver.closeAll();
    finalRead(simulation, recorder, driver, scenario.topics, finalReaderConfig, defaultFinalReadBounds, uncommittedFinalReader);
    if (scenario.clients.some(isTransactionalProducer)) {
      // Transactions left open by closed producers end by the coordinator's timeout; the committed
      // reader reads after them (it stops at the first open transaction of a partition).
      simulation.runUntil(simulation.nowMs + transactionSettleMs(scenario));
      finalRead(simulation, recorder, driver, scenario.topics, finalCommittedReaderConfig, defaultFinalReadBounds, committedFinalReader);
    }
    driver.finish();
    options.log?.(`engine: ${recorder.events.length} events, ${driver.skippedPolls + groups.skippedPolls} polls skipped (consumer busy)`);
    return { header, events: [...recorder.events] };
  }

  async close(): Promise<void> {
    // The engine holds nothing outside this process.
  }
}

