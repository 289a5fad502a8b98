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
import { commitModes, finalCommittedReaderProcess, finalReaderProcess, nemesisProcess, observerProcess } from "../model/index.js";
import type { ClientSpec } from "./scenario.js";

/** Bounds keep one scenario cheap enough to shrink; anything larger is a mistake, not a workload. */
export const scenarioBounds = {
  brokers: 9,
  controllers: 5,
  partitions: 64,
  clients: 32,
  steps: 20_000,
  stepTimeMs: 3_600_000,
  quietMs: 600_000,
  groupDrainMs: 600_000,
  processingMs: 60_000,
  transactionSends: 100,
  endAfterMs: 600_000,
} as const;

/** A producer with a `transactional.id`: its records go through transaction steps only. */
export function isTransactionalProducer(client: Pick<ClientSpec, "role" | "config">): boolean {
  const id = client.config["transactional.id"];
  return client.role === "producer" && typeof id === "string" && id.length > 0;
}

/** A consumer with a `group.id` joins a group (subscribe); one without is assigned partitions by hand. */
export function isGroupConsumer(client: Pick<ClientSpec, "role" | "config">): boolean {
  const group = client.config["group.id"];
  return client.role === "consumer" && typeof group === "string" && group.length > 0;
}

/** Kafka's default `enable.auto.commit` is true: a group consumer commits automatically unless told not to. */
export function autoCommitEnabled(client: Pick<ClientSpec, "config">): boolean {
  const value = client.config["enable.auto.commit"];
  return value === undefined || value === true || value === "true";
}

/** Faults that may name a group consumer: crash it, freeze it (a zombie), wake it, start it again. */
const consumerFaults: ReadonlySet<string> = new Set(["kill", "pause", "resume", "restart"]);

/** Process ids the harness itself uses in histories. */
export const reservedProcesses: readonly string[] = [nemesisProcess, observerProcess, finalReaderProcess, finalCommittedReaderProcess];

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

type Problem = (field: string, value: unknown, allowed: string) => void;

/** What the checks of later phases need from earlier ones: the declared topics and clients. */
interface Declared {
  readonly partitionsByTopic: ReadonlyMap<string, number>;
  readonly roles: ReadonlyMap<string, "producer" | "consumer">;
  readonly nodes: ReadonlySet<string>;
  /** Group consumers by id, with their group id. */
  readonly groups: ReadonlyMap<string, string>;
  /** Producers with a transactional.id. */
  readonly transactional: ReadonlySet<string>;
}

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
  const groups = new Map(scenario.clients.filter(isGroupConsumer).map((client) => [client.id, String(client.config["group.id"])]));
  const declared: Declared = { partitionsByTopic: validateTopics(scenario, problem), roles: validateClients(scenario, problem), nodes: new Set(clusterNodes(scenario.cluster)), groups, transactional: new Set(scenario.clients.filter(isTransactionalProducer).map((client) => client.id)) };
  validateSteps(scenario, declared, supportedFaults, abilities, problem);
  if (!isInteger(scenario.finale.quietMs, 0, scenarioBounds.quietMs)) problem("finale.quietMs", scenario.finale.quietMs, `an integer number of ms in 0..${scenarioBounds.quietMs}`);
  const drain = scenario.finale.groupDrainMs;
  if (drain !== undefined && !isInteger(drain, 0, scenarioBounds.groupDrainMs)) problem("finale.groupDrainMs", drain, `an integer number of ms in 0..${scenarioBounds.groupDrainMs}`);
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
    validateCommitMode(client, index, problem);
    roles.set(client.id, client.role);
  });
  return roles;
}

/** A group consumer says how its application commits, consistently with `enable.auto.commit`; nobody else does. */
function validateCommitMode(client: ClientSpec, index: number, problem: Problem): void {
  const field = `clients[${index}].commitMode`;
  if (!isGroupConsumer(client)) {
    if (client.commitMode !== undefined) problem(field, client.commitMode, "no commitMode: only a consumer with a group.id commits (this client has none)");
    if (client.processingMs !== undefined) problem(`clients[${index}].processingMs`, client.processingMs, "no processingMs: only a consumer with a group.id processes what it polls");
    return;
  }
  if (client.processingMs !== undefined && !isInteger(client.processingMs, 0, scenarioBounds.processingMs)) {
    problem(`clients[${index}].processingMs`, client.processingMs, `an integer number of ms in 0..${scenarioBounds.processingMs}`);
  }
  if (client.commitMode === undefined || !commitModes.includes(client.commitMode)) {
    problem(field, client.commitMode, `one of ${commitModes.join(", ")} (a consumer with a group.id must say how its application commits)`);
    return;
  }
  const automatic = autoCommitEnabled(client);
  if (automatic && client.commitMode !== "auto") {
    problem(field, client.commitMode, `"auto": enable.auto.commit is ${client.config["enable.auto.commit"] === undefined ? "true by default" : "true"}; set "enable.auto.commit": false to commit ${client.commitMode}`);
  } else if (!automatic && client.commitMode === "auto") {
    problem(field, client.commitMode, `a manual mode (${commitModes.filter((mode) => mode !== "auto").join(", ")}): enable.auto.commit is false`);
  }
}

function validateSteps(scenario: Scenario, declared: Declared, supportedFaults: ReadonlySet<FaultKind>, abilities: TargetAbilities, problem: Problem): void {
  const { partitionsByTopic, roles } = declared;
  const clientIds = [...roles.keys()];
  const sendValues = new Set<string>();
  const subscribed = new Set<string>();
  let previousAt = 0;
  if (scenario.steps.length > scenarioBounds.steps) problem("steps", scenario.steps.length, `at most ${scenarioBounds.steps} steps`);

  const checkClient = (index: number, client: string, role: "producer" | "consumer"): void => {
    if (roles.get(client) === role) return;
    const candidates = clientIds.filter((id) => roles.get(id) === role);
    problem(`steps[${index}].client`, client, candidates.length === 0 ? `no ${role} is declared in clients` : `a ${role}: ${candidates.join(", ")}`);
  };
  const checkValue = (field: string, value: unknown): void => {
    if (typeof value !== "string" || value.length === 0) problem(field, value, "a non-empty string");
    else if (sendValues.has(value)) problem(field, value, "a value no other send has (values identify records)");
    else sendValues.add(value);
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
        if (declared.transactional.has(step.client)) problem(`steps[${index}].op`, step.op, `"transaction": ${step.client} has a transactional.id, so its records are sent inside transactions`);
        if (step.key !== null && typeof step.key !== "string") problem(`steps[${index}].key`, step.key, "a string or null");
        checkValue(`steps[${index}].value`, step.value);
        break;
      case "transaction":
        checkClient(index, step.client, "producer");
        if (roles.get(step.client) === "producer" && !declared.transactional.has(step.client)) {
          const transactional = [...declared.transactional];
          problem(`steps[${index}].client`, step.client, transactional.length === 0 ? "a producer with a transactional.id: none is declared" : `a producer with a transactional.id: ${transactional.join(", ")}`);
        }
        if (step.end !== "commit" && step.end !== "abort") problem(`steps[${index}].end`, step.end, '"commit" or "abort"');
        if (step.endAfterMs !== undefined && !isInteger(step.endAfterMs, 0, scenarioBounds.endAfterMs)) problem(`steps[${index}].endAfterMs`, step.endAfterMs, `an integer number of ms in 0..${scenarioBounds.endAfterMs}`);
        if (!Array.isArray(step.sends) || step.sends.length === 0 || step.sends.length > scenarioBounds.transactionSends) {
          problem(`steps[${index}].sends`, Array.isArray(step.sends) ? step.sends.length : step.sends, `a list of 1..${scenarioBounds.transactionSends} records`);
          break;
        }
        step.sends.forEach((send, position) => {
          const field = `steps[${index}].sends[${position}]`;
          checkPartition(index, `sends[${position}].`, send.topic, send.partition);
          if (send.key !== null && typeof send.key !== "string") problem(`${field}.key`, send.key, "a string or null");
          checkValue(`${field}.value`, send.value);
        });
        break;
      case "poll":
        checkClient(index, step.client, "consumer");
        if (declared.groups.has(step.client) && !subscribed.has(step.client)) problem(`steps[${index}].client`, step.client, "a group consumer that subscribed in an earlier step (a group consumer polls only after subscribe)");
        break;
      case "subscribe":
        checkClient(index, step.client, "consumer");
        if (roles.get(step.client) === "consumer" && !declared.groups.has(step.client)) problem(`steps[${index}].client`, step.client, `a consumer with a group.id (${[...declared.groups.keys()].join(", ") || "none is declared"}): without one a consumer is assigned partitions`);
        if (!Array.isArray(step.topics) || step.topics.length === 0) problem(`steps[${index}].topics`, step.topics, "a non-empty list of declared topics");
        else step.topics.forEach((topic, position) => {
          if (!partitionsByTopic.has(topic)) problem(`steps[${index}].topics[${position}]`, topic, `a declared topic: ${[...partitionsByTopic.keys()].join(", ")}`);
        });
        subscribed.add(step.client);
        break;
      case "assign":
        checkClient(index, step.client, "consumer");
        if (declared.groups.has(step.client)) problem(`steps[${index}].client`, step.client, "a consumer without a group.id: a group consumer's partitions come from its group (use subscribe)");
        step.partitions.forEach((partition, position) => checkPartition(index, `partitions[${position}].`, partition.topic, partition.partition));
        break;
      case "seek":
        checkClient(index, step.client, "consumer");
        if (declared.groups.has(step.client)) problem(`steps[${index}].client`, step.client, "a consumer without a group.id: a group consumer resumes at its group's committed offset");
        checkPartition(index, "", step.topic, step.partition);
        if (!isInteger(step.offset, 0, Number.MAX_SAFE_INTEGER)) problem(`steps[${index}].offset`, step.offset, "a non-negative integer");
        break;
      case "fault":
        if (!supportedFaults.has(step.fault.kind)) problem(`steps[${index}].fault.kind`, step.fault.kind, `a fault this target supports: ${[...supportedFaults].join(", ")}`);
        else validateFault(index, step.fault, declared, abilities, (field, topic, partition) => checkPartition(index, field, topic, partition), problem);
        break;
      default:
        problem(`steps[${index}].op`, (step as { op: unknown }).op, "send, transaction, poll, subscribe, assign, seek, fault");
    }
  });
}

/** A supported fault names nodes of this scenario, and clients only where the fault is about clients. */
function validateFault(index: number, fault: Fault, declared: Declared, abilities: TargetAbilities, checkPartition: (field: string, topic: string, partition: number) => void, problem: Problem): void {
  const { roles, nodes } = declared;
  const clientIds = [...roles.keys()];
  if (fault.kind === "isolate-leader" || fault.kind === "kill-leader") checkPartition("fault.", fault.topic, fault.partition);
  if (fault.kind === "kill-coordinator" && ![...declared.groups.values()].includes(fault.group)) {
    const groups = [...new Set(declared.groups.values())];
    problem(`steps[${index}].fault.group`, fault.group, groups.length === 0 ? "a group of this scenario: no consumer has a group.id" : `a group of this scenario: ${groups.join(", ")}`);
  }
  for (const node of nodesNamedBy(fault)) {
    if (!nodes.has(node) && !roles.has(node)) problem(`steps[${index}].fault`, node, `a node of this scenario: ${[...nodes, ...clientIds].join(", ")}`);
  }
  if (fault.kind === "cut-client") {
    if (!roles.has(fault.client)) problem(`steps[${index}].fault.client`, fault.client, `a client: ${clientIds.join(", ")}`);
    if (!nodes.has(fault.node)) problem(`steps[${index}].fault.node`, fault.node, `a cluster node: ${[...nodes].join(", ")}`);
  } else if (consumerFaults.has(fault.kind) && "node" in fault && roles.has(fault.node)) {
    if (!declared.groups.has(fault.node)) problem(`steps[${index}].fault.node`, fault.node, `a cluster node or a group consumer (${[...declared.groups.keys()].join(", ") || "none is declared"}): only a group consumer can be crashed, paused or restarted`);
  } else if ((fault.kind !== "one-way" && fault.kind !== "bridge" && fault.kind !== "split") || !abilities.singleClientLinks) {
    // Only a target that can cut one client's link alone takes a client in these faults.
    const why = abilities.singleClientLinks ? "" : " (this target cuts clients only all at once: use cut-client)";
    for (const node of nodesNamedBy(fault)) if (roles.has(node)) problem(`steps[${index}].fault`, node, `a cluster node: ${[...nodes].join(", ")}${why}`);
  }
}
