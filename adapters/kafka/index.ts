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
import { kafkaSupportedFaults, type ClusterControl } from "./nemesis.js";
import type { History } from "../../model/index.js";
import type { RunOptions, Target } from "../target.js";
import { fileLogCreator } from "./kafkajs-log.js";
import { ClusterSetupError, runScenario, type RunBounds } from "./run-scenario.js";
import { kafkaCannotRun } from "./runnable.js";
import { guardProcessContainers } from "./interrupt-cleanup.js";

export type { ClusterFactory } from "./cluster-control.js";
import type { ClusterFactory } from "./cluster-control.js";

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
  /** Starts a cluster; default: adapters/kafka/cluster. Tests may hand in their own. */
  readonly startCluster?: ClusterFactory;
  /**
   * With the default cluster factory: before anything else, make sure a Docker engine answers and the
   * image exists (adapters/kafka/cluster/prepare-environment.ts runs the scripts test:kafka runs). Default true.
   */
  readonly prepareEnvironment?: boolean;
  /** The preparation's progress lines; default: stderr. */
  readonly progress?: (line: string) => void;
}

export const defaultFastFailover = {
  "broker.session.timeout.ms": 4000,
  "broker.heartbeat.interval.ms": 500,
  "replica.lag.time.max.ms": 5000,
  "controller.quorum.fetch.timeout.ms": 4000,
  "controller.quorum.election.timeout.ms": 2000,
} as const;

/**
 * maxQuietMs: engine scenarios ask for long quiet periods (40 s of simulated time costs nothing there);
 * on containers the finale waits for a leader on every partition anyway, so a longer quiet only costs
 * wall time.
 */
export const defaultBounds: RunBounds = { timeScale: 1, settleMs: 30_000, leaderWaitMs: 60_000, finalReadMs: 60_000, harnessAttempts: 4, maxQuietMs: 10_000 };

function sameShape(a: ClusterSpec, b: ClusterSpec): boolean {
  return a.brokers === b.brokers && a.controllers === b.controllers && JSON.stringify(a.broker) === JSON.stringify(b.broker);
}

class KafkaTarget implements Target {
  readonly name = "kafka" as const;
  readonly deterministic = false;
  readonly supportedFaults: ReadonlySet<FaultKind> = kafkaSupportedFaults;
  readonly singleClientLinks = false;
  private cluster: { spec: ClusterSpec; control: ClusterControl } | null = null;
  /** Clusters started so far: a command says "containers removed" only when there were some. */
  clustersStarted = 0;
  private readonly bounds: RunBounds;
  private readonly logFile: string;
  readonly logDirectory: string;
  /** Removes the Ctrl-C handler; null once closed. */
  private unguard: (() => void) | null;
  /**
   * Runs under way, so close() can stop them first: a caller that gives up on a run (fast-check's time
   * limit does not wait for the property) must not leave kafkajs clients retrying against a cluster
   * that is being removed.
   */
  private readonly running = new Set<{ readonly controller: AbortController; readonly done: Promise<unknown> }>();
  static readonly closeWaitMs = 60_000;

  constructor(
    private readonly options: KafkaTargetOptions,
    private readonly startCluster: ClusterFactory,
  ) {
    const timeScale = options.timeScale ?? options.bounds?.timeScale ?? 1;
    if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new Error(`timeScale=${timeScale} is not allowed; allowed: a finite number > 0`);
    this.bounds = { ...defaultBounds, ...options.bounds, timeScale };
    this.logDirectory = logDirectoryOf(options);
    this.logFile = join(this.logDirectory, "kafkajs.log");
    this.unguard = guardProcessContainers();
  }

  async run(scenario: Scenario, options: RunOptions = {}): Promise<History> {
    const problems = validateScenarioShape(scenario, this.supportedFaults, { singleClientLinks: this.singleClientLinks });
    if (problems.length > 0) throw new ScenarioError(problems);
    // Before any container starts: a client configuration kafkajs cannot express fails here, not half-way.
    const reason = kafkaCannotRun(scenario);
    if (reason !== null) throw new Error(`not runnable on kafka: ${reason}`);
    if (this.unguard === null) this.unguard = guardProcessContainers();
    const log = options.log ?? (() => undefined);
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    if (options.signal?.aborted === true) controller.abort();
    const started = performance.now();
    const work = (async () => {
      const attempt = async (): Promise<History> => {
        const control = await this.clusterFor(scenario.cluster, log, controller.signal);
        return runScenario(scenario, { cluster: control, logCreator: fileLogCreator(this.logFile), bounds: this.bounds, log, signal: controller.signal });
      };
      try {
        return await attempt();
      } catch (error) {
        // A cluster that cannot host a new topic after earlier faults (a broker still fenced, say) is
        // replaced once; nothing of the scenario ran, so running it again is the same scenario.
        if (!(error instanceof ClusterSetupError) || controller.signal.aborted) throw error;
        log(`kafka: ${scenario.name}: ${error.message}; starting a fresh cluster and trying once more`);
        await this.stopCluster();
        return attempt();
      }
    })();
    const entry = { controller, done: work.catch(() => undefined) };
    this.running.add(entry);
    try {
      return await work;
    } catch (error) {
      // A run that failed half-way may leave the cluster in any state: start afresh next time.
      await this.stopCluster();
      throw error;
    } finally {
      this.running.delete(entry);
      options.signal?.removeEventListener("abort", abort);
      log(`kafka: ${scenario.name}: run took ${Math.round(performance.now() - started)} ms (kafkajs log: ${this.logFile})`);
    }
  }

  private async clusterFor(spec: ClusterSpec, log: (line: string) => void, signal?: AbortSignal): Promise<ClusterControl> {
    if (this.cluster !== null && sameShape(this.cluster.spec, spec)) return this.cluster.control;
    await this.stopCluster();
    const started = performance.now();
    const withFailover: ClusterSpec = { ...spec, broker: { ...defaultFastFailover, ...this.options.fastFailover, ...spec.broker } };
    const control = await this.startCluster(withFailover, { log, ...(signal ? { signal } : {}) });
    this.clustersStarted++;
    log(`kafka: cluster of ${spec.brokers} brokers and ${spec.controllers} controllers started in ${Math.round(performance.now() - started)} ms`);
    this.cluster = { spec, control };
    return control;
  }

  /** Removal under way: a second caller (close() while a failed run cleans up) waits for the same one. */
  private stopping: Promise<void> = Promise.resolve();

  private async stopCluster(): Promise<void> {
    const current = this.cluster;
    this.cluster = null;
    if (current === null) {
      // Someone else's removal: wait for it; its failure is theirs to report.
      await this.stopping.catch(() => undefined);
      return;
    }
    this.stopping = this.stopping.catch(() => undefined).then(() => current.control.close());
    await this.stopping;
  }

  async close(): Promise<void> {
    try {
      const running = [...this.running];
      for (const entry of running) entry.controller.abort();
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, KafkaTarget.closeWaitMs);
      });
      await Promise.race([Promise.all(running.map((entry) => entry.done)), bound]);
      clearTimeout(timer);
      await this.stopCluster();
    } finally {
      this.unguard?.();
      this.unguard = null;
    }
  }
}

function logDirectoryOf(options: KafkaTargetOptions): string {
  return options.logDirectory ?? join("runs", "kafka", new Date().toISOString().replace(/[:.]/g, "-"));
}

export async function createKafkaTarget(options: KafkaTargetOptions = {}): Promise<Target> {
  const logDirectory = logDirectoryOf(options);
  let image = options.image;
  if (options.startCluster === undefined && options.prepareEnvironment !== false) {
    const { prepareKafkaEnvironment } = await import("./cluster/prepare-environment.js");
    const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
    image = await prepareKafkaEnvironment({ progress, ...(image === undefined ? {} : { image }) });
  }
  const factory = options.startCluster ?? (await import("./cluster-from-containers.js")).containerClusterFactory(image, join(logDirectory, "brokers.log"));
  return new KafkaTarget({ ...options, logDirectory }, factory);
}

/** The line a command ends a Kafka run with: what was removed, or nothing when no cluster ever started. */
export function kafkaCleanupLine(target: Target): string | null {
  if (!(target instanceof KafkaTarget) || target.clustersStarted === 0) return null;
  return `${target.clustersStarted === 1 ? "the cluster's" : `${target.clustersStarted} clusters'`} containers removed`;
}

export { kafkaSupportedFaults } from "./nemesis.js";
export { kafkaCannotRun, kafkaClientProblem } from "./runnable.js";
export { removeOwnedContainersSync } from "./interrupt-cleanup.js";
export { replicaAssignment, physicalTopicName } from "./placement.js";
