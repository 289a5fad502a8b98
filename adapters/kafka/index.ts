/**
 * The real-Kafka target: runs scenarios on Apache Kafka (KRaft) in containers, driven by kafkajs.
 *
 * One cluster serves every scenario of the same shape (brokers, controllers, broker configuration):
 * starting one costs tens of seconds, so it is started on the first run, reused with fresh topic names
 * per scenario (and healed, resumed and restarted between them), and replaced when a scenario needs
 * another shape. `close()` removes every container; so do the fixture's exit and signal handlers.
 */
import { join } from "node:path";
import type { FaultKind } from "../../chaos/fault.js";
import type { ClusterSpec, Scenario } from "../../chaos/scenario.js";
import { validateScenarioShape } from "../../chaos/validate.js";
import { ScenarioError } from "../../chaos/problem.js";
import { kafkaSupportedFaults, type ClusterControl } from "../../chaos/kafka-nemesis/index.js";
import type { History } from "../../model/history/event.js";
import type { RunOptions, Target } from "../target.js";
import { fileLogCreator } from "./kafkajs-log.js";
import { runScenario, type RunBounds } from "./run-scenario.js";

export type ClusterFactory = (spec: ClusterSpec, options: { log: (line: string) => void; signal?: AbortSignal }) => Promise<ClusterControl>;

export interface KafkaTargetOptions {
  /** Container image; default: the fixture's (`KAFKA_IMAGE` or kafka-harness/kafka:local). */
  readonly image?: string;
  /** Multiplies every step's `at` (default 1). */
  readonly timeScale?: number;
  /** Directory for kafkajs's log and the brokers' logs (default runs/kafka/<time>). */
  readonly logDirectory?: string;
  /**
   * Broker settings added to every scenario's, so faults are detected in seconds rather than the
   * defaults' tens of seconds. Scenario settings win over these.
   */
  readonly fastFailover?: Readonly<Record<string, string | number | boolean>>;
  readonly bounds?: Partial<RunBounds>;
  /** Starts a cluster; default: fixtures/cluster. Tests may hand in their own. */
  readonly startCluster?: ClusterFactory;
}

export const defaultFastFailover = {
  "broker.session.timeout.ms": 4000,
  "broker.heartbeat.interval.ms": 500,
  "replica.lag.time.max.ms": 5000,
  "controller.quorum.fetch.timeout.ms": 4000,
  "controller.quorum.election.timeout.ms": 2000,
} as const;

export const defaultBounds: RunBounds = { timeScale: 1, settleMs: 30_000, leaderWaitMs: 60_000, finalReadMs: 60_000, harnessAttempts: 4 };

function sameShape(a: ClusterSpec, b: ClusterSpec): boolean {
  return a.brokers === b.brokers && a.controllers === b.controllers && JSON.stringify(a.broker) === JSON.stringify(b.broker);
}

class KafkaTarget implements Target {
  readonly name = "kafka" as const;
  readonly deterministic = false;
  readonly supportedFaults: ReadonlySet<FaultKind> = kafkaSupportedFaults;
  private cluster: { spec: ClusterSpec; control: ClusterControl } | null = null;
  private readonly bounds: RunBounds;
  private readonly logFile: string;
  readonly logDirectory: string;

  constructor(
    private readonly options: KafkaTargetOptions,
    private readonly startCluster: ClusterFactory,
  ) {
    const timeScale = options.timeScale ?? options.bounds?.timeScale ?? 1;
    if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new Error(`timeScale=${timeScale} is not allowed; allowed: a finite number > 0`);
    this.bounds = { ...defaultBounds, ...options.bounds, timeScale };
    this.logDirectory = logDirectoryOf(options);
    this.logFile = join(this.logDirectory, "kafkajs.log");
  }

  async run(scenario: Scenario, options: RunOptions = {}): Promise<History> {
    const problems = validateScenarioShape(scenario, this.supportedFaults);
    if (problems.length > 0) throw new ScenarioError(problems);
    const log = options.log ?? (() => undefined);
    const control = await this.clusterFor(scenario.cluster, log, options.signal);
    const started = performance.now();
    try {
      return await runScenario(scenario, {
        cluster: control,
        logCreator: fileLogCreator(this.logFile),
        bounds: this.bounds,
        log,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      // A run that failed half-way may leave the cluster in any state: start afresh next time.
      await this.close();
      throw error;
    } finally {
      log(`kafka: ${scenario.name}: run took ${Math.round(performance.now() - started)} ms (kafkajs log: ${this.logFile})`);
    }
  }

  private async clusterFor(spec: ClusterSpec, log: (line: string) => void, signal?: AbortSignal): Promise<ClusterControl> {
    if (this.cluster !== null && sameShape(this.cluster.spec, spec)) return this.cluster.control;
    await this.close();
    const started = performance.now();
    const withFailover: ClusterSpec = { ...spec, broker: { ...defaultFastFailover, ...this.options.fastFailover, ...spec.broker } };
    const control = await this.startCluster(withFailover, { log, ...(signal ? { signal } : {}) });
    log(`kafka: cluster of ${spec.brokers} brokers and ${spec.controllers} controllers started in ${Math.round(performance.now() - started)} ms`);
    this.cluster = { spec, control };
    return control;
  }

  async close(): Promise<void> {
    const current = this.cluster;
    this.cluster = null;
    if (current !== null) await current.control.close();
  }
}

function logDirectoryOf(options: KafkaTargetOptions): string {
  return options.logDirectory ?? join("runs", "kafka", new Date().toISOString().replace(/[:.]/g, "-"));
}

export async function createKafkaTarget(options: KafkaTargetOptions = {}): Promise<Target> {
  const logDirectory = logDirectoryOf(options);
  const factory = options.startCluster ?? (await import("./cluster-from-fixture.js")).fixtureClusterFactory(options.image, join(logDirectory, "brokers.log"));
  return new KafkaTarget({ ...options, logDirectory }, factory);
}

export { kafkaSupportedFaults } from "../../chaos/kafka-nemesis/index.js";
export { replicaAssignment, physicalTopicName } from "./placement.js";
