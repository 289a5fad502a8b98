import type {
  CoordinatorObservation,
  GroupConsumer,
  Consumer,
  Election,
  EngineConfig,
  EngineRecord,
  EngineTopicPartition,
  PartitionState,
  PlantedBug,
  Producer,
  ReplicaView,
  Simulation,
  SimulationOptions,
  TransactionalProducer,
  TransactionMarkerObservation,
} from "./api.js";
import { EngineUsageError } from "./api.js";
import { Broker } from "./broker/broker.js";
import { readBrokerSettings } from "./broker/settings.js";
import { AdminClient } from "./client/admin.js";
import { ConsumerClient } from "./client/consumer.js";
import { readConsumerSettings } from "./client/consumer-settings.js";
import { GroupConsumerClient } from "./group/client/group-consumer.js";
import { readGroupConsumerSettings } from "./group/client/group-consumer-settings.js";
import { offsetsTopic } from "./protocol/group-messages.js";
import { transactionStateTopic } from "./protocol/transaction-messages.js";
import { TransactionalProducerClient } from "./transaction/client/transactional-producer.js";
import { ProducerClient } from "./client/producer.js";
import { readProducerSettings } from "./client/producer-settings.js";
import { parseKafkaVersion } from "./config.js";
import { brokerNodeName, type EngineContext } from "./context.js";
import { Controller, readPartitionStates } from "./controller/controller.js";
import { Network, defaultNetworkOptions } from "./network/network.js";
import { SimulatedNode } from "./network/node.js";
import { plantedBugs } from "./planted-bugs.js";
import type { Message } from "./protocol/messages.js";
import { assert } from "./simulation/assert.js";
import { Random } from "./simulation/random.js";
import { Scheduler } from "./simulation/scheduler.js";
import { Trace } from "./simulation/trace.js";
import { Disk } from "./storage/disk.js";

const eventQueueCapacity = 50_000_000;
const maxBrokers = 100;
const maxClients = 10_000;

type NodeEntry =
  | { readonly role: "server"; readonly node: SimulatedNode; readonly disk: Disk; readonly brokerId: number | null; readonly hostsController: boolean; broker: Broker | null; controller: Controller | null }
  | { readonly role: "client"; readonly node: SimulatedNode; readonly client: ProducerClient | ConsumerClient | GroupConsumerClient | TransactionalProducerClient | AdminClient };

/**
 * The simulated cluster: brokers, a controller, clients, one network and one clock. Every callback
 * fires from inside runUntil/runUntilCondition; nothing reads real time or Math.random().
 */
export class EngineSimulation implements Simulation {
  private readonly scheduler = new Scheduler(eventQueueCapacity);
  private readonly random: Random;
  private readonly traceLog: Trace;
  private readonly network: Network<Message>;
  private readonly context: EngineContext;
  private readonly entries = new Map<string, NodeEntry>();
  private readonly order: string[] = [];
  private readonly electionListeners: ((election: Election) => void)[] = [];
  private readonly coordinatorListeners: ((observation: CoordinatorObservation) => void)[] = [];
  private readonly transactionMarkerListeners: ((marker: TransactionMarkerObservation) => void)[] = [];
  /** Created with the first group consumer (Kafka creates it on the first FindCoordinator). */
  private readonly internalTopicsRequested = new Set<string>();
  private readonly admin: AdminClient;
  private readonly controllerName: string;
  /** Partitions that had an unclean election, and whether any node lost power: both excuse divergence. */
  private readonly uncleanPartitions = new Set<string>();
  private powerLossHappened = false;
  private readonly leadersByEpoch = new Map<string, number>();

  constructor(options: SimulationOptions) {
    validateOptions(options);
    const version = parseKafkaVersion(options.kafkaVersion);
    const brokerSettings = readBrokerSettings(options.broker, version);
    this.random = new Random(options.seed);
    this.traceLog = new Trace(options.traceLines ?? 100_000);
    this.network = new Network<Message>({ ...defaultNetworkOptions, ...options.network }, this.scheduler, this.random, this.traceLog);
    const brokerIds = Array.from({ length: options.brokers }, (_, index) => index + 1);
    this.controllerName = options.controllers > 0 ? "controller-1" : brokerNodeName(1);
    this.context = {
      scheduler: this.scheduler,
      network: this.network,
      random: this.random,
      trace: this.traceLog,
      version,
      brokerSettings,
      bugs: new Set<PlantedBug>(options.plantedBugs ?? []),
      brokerIds,
      controllerNode: this.controllerName,
      reportElection: (election) => this.onElectionReported(election),
      reportTransactionMarker: (marker) => {
        for (const listener of this.transactionMarkerListeners) listener(marker);
      },
      reportCoordinator: (observation) => {
        for (const listener of this.coordinatorListeners) listener(observation);
      },
    };
    this.traceLog.record(0, "simulation", `seed ${options.seed} brokers ${options.brokers} controllers ${options.controllers} version ${options.kafkaVersion} bugs [${[...this.context.bugs].join(",")}]`);
    for (let index = 1; index <= options.controllers; index++) this.addServer(`controller-${index}`, null, index === 1);
    for (const brokerId of brokerIds) this.addServer(brokerNodeName(brokerId), brokerId, options.controllers === 0 && brokerId === 1);
    const adminNode = this.addNode("admin");
    this.admin = new AdminClient(adminNode, this.context);
    this.entries.set("admin", { role: "client", node: adminNode, client: this.admin });
    this.network.attach(adminNode, (_from, message) => this.admin.handle(message));
    // The cluster starts before the scenario does: every broker registered and unfenced, as a real
    // cluster is before a test connects (a few simulated milliseconds).
    const started = this.runUntilCondition(() => brokerIds.every((brokerId) => this.controller()?.isFenced(brokerId) === false), 60_000);
    assert(started, "brokers did not all register within 60 s of simulated time");
    this.traceLog.record(this.nowMs, "simulation", "cluster started");
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  get nodes(): readonly string[] {
    return this.order;
  }

  get eventsRun(): number {
    return this.scheduler.eventsRun;
  }

  // ---------------------------------------------------------------- nodes

  private addNode(name: string): SimulatedNode {
    const node = new SimulatedNode(name, this.order.length, this.scheduler);
    this.order.push(name);
    return node;
  }

  private addServer(name: string, brokerId: number | null, hostsController: boolean): void {
    const node = this.addNode(name);
    const entry: NodeEntry = { role: "server", node, disk: new Disk(), brokerId, hostsController, broker: null, controller: null };
    this.entries.set(name, entry);
    this.network.attach(node, (from, message) => {
      if (entry.controller !== null && entry.controller.handle(from, message)) return;
      entry.broker?.handle(from, message);
    });
    this.startServer(entry);
  }

  private startServer(entry: Extract<NodeEntry, { role: "server" }>): void {
    if (entry.hostsController) entry.controller = new Controller(entry.node, entry.disk, this.context);
    if (entry.brokerId !== null) entry.broker = new Broker(entry.brokerId, entry.node, entry.disk, this.context);
  }

  private entry(name: string): NodeEntry {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`node: "${name}" is unknown; known nodes: ${this.order.join(", ")}`);
    return entry;
  }

  private fault(name: string, text: string): void {
    this.traceLog.record(this.nowMs, "nemesis", `${text} ${name}`);
  }

  private controller(): Controller | null {
    const entry = this.entries.get(this.controllerName);
    return entry?.role === "server" && entry.node.running ? entry.controller : null;
  }

  private controllerDisk(): Disk {
    const entry = this.entries.get(this.controllerName);
    assert(entry?.role === "server", "the controller node is a server");
    return entry.disk;
  }

  kill(name: string): void {
    const entry = this.entry(name);
    this.fault(name, "kill");
    if (entry.role === "client") {
      if (entry.client instanceof GroupConsumerClient) entry.client.crash();
      else if (!(entry.client instanceof AdminClient)) entry.client.close();
      entry.node.crash();
      return;
    }
    entry.node.crash();
    entry.broker = null;
    entry.controller = null;
  }

  powerLoss(name: string): void {
    const entry = this.entry(name);
    this.kill(name);
    this.fault(name, "power-loss");
    if (entry.role === "server") {
      entry.disk.powerLoss();
      this.powerLossHappened = true;
    }
  }

  stop(name: string): void {
    const entry = this.entry(name);
    this.fault(name, "stop");
    if (entry.role === "server" && entry.node.status !== "down") {
      if (entry.brokerId !== null && entry.node.running) this.controller()?.controlledShutdown(entry.brokerId);
      if (entry.node.running) entry.broker?.shutdownCleanly();
    }
    this.kill(name);
  }

  restart(name: string): void {
    const entry = this.entry(name);
    if (entry.role === "client") throw new Error(`restart node: "${name}" is a client; create a new producer or consumer instead`);
    this.fault(name, "restart");
    if (entry.node.status !== "down") return;
    entry.node.start();
    this.startServer(entry);
  }

  pause(name: string): void {
    this.fault(name, "pause");
    this.entry(name).node.pause();
  }

  resume(name: string): void {
    this.fault(name, "resume");
    this.entry(name).node.resume();
  }

  cut(from: string, to: string): void {
    this.entry(from);
    this.entry(to);
    this.traceLog.record(this.nowMs, "nemesis", `cut ${from} -> ${to}`);
    this.network.cut(from, to);
  }

  heal(): void {
    this.traceLog.record(this.nowMs, "nemesis", "heal");
    this.network.heal();
  }

  // ---------------------------------------------------------------- admin and metadata

  createTopic(
    topic: { name: string; partitions: number; replicationFactor: number; config: EngineConfig },
    done: (result: { type: "ok" } | { type: "fail"; error: string }) => void,
  ): void {
    this.admin.createTopic(topic, done);
  }

  createPartitions(topic: string, totalCount: number, done: (result: { type: "ok" } | { type: "fail"; error: string }) => void): void {
    this.admin.createPartitions(topic, totalCount, done);
  }

  describe(topic: string): readonly PartitionState[] {
    const states = readPartitionStates(this.controllerDisk(), topic) ?? [];
    return states.map((state) => ({ topic, partition: state.partition, leader: state.leader, leaderEpoch: state.leaderEpoch, replicas: state.replicas, isr: state.isr }));
  }

  leaderOf(topic: string, partition: number): number | null {
    return readPartitionStates(this.controllerDisk(), topic)?.[partition]?.leader ?? null;
  }

  endOffsets(topic: string): readonly ((EngineTopicPartition & { startOffset: number; endOffset: number }) | null)[] {
    const states = readPartitionStates(this.controllerDisk(), topic) ?? [];
    return states.map((state) => {
      if (state.leader === null) return null;
      const entry = this.entries.get(brokerNodeName(state.leader));
      if (entry?.role !== "server" || !entry.node.running || entry.broker === null) return null;
      const replica = entry.broker.replica(topic, state.partition);
      if (replica === undefined || replica.role !== "leader") return null;
      return { topic, partition: state.partition, startOffset: replica.log.startOffset, endOffset: replica.highWatermark };
    });
  }

  replica(brokerId: number, topic: string, partition: number): ReplicaView | null {
    const entry = this.entries.get(brokerNodeName(brokerId));
    if (entry?.role !== "server") return null;
    const log = entry.disk.existingLog(topic, partition);
    if (log === undefined) return null;
    const live = entry.node.status !== "down" ? entry.broker?.replica(topic, partition) : undefined;
    const records: (EngineRecord & { marker?: "commit" | "abort" })[] = [];
    for (const batch of log.allBatches()) {
      batch.records.forEach((record, index) => records.push({ topic, partition, offset: batch.baseOffset + index, key: record.key, value: record.value, ...(batch.control === undefined ? {} : { marker: batch.control }) }));
    }
    return {
      topic,
      partition,
      brokerId,
      role: live === undefined ? "down" : live.role,
      leaderEpoch: live?.leaderEpoch ?? -1,
      logEndOffset: log.logEndOffset,
      highWatermark: live?.highWatermark ?? log.highWatermarkCheckpoint,
      flushedOffset: log.flushedOffset,
      records,
      epochs: log.epochCache.list(),
    };
  }

  // ---------------------------------------------------------------- clients

  private addClient(id: string): SimulatedNode {
    if (typeof id !== "string" || id.length === 0) throw new Error(`client id: ${JSON.stringify(id)} is not allowed; use a non-empty string`);
    if (this.entries.has(id)) throw new Error(`client id: "${id}" is already a node name; use another id`);
    assert(this.entries.size < maxClients, "too many clients");
    return this.addNode(id);
  }

  producer(id: string, config: EngineConfig): Producer {
    if (config["transactional.id"] !== undefined) throw new EngineUsageError(`producer ${id}: config "transactional.id" is set; a transactional producer is made with transactionalProducer()`);
    const settings = readProducerSettings(config, this.context.version);
    const node = this.addClient(id);
    const client = new ProducerClient(id, node, this.context, settings);
    this.entries.set(id, { role: "client", node, client });
    this.network.attach(node, (_from, message) => client.handle(message));
    return client;
  }

  groupConsumer(id: string, config: EngineConfig): GroupConsumer {
    const fetchSettings = readConsumerSettings(config);
    const settings = readGroupConsumerSettings(config);
    this.ensureOffsetsTopic();
    const existing = this.entries.get(id);
    if (existing !== undefined) {
      // A restarted application: a new client on the same node, once the old one crashed or closed.
      if (existing.role !== "client" || !(existing.client instanceof GroupConsumerClient) || !existing.client.closed) {
        throw new Error(`client id: "${id}" is already a node name; use another id (a group consumer may reuse its id only after it crashed or closed)`);
      }
      if (existing.node.status === "down") existing.node.start();
      const client = new GroupConsumerClient(id, existing.node, this.context, settings, fetchSettings);
      this.entries.set(id, { role: "client", node: existing.node, client });
      this.traceLog.record(this.nowMs, id, `group consumer session starts (group ${settings.group})`);
      return client;
    }
    const node = this.addClient(id);
    const client = new GroupConsumerClient(id, node, this.context, settings, fetchSettings);
    this.entries.set(id, { role: "client", node, client });
    // The handler looks the client up each time: a restarted session replaces it on the same node.
    this.network.attach(node, (_from, message) => {
      const entry = this.entries.get(id);
      if (entry?.role === "client" && entry.client instanceof GroupConsumerClient) entry.client.handle(message);
    });
    return client;
  }

  private ensureOffsetsTopic(): void {
    this.ensureInternalTopic(offsetsTopic, this.context.brokerSettings.offsetsTopicPartitions, this.context.brokerSettings.offsetsTopicReplicationFactor);
  }

  /**
   * Creates an internal topic (__consumer_offsets, __transaction_state) once, when the first client
   * needs it, as Kafka's brokers do. Kafka refuses to create it with fewer brokers than its replication
   * factor; the engine caps the factor at the cluster size instead, so a one-broker scenario still works.
   */
  private ensureInternalTopic(topic: string, partitions: number, replicationFactorSetting: number): void {
    if (this.internalTopicsRequested.has(topic)) return;
    this.internalTopicsRequested.add(topic);
    const replicationFactor = Math.min(replicationFactorSetting, this.context.brokerIds.length);
    this.admin.createTopic({ name: topic, partitions, replicationFactor, config: {} }, (result) => {
      if (result.type === "fail") this.traceLog.record(this.nowMs, "simulation", `${topic} not created: ${result.error}`);
    });
  }

  onCoordinator(listener: (observation: CoordinatorObservation) => void): void {
    this.coordinatorListeners.push(listener);
  }

  transactionalProducer(id: string, config: EngineConfig): TransactionalProducer {
    if (config["transactional.id"] === undefined) throw new EngineUsageError(`producer ${id}: config "transactional.id" is not set; a producer without it is made with producer()`);
    const settings = readProducerSettings(config, this.context.version);
    this.ensureInternalTopic(transactionStateTopic, this.context.brokerSettings.transactionStatePartitions, this.context.brokerSettings.transactionStateReplicationFactor);
    const existing = this.entries.get(id);
    if (existing !== undefined) {
      // A restarted application (after ProducerFencedException or a crash): a new client on the same node.
      if (existing.role !== "client" || !(existing.client instanceof TransactionalProducerClient) || !existing.client.closed) {
        throw new Error(`client id: "${id}" is already a node name; use another id (a transactional producer may reuse its id only after it was closed)`);
      }
      if (existing.node.status === "down") existing.node.start();
      const client = new TransactionalProducerClient(id, existing.node, this.context, settings);
      this.entries.set(id, { role: "client", node: existing.node, client });
      this.traceLog.record(this.nowMs, id, `transactional producer session starts (${settings.transactionalId ?? ""})`);
      return client;
    }
    const node = this.addClient(id);
    const client = new TransactionalProducerClient(id, node, this.context, settings);
    this.entries.set(id, { role: "client", node, client });
    this.network.attach(node, (_from, message) => {
      const entry = this.entries.get(id);
      if (entry?.role === "client" && entry.client instanceof TransactionalProducerClient) entry.client.handle(message);
    });
    return client;
  }

  onTransactionMarker(listener: (marker: TransactionMarkerObservation) => void): void {
    this.transactionMarkerListeners.push(listener);
  }

  consumer(id: string, config: EngineConfig): Consumer {
    if (config["group.id"] !== undefined) throw new Error(`consumer ${id}: config "group.id" is set; a consumer in a group is made with groupConsumer(), consumer() assigns partitions itself`);
    const settings = readConsumerSettings(config);
    const node = this.addClient(id);
    const client = new ConsumerClient(id, node, this.context, settings);
    this.entries.set(id, { role: "client", node, client });
    this.network.attach(node, (_from, message) => client.handle(message));
    return client;
  }

  // ---------------------------------------------------------------- time

  schedule(atMs: number, action: () => void): void {
    if (!Number.isFinite(atMs) || atMs < this.nowMs) throw new Error(`schedule atMs: ${atMs} is not allowed; use a time >= now (${this.nowMs})`);
    this.scheduler.at(atMs, action);
  }

  runUntil(untilMs: number): void {
    if (!(untilMs >= this.nowMs)) throw new Error(`runUntil untilMs: ${untilMs} is not allowed; use a time >= now (${this.nowMs})`);
    while (this.scheduler.step(untilMs));
    this.scheduler.advanceTo(untilMs);
  }

  runUntilCondition(condition: () => boolean, maxMs: number): boolean {
    if (!(maxMs >= 0)) throw new Error(`runUntilCondition maxMs: ${maxMs} is not allowed; use a number >= 0`);
    const deadline = this.nowMs + maxMs;
    if (condition()) return true;
    while (this.scheduler.step(deadline)) if (condition()) return true;
    this.scheduler.advanceTo(deadline);
    return condition();
  }

  onElection(listener: (election: Election) => void): void {
    this.electionListeners.push(listener);
  }

  private onElectionReported(election: Election): void {
    const key = `${election.topic}-${election.partition}`;
    if (election.unclean || this.context.bugs.has("unclean-election-always")) this.uncleanPartitions.add(key);
    const epochKey = `${key}@${election.epoch}`;
    assert(!this.leadersByEpoch.has(epochKey), `two elections of ${key} in epoch ${election.epoch}`);
    this.leadersByEpoch.set(epochKey, election.leader);
    for (const listener of this.electionListeners) listener(election);
  }

  trace(): string {
    return this.traceLog.text();
  }

  traceHash(): string {
    return this.traceLog.hash;
  }

  // ---------------------------------------------------------------- invariants

  checkInvariants(): void {
    const disk = this.controllerDisk();
    for (const [name, entry] of this.entries) {
      if (entry.role !== "server" || entry.broker === null || entry.node.status === "down") continue;
      for (const replica of entry.broker.allReplicas()) {
        assert(replica.highWatermark <= replica.logEndOffset, `${name} ${replica.topic}-${replica.partition}: high watermark ${replica.highWatermark} above log end ${replica.logEndOffset}`);
        if (replica.role !== "leader") continue;
        const known = this.leadersByEpoch.get(`${replica.topic}-${replica.partition}@${replica.leaderEpoch}`);
        assert(known === entry.brokerId, `${name} leads ${replica.topic}-${replica.partition} in epoch ${replica.leaderEpoch}, elected leader was ${known}`);
        const key = `${replica.topic}-${replica.partition}`;
        const state = readPartitionStates(disk, replica.topic)?.[replica.partition];
        if (this.uncleanPartitions.has(key) || this.powerLossHappened || state === undefined || state.leaderEpoch !== replica.leaderEpoch) continue;
        this.checkAgreement(replica.topic, replica.partition, entry.brokerId!, state.replicas);
      }
    }
  }

  /** Committed records (below both high watermarks) are the same on the leader and every running follower. */
  private checkAgreement(topic: string, partition: number, leaderId: number, replicas: readonly number[]): void {
    const leader = this.replica(leaderId, topic, partition)!;
    for (const follower of replicas) {
      if (follower === leaderId) continue;
      const view = this.replica(follower, topic, partition);
      if (view === null || view.role === "down") continue;
      const limit = Math.min(view.highWatermark, leader.highWatermark);
      for (let offset = 0; offset < limit; offset++) {
        const mine = leader.records[offset];
        const theirs = view.records[offset];
        assert(
          mine !== undefined && theirs !== undefined && mine.value === theirs.value && mine.key === theirs.key,
          `${topic}-${partition} offset ${offset}: leader ${leaderId} has ${mine?.value} but broker ${follower} has ${theirs?.value} (below high watermark ${limit})`,
        );
      }
    }
  }
}

function validateOptions(options: SimulationOptions): void {
  if (!Number.isInteger(options.seed)) throw new Error(`seed: ${String(options.seed)} is not allowed; use an integer`);
  if (!Number.isInteger(options.brokers) || options.brokers < 1 || options.brokers > maxBrokers) {
    throw new Error(`brokers: ${String(options.brokers)} is not allowed; use an integer in [1, ${maxBrokers}]`);
  }
  if (!Number.isInteger(options.controllers) || options.controllers < 0 || options.controllers > 9) {
    throw new Error(`controllers: ${String(options.controllers)} is not allowed; use an integer in [0, 9]`);
  }
  for (const bug of options.plantedBugs ?? []) {
    if (!plantedBugs.some((known) => known.id === bug)) throw new Error(`plantedBugs: "${String(bug)}" is unknown; known: ${plantedBugs.map((known) => known.id).join(", ")}`);
  }
  if (options.traceLines !== undefined && !(Number.isInteger(options.traceLines) && options.traceLines >= 0)) {
    throw new Error(`traceLines: ${String(options.traceLines)} is not allowed; use an integer >= 0`);
  }
}
