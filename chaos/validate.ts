/**
 * Structural validation of a scenario before anything runs: every step names a known client, topic,
 * partition and node, times are ordered, and every fault is one the target supports. Configuration
 * semantics (idempotence with acks=1, min ISR above RF, ...) are the model's job and are checked by
 * the run harness with the model's validation on top of this.
 */
import type { FaultKind, Fault } from "./fault.js";
import type { Scenario, Step } from "./scenario.js";
import type { ScenarioProblem } from "./problem.js";
import { clusterNodes } from "./nodes.js";
import { nodesNamedBy } from "./describe-fault.js";
import { commitModes, finalReaderProcess, nemesisProcess, observerProcess } from "../model/index.js";

/** Bounds keep one scenario cheap enough to shrink; anything larger is a mistake, not a workload. */
export const scenarioBounds = {
  brokers: 9,
  controllers: 5,
  partitions: 64,
  clients: 32,
  steps: 20_000,
  stepTimeMs: 3_600_000,
  quietMs: 600_000,
} as const;

/** Process ids the harness itself uses in histories. */
export const reservedProcesses: readonly string[] = [nemesisProcess, observerProcess, finalReaderProcess];

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

type Problem = (field: string, value: unknown, allowed: string) => void;

/** What the checks of later phases need from earlier ones: the declared topics and clients. */
interface Declared {
  readonly partitionsByTopic: ReadonlyMap<string, number>;
  readonly roles: ReadonlyMap<string, "producer" | "consumer">;
  readonly nodes: ReadonlySet<string>;
  /** Consumers with group.id: they subscribe, and kill/pause/resume/restart may name them. */
  readonly groupConsumers: ReadonlySet<string>;
}

/** Faults on a process: of a group consumer they crash, freeze, wake and restart it (chaos/fault.ts). */
const processFaults: ReadonlySet<string> = new Set(["kill", "pause", "resume", "restart"]);

export interface TargetAbilities {
  /** Whether `one-way`, `bridge` and `split` may name a client (see Target.singleClientLinks). */
  readonly singleClientLinks: boolean;
}

export function validateScenarioShape(scenario: Scenario, supportedFaults: ReadonlySet<FaultKind>, abilities: TargetAbilities = { singleClientLinks: true }): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const problem: Problem = (field, value, allowed) => {
    problems.push({ field, value, allowed });
  };
  if (typeof scenario.name !== "string" || scenario.name.length === 0) problem("name", scenario.name, "a non-empty string");
  if (!isInteger(scenario.seed, 0, 0xffff_ffff)) problem("seed", scenario.seed, "an integer in 0..4294967295");
  validateCluster(scenario, problem);
  const groupConsumers = new Set(scenario.clients.filter((client) => client.role === "consumer" && client.config["group.id"] !== undefined).map((client) => client.id));
  const declared: Declared = { partitionsByTopic: validateTopics(scenario, problem), roles: validateClients(scenario, problem), nodes: new Set(clusterNodes(scenario.cluster)), groupConsumers };
  validateSteps(scenario, declared, supportedFaults, abilities, problem);
  if (!isInteger(scenario.finale.quietMs, 0, scenarioBounds.quietMs)) problem("finale.quietMs", scenario.finale.quietMs, `an integer number of ms in 0..${scenarioBounds.quietMs}`);
  const drain = scenario.finale.groupDrainMs;
  if (drain !== undefined && !isInteger(drain, 0, scenarioBounds.quietMs)) problem("finale.groupDrainMs", drain, `an integer number of ms in 0..${scenarioBounds.quietMs}`);
  return problems;
}

function validateCluster(scenario: Scenario, problem: Problem): void {
  const cluster = scenario.cluster;
  if (!isInteger(cluster.brokers, 1, scenarioBounds.brokers)) problem("cluster.brokers", cluster.brokers, `an integer in 1..${scenarioBounds.brokers}`);
  if (!isInteger(cluster.controllers, 0, scenarioBounds.controllers)) problem("cluster.controllers", cluster.controllers, `an integer in 0..${scenarioBounds.controllers}`);
  if (typeof cluster.kafkaVersion !== "string" || !/^\d+\.\d+/.test(cluster.kafkaVersion)) problem("cluster.kafkaVersion", cluster.kafkaVersion, 'a version such as "4.1"');
}

function validateTopics(scenario: Scenario, problem: Problem): Map<string, number> {
  const partitionsByTopic = new Map<string, number>();
  const brokers = scenario.cluster.brokers;
  scenario.topics.forEach((topic, index) => {
    if (typeof topic.name !== "string" || !/^[A-Za-z0-9._-]{1,249}$/.test(topic.name)) problem(`topics[${index}].name`, topic.name, "1-249 characters of [A-Za-z0-9._-]");
    else if (partitionsByTopic.has(topic.name)) problem(`topics[${index}].name`, topic.name, "a name no other topic has");
    if (!isInteger(topic.partitions, 1, scenarioBounds.partitions)) problem(`topics[${index}].partitions`, topic.partitions, `an integer in 1..${scenarioBounds.partitions}`);
    if (!isInteger(topic.replicationFactor, 1, Math.max(1, brokers))) problem(`topics[${index}].replicationFactor`, topic.replicationFactor, `an integer in 1..${brokers} (the broker count)`);
    partitionsByTopic.set(topic.name, topic.partitions);
  });
  if (scenario.topics.length === 0) problem("topics", scenario.topics, "at least one topic");
  return partitionsByTopic;
}

function validateClients(scenario: Scenario, problem: Problem): Map<string, "producer" | "consumer"> {
  const roles = new Map<string, "producer" | "consumer">();
  if (scenario.clients.length > scenarioBounds.clients) problem("clients", scenario.clients.length, `at most ${scenarioBounds.clients} clients`);
  scenario.clients.forEach((client, index) => {
    if (typeof client.id !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(client.id)) problem(`clients[${index}].id`, client.id, "1-64 characters of [A-Za-z0-9._-]");
    else if (reservedProcesses.includes(client.id) || client.id.startsWith("broker-") || client.id.startsWith("controller-")) problem(`clients[${index}].id`, client.id, `an id other than ${reservedProcesses.join(", ")}, broker-*, controller-*`);
    else if (roles.has(client.id)) problem(`clients[${index}].id`, client.id, "an id no other client has");
    if (client.role !== "producer" && client.role !== "consumer") problem(`clients[${index}].role`, client.role, '"producer" or "consumer"');
    const grouped = client.role === "consumer" && client.config["group.id"] !== undefined;
    // A group consumer without one is the target's to refuse (a target that runs groups needs it).
    if (grouped && client.commitMode !== undefined && !commitModes.includes(client.commitMode)) problem(`clients[${index}].commitMode`, client.commitMode, `one of ${commitModes.join(", ")}`);
    if (!grouped && client.commitMode !== undefined) problem(`clients[${index}].commitMode`, client.commitMode, "no commitMode (only a consumer with group.id commits)");
    if (client.processingMs !== undefined && (!grouped || !isInteger(client.processingMs, 0, scenarioBounds.stepTimeMs))) problem(`clients[${index}].processingMs`, client.processingMs, grouped ? `an integer number of ms in 0..${scenarioBounds.stepTimeMs}` : "no processingMs (only a group consumer processes)");
    roles.set(client.id, client.role);
  });
  return roles;
}

function validateSteps(scenario: Scenario, declared: Declared, supportedFaults: ReadonlySet<FaultKind>, abilities: TargetAbilities, problem: Problem): void {
  const { partitionsByTopic, roles } = declared;
  const clientIds = [...roles.keys()];
  const sendValues = new Set<string>();
  let previousAt = 0;
  if (scenario.steps.length > scenarioBounds.steps) problem("steps", scenario.steps.length, `at most ${scenarioBounds.steps} steps`);

  const checkClient = (index: number, client: string, role: "producer" | "consumer"): void => {
    if (roles.get(client) === role) return;
    const candidates = clientIds.filter((id) => roles.get(id) === role);
    problem(`steps[${index}].client`, client, candidates.length === 0 ? `no ${role} is declared in clients` : `a ${role}: ${candidates.join(", ")}`);
  };
  const checkPartition = (index: number, field: string, topic: string, partition: number | undefined): void => {
    const count = partitionsByTopic.get(topic);
    if (count === undefined) {
      problem(`steps[${index}].${field}topic`, topic, `a declared topic: ${[...partitionsByTopic.keys()].join(", ")}`);
      return;
    }
    if (partition !== undefined && !isInteger(partition, 0, count - 1)) problem(`steps[${index}].${field}partition`, partition, `a partition of ${topic}: 0..${count - 1}`);
  };

  scenario.steps.forEach((step: Step, index) => {
    if (!isInteger(step.at, 0, scenarioBounds.stepTimeMs)) problem(`steps[${index}].at`, step.at, `an integer number of ms in 0..${scenarioBounds.stepTimeMs}`);
    else if (step.at < previousAt) problem(`steps[${index}].at`, step.at, `at least ${previousAt} (steps are ordered by time)`);
    else previousAt = step.at;
    switch (step.op) {
      case "send":
        checkClient(index, step.client, "producer");
        checkPartition(index, "", step.topic, step.partition);
        if (step.key !== null && typeof step.key !== "string") problem(`steps[${index}].key`, step.key, "a string or null");
        if (typeof step.value !== "string" || step.value.length === 0) problem(`steps[${index}].value`, step.value, "a non-empty string");
        else if (sendValues.has(step.value)) problem(`steps[${index}].value`, step.value, "a value no other send has (values identify records)");
        sendValues.add(step.value);
        break;
      case "poll":
        checkClient(index, step.client, "consumer");
        break;
      case "subscribe":
        if (!declared.groupConsumers.has(step.client)) problem(`steps[${index}].client`, step.client, declared.groupConsumers.size === 0 ? "no consumer with group.id is declared in clients" : `a group consumer: ${[...declared.groupConsumers].join(", ")}`);
        if (!Array.isArray(step.topics) || step.topics.length === 0) problem(`steps[${index}].topics`, step.topics, "at least one declared topic");
        else step.topics.forEach((topic, position) => {
          if (!partitionsByTopic.has(topic)) problem(`steps[${index}].topics[${position}]`, topic, `a declared topic: ${[...partitionsByTopic.keys()].join(", ")}`);
        });
        break;
      case "assign":
        checkClient(index, step.client, "consumer");
        step.partitions.forEach((partition, position) => checkPartition(index, `partitions[${position}].`, partition.topic, partition.partition));
        break;
      case "seek":
        checkClient(index, step.client, "consumer");
        checkPartition(index, "", step.topic, step.partition);
        if (!isInteger(step.offset, 0, Number.MAX_SAFE_INTEGER)) problem(`steps[${index}].offset`, step.offset, "a non-negative integer");
        break;
      case "fault":
        if (!supportedFaults.has(step.fault.kind)) problem(`steps[${index}].fault.kind`, step.fault.kind, `a fault this target supports: ${[...supportedFaults].join(", ")}`);
        else validateFault(index, step.fault, declared, abilities, (field, topic, partition) => checkPartition(index, field, topic, partition), problem);
        break;
      default:
        problem(`steps[${index}].op`, (step as { op: unknown }).op, "send, poll, subscribe, assign, seek, fault");
    }
  });
}

/** A supported fault names nodes of this scenario, and clients only where the fault is about clients. */
function validateFault(index: number, fault: Fault, declared: Declared, abilities: TargetAbilities, checkPartition: (field: string, topic: string, partition: number) => void, problem: Problem): void {
  const { roles, nodes } = declared;
  const clientIds = [...roles.keys()];
  if (fault.kind === "isolate-leader" || fault.kind === "kill-leader") checkPartition("fault.", fault.topic, fault.partition);
  for (const node of nodesNamedBy(fault)) {
    if (!nodes.has(node) && !roles.has(node)) problem(`steps[${index}].fault`, node, `a node of this scenario: ${[...nodes, ...clientIds].join(", ")}`);
  }
  if (fault.kind === "cut-client") {
    if (!roles.has(fault.client)) problem(`steps[${index}].fault.client`, fault.client, `a client: ${clientIds.join(", ")}`);
    if (!nodes.has(fault.node)) problem(`steps[${index}].fault.node`, fault.node, `a cluster node: ${[...nodes].join(", ")}`);
  } else if ((fault.kind !== "one-way" && fault.kind !== "bridge" && fault.kind !== "split") || !abilities.singleClientLinks) {
    // Only a target that can cut one client's link alone takes a client in these faults.
    const why = abilities.singleClientLinks ? "" : " (this target cuts clients only all at once: use cut-client)";
    for (const node of nodesNamedBy(fault)) {
      // A process fault may name a group consumer: it crashes, freezes, wakes or restarts it.
      if (processFaults.has(fault.kind) && declared.groupConsumers.has(node)) continue;
      if (roles.has(node)) problem(`steps[${index}].fault`, node, `a cluster node${processFaults.has(fault.kind) ? " or a group consumer" : ""}: ${[...nodes, ...(processFaults.has(fault.kind) ? declared.groupConsumers : [])].join(", ")}${why}`);
    }
  }
}
