/**
 * Shape rules for one line of a history: the header, then every event. Each rule throws a
 * HistoryFormatError naming the field, so the checker can assume well-typed events.
 */
import { commitModes, type ConfigMap, type HistoryEvent, type HistoryHeader, type TopicDescription, type ClientDescription } from "./event.js";
import { groupFunctions, observerGroupFunctions, validateGroupEventShape, validateObserverGroupShape, validatePollGeneration, type GroupClients } from "./group-shape.js";
import {
  arrayAt,
  booleanAt,
  countAt,
  fail,
  finiteAt,
  nullableStringAt,
  objectAt,
  oneOfAt,
  stringAt,
  type FieldContext,
  type JsonObject,
} from "./fields.js";

export const nemesisProcess = "nemesis";
export const observerProcess = "observer";
export const finalReaderProcess = "final-reader";
/**
 * The finale's read_committed reader (transactions, issue #12): every partition read from its start with
 * isolation.level=read_committed. Its polls are NOT the final reads of the D rules (it legitimately omits
 * aborted data); only T rules read them.
 */
export const finalCommittedReaderProcess = "final-committed-reader";

/** A transactional producer's operations (event.ts). */
export const transactionFunctions: ReadonlySet<string> = new Set(["txn-init", "txn-begin", "txn-send-offsets", "txn-commit", "txn-abort"]);

/** Fault names a nemesis event may carry: the brief's resolved names plus chaos/fault.ts's kinds. */
export const nemesisFunctions = [
  "kill",
  "power-loss",
  "stop",
  "restart",
  "pause",
  "resume",
  "partition",
  "heal",
  "isolate",
  "isolate-leader",
  "kill-leader",
  "split",
  "one-way",
  "bridge",
  "cut-client",
] as const;

const eventTypes = ["invoke", "ok", "fail", "info"] as const;
const clientRoles = ["producer", "consumer", "admin", "reader"] as const;
const maxTopics = 100_000;

function configMapAt(context: FieldContext, value: unknown, field: string): ConfigMap {
  const map = objectAt(context, value, field);
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry !== "string" && typeof entry !== "number" && typeof entry !== "boolean") {
      fail(context, `${field}.${key}`, "expected a string, number or boolean configuration value");
    }
  }
  return map as ConfigMap;
}

function topicAt(context: FieldContext, value: unknown, field: string): TopicDescription {
  const topic = objectAt(context, value, field);
  stringAt(context, topic.name, `${field}.name`);
  const partitions = countAt(context, topic.partitions, `${field}.partitions`);
  if (partitions < 1) fail(context, `${field}.partitions`, "a topic needs at least 1 partition");
  const replicationFactor = countAt(context, topic.replicationFactor, `${field}.replicationFactor`);
  if (replicationFactor < 1) fail(context, `${field}.replicationFactor`, "the replication factor is at least 1");
  configMapAt(context, topic.config, `${field}.config`);
  if (topic.assignment !== undefined) {
    const assignment = arrayAt(context, topic.assignment, `${field}.assignment`);
    if (assignment.length !== partitions) {
      fail(context, `${field}.assignment`, `expected one replica list per partition (${partitions}), got ${assignment.length}`);
    }
    assignment.forEach((replicas, partition) => {
      const list = arrayAt(context, replicas, `${field}.assignment[${partition}]`);
      list.forEach((broker, position) => countAt(context, broker, `${field}.assignment[${partition}][${position}]`));
    });
  }
  return topic as unknown as TopicDescription;
}

export function validateHeaderShape(context: FieldContext, value: unknown): HistoryHeader {
  const header = objectAt(context, value, "header");
  if (header.kind !== "kafka-harness-history") {
    fail(context, "kind", `expected "kafka-harness-history" (the first line must be the header), got ${JSON.stringify(header.kind)}`);
  }
  if (header.version !== 1) fail(context, "version", `expected 1, got ${JSON.stringify(header.version)}`);
  stringAt(context, header.target, "target");
  if (header.kafkaVersion !== undefined) stringAt(context, header.kafkaVersion, "kafkaVersion");
  const brokers = arrayAt(context, header.brokers, "brokers");
  brokers.forEach((broker, position) => countAt(context, broker, `brokers[${position}]`));
  if (new Set(brokers).size !== brokers.length) fail(context, "brokers", "broker ids must be distinct");
  configMapAt(context, header.broker, "broker");
  const topics = arrayAt(context, header.topics, "topics");
  if (topics.length > maxTopics) fail(context, "topics", `at most ${maxTopics} topics`);
  const names = new Set<string>();
  topics.forEach((topic, position) => {
    const described = topicAt(context, topic, `topics[${position}]`);
    if (names.has(described.name)) fail(context, `topics[${position}].name`, `topic '${described.name}' is described twice`);
    names.add(described.name);
  });
  const clients = objectAt(context, header.clients, "clients");
  for (const [id, client] of Object.entries(clients)) {
    const description = objectAt(context, client, `clients.${id}`);
    const role = oneOfAt(context, description.role, `clients.${id}.role`, clientRoles);
    configMapAt(context, description.config, `clients.${id}.config`);
    if (description.commitMode !== undefined) {
      oneOfAt(context, description.commitMode, `clients.${id}.commitMode`, commitModes);
      if (role !== "consumer") fail(context, `clients.${id}.commitMode`, `a commit mode is for group consumers; ${id} is a ${role}`);
    }
  }
  if (header.client !== undefined) {
    const client = objectAt(context, header.client, "client");
    stringAt(context, client.name, "client.name");
    stringAt(context, client.version, "client.version");
  }
  if (header.scenario !== undefined) stringAt(context, header.scenario, "scenario");
  if (header.seed !== undefined) stringAt(context, header.seed, "seed");
  return header as unknown as HistoryHeader;
}

/** Partition counts by topic name, to check every topic/partition an event names. */
export type TopicPartitionCounts = ReadonlyMap<string, number>;

export function topicPartitionCounts(header: HistoryHeader): TopicPartitionCounts {
  return new Map(header.topics.map((topic) => [topic.name, topic.partitions]));
}

function partitionOf(context: FieldContext, topics: TopicPartitionCounts, object: JsonObject, field: string, required: boolean): void {
  const topic = stringAt(context, object.topic, `${field}.topic`);
  const partitions = topics.get(topic);
  if (partitions === undefined) fail(context, `${field}.topic`, `topic '${topic}' is not described in the header`);
  if (object.partition === undefined && !required) return;
  const partition = countAt(context, object.partition, `${field}.partition`);
  if (partition >= partitions) {
    fail(context, `${field}.partition`, `topic '${topic}' has partitions 0..${partitions - 1}, got ${partition}`);
  }
}

function sendValueAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown, type: string): void {
  const send = objectAt(context, value, "value");
  partitionOf(context, topics, send, "value", false);
  nullableStringAt(context, send.key, "value.key");
  stringAt(context, send.value, "value.value");
  if (send.offset !== undefined) {
    if (type !== "ok") fail(context, "value.offset", "only an ok send carries an acknowledged offset");
    countAt(context, send.offset, "value.offset");
  }
}

/** The common case, checked without building field names; the detailed path explains a failure. */
function recordLooksValid(topics: TopicPartitionCounts, value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as JsonObject;
  const partitions = typeof record.topic === "string" ? topics.get(record.topic) : undefined;
  const partition = record.partition;
  const offset = record.offset;
  return (
    partitions !== undefined &&
    typeof partition === "number" &&
    Number.isSafeInteger(partition) &&
    partition >= 0 &&
    partition < partitions &&
    typeof offset === "number" &&
    Number.isSafeInteger(offset) &&
    offset >= 0 &&
    (record.key === null || typeof record.key === "string") &&
    typeof record.value === "string"
  );
}

function readRecordsAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown): JsonObject {
  const poll = objectAt(context, value, "value");
  const records = arrayAt(context, poll.records, "value.records");
  for (let position = 0; position < records.length; position++) {
    if (recordLooksValid(topics, records[position])) continue;
    const field = `value.records[${position}]`;
    const record = objectAt(context, records[position], field);
    partitionOf(context, topics, record, field, true);
    countAt(context, record.offset, `${field}.offset`);
    nullableStringAt(context, record.key, `${field}.key`);
    stringAt(context, record.value, `${field}.value`);
  }
  if (poll.final !== undefined) booleanAt(context, poll.final, "value.final");
  return poll;
}

function topicPartitionsAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown): void {
  const assign = objectAt(context, value, "value");
  const partitions = arrayAt(context, assign.partitions, "value.partitions");
  partitions.forEach((entry, position) => {
    partitionOf(context, topics, objectAt(context, entry, `value.partitions[${position}]`), `value.partitions[${position}]`, true);
  });
}

function nemesisValueAt(context: FieldContext, value: unknown): void {
  if (value === undefined) return;
  const nemesis = objectAt(context, value, "value");
  if (nemesis.nodes !== undefined) {
    arrayAt(context, nemesis.nodes, "value.nodes").forEach((node, position) => stringAt(context, node, `value.nodes[${position}]`));
  }
  if (nemesis.cuts !== undefined) {
    arrayAt(context, nemesis.cuts, "value.cuts").forEach((cut, position) => {
      const link = arrayAt(context, cut, `value.cuts[${position}]`);
      if (link.length !== 2) fail(context, `value.cuts[${position}]`, "a cut is a [from, to] pair of node names");
      stringAt(context, link[0], `value.cuts[${position}][0]`);
      stringAt(context, link[1], `value.cuts[${position}][1]`);
    });
  }
  if (nemesis.description !== undefined) stringAt(context, nemesis.description, "value.description");
}

function electionValueAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown): void {
  const election = objectAt(context, value, "value");
  partitionOf(context, topics, election, "value", true);
  countAt(context, election.leader, "value.leader");
  countAt(context, election.epoch, "value.epoch");
  booleanAt(context, election.unclean, "value.unclean");
}

function endOffsetsAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown): void {
  const endOffsets = objectAt(context, value, "value");
  arrayAt(context, endOffsets.offsets, "value.offsets").forEach((entry, position) => {
    const field = `value.offsets[${position}]`;
    const object = objectAt(context, entry, field);
    partitionOf(context, topics, object, field, true);
    const start = countAt(context, object.startOffset, `${field}.startOffset`);
    const end = countAt(context, object.endOffset, `${field}.endOffset`);
    if (start > end) fail(context, `${field}.startOffset`, `the start offset ${start} is above the end offset ${end}`);
  });
}

const noGroupClients: GroupClients = new Map();
const noTransactionalClients: TransactionalClients = new Map();

/** Each producer's `transactional.id` (null: a producer without one). */
export type TransactionalClients = ReadonlyMap<string, string | null>;

export function transactionalClientsOf(header: HistoryHeader): TransactionalClients {
  const clients = new Map<string, string | null>();
  for (const [id, client] of Object.entries(header.clients)) {
    if (client.role !== "producer") continue;
    const transactionalId = client.config["transactional.id"];
    clients.set(id, typeof transactionalId === "string" ? transactionalId : null);
  }
  return clients;
}

/** A txn-* event: only from a producer with transactional.id, naming that id (invocations always, completions when they carry a value). */
function transactionValueAt(context: FieldContext, topics: TopicPartitionCounts, transactional: TransactionalClients, process: string, type: string, f: string, value: unknown): void {
  const own = transactional.get(process);
  if (own === undefined || own === null) {
    const what = own === undefined ? "is not a producer in the header" : "has no transactional.id";
    fail(context, "process", `'${f}' is a transaction event, but ${process} ${what} (allowed: a producer with transactional.id)`);
  }
  if (type !== "invoke" && value === undefined) return;
  const object = objectAt(context, value, "value");
  const named = stringAt(context, object.transactionalId, "value.transactionalId");
  if (named !== own) fail(context, "value.transactionalId", `${process} has transactional.id '${own}', not '${named}'`);
  if (f === "txn-init" && type === "ok") {
    if (object.producerId !== undefined) countAt(context, object.producerId, "value.producerId");
    if (object.epoch !== undefined) countAt(context, object.epoch, "value.epoch");
  }
  if (f === "txn-send-offsets" && type === "invoke") {
    stringAt(context, object.group, "value.group");
    arrayAt(context, object.offsets, "value.offsets").forEach((entry, position) => {
      const field = `value.offsets[${position}]`;
      const offset = objectAt(context, entry, field);
      partitionOf(context, topics, offset, field, true);
      countAt(context, offset.offset, `${field}.offset`);
    });
  }
}

/** The observer's txn-marker: a partition leader appended a commit or abort control record at `offset`. */
function markerValueAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown): void {
  const marker = objectAt(context, value, "value");
  stringAt(context, marker.transactionalId, "value.transactionalId");
  countAt(context, marker.producerId, "value.producerId");
  countAt(context, marker.epoch, "value.epoch");
  partitionOf(context, topics, marker, "value", true);
  countAt(context, marker.offset, "value.offset");
  booleanAt(context, marker.commit, "value.commit");
}

/**
 * Validates one event's own fields (not its relation to other events: see operations.ts). `groups`:
 * each consumer's group.id (group-shape.ts's groupClientsOf), for the consumer-group events.
 */
export function validateEventShape(
  context: FieldContext,
  topics: TopicPartitionCounts,
  value: unknown,
  position: number,
  groups: GroupClients = noGroupClients,
  transactional: TransactionalClients = noTransactionalClients,
): HistoryEvent {
  const event = objectAt(context, value, "event");
  if (event.index !== position) {
    fail(context, "index", `expected ${position} (events are numbered from 0 without gaps), got ${JSON.stringify(event.index)}`);
  }
  finiteAt(context, event.time, "time");
  const process = stringAt(context, event.process, "process");
  if (process.length === 0) fail(context, "process", "expected a non-empty process id");
  const type = oneOfAt(context, event.type, "type", eventTypes);
  const f = stringAt(context, event.f, "f");
  if (event.error !== undefined) stringAt(context, event.error, "error");
  if (process === nemesisProcess) {
    oneOfAt(context, f, "f", nemesisFunctions);
    nemesisValueAt(context, event.value);
  } else if (process === observerProcess) {
    if (type !== "info") fail(context, "type", `observer events are observations: expected "info", got "${type}"`);
    oneOfAt(context, f, "f", ["leader-elected", "txn-marker", ...observerGroupFunctions]);
    if (f === "leader-elected") electionValueAt(context, topics, event.value);
    else if (f === "txn-marker") markerValueAt(context, topics, event.value);
    else validateObserverGroupShape(context, topics, groups, f, event.value);
  } else if (f === "send") {
    // Kafka appended the record before answering NOT_ENOUGH_REPLICAS_AFTER_APPEND: it is indefinite, never a failure.
    if (type === "fail" && event.error === "NOT_ENOUGH_REPLICAS_AFTER_APPEND") {
      fail(context, "type", "a send that failed with NOT_ENOUGH_REPLICAS_AFTER_APPEND was appended (the error says so): record it as \"info\", not \"fail\"");
    }
    if (type === "invoke" || type === "ok" || event.value !== undefined) sendValueAt(context, topics, event.value, type);
  } else if (f === "poll") {
    if (type === "ok") {
      const poll = readRecordsAt(context, topics, event.value);
      validatePollGeneration(context, groups, process, poll);
    } else if (event.value !== undefined) {
      const poll = objectAt(context, event.value, "value");
      if (poll.final !== undefined) booleanAt(context, poll.final, "value.final");
    }
  } else if (f === "assign") {
    if (type === "invoke" || type === "ok") topicPartitionsAt(context, topics, event.value);
  } else if (f === "seek") {
    if (type === "invoke" || type === "ok") {
      const seek = objectAt(context, event.value, "value");
      partitionOf(context, topics, seek, "value", true);
      countAt(context, seek.offset, "value.offset");
    }
  } else if (f === "end-offsets") {
    if (type === "ok") endOffsetsAt(context, topics, event.value);
  } else if (transactionFunctions.has(f)) {
    transactionValueAt(context, topics, transactional, process, type, f, event.value);
  } else if (groupFunctions.has(f)) {
    validateGroupEventShape(context, topics, groups, process, type, f, event.value);
  }
  return event as unknown as HistoryEvent;
}

export type { ClientDescription };
