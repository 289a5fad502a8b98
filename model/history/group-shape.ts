/**
 * Shape rules for the consumer-group events (event.ts documents them): a group consumer's subscribe,
 * rebalance listener calls, polls with their generation, processing and commits, and the coordinator's
 * observations. Each rule throws a HistoryFormatError naming the field, like the rest of shape.ts; the
 * process's own `group.id` (from the header) is the only group its events may name.
 */
import type { HistoryHeader } from "./event.js";
import { arrayAt, countAt, fail, objectAt, oneOfAt, stringAt, type FieldContext, type JsonObject } from "./fields.js";
import type { TopicPartitionCounts } from "./shape.js";

/** Each consumer's `group.id` (null: a consumer without one); processes that are not consumers are absent. */
export type GroupClients = ReadonlyMap<string, string | null>;

/** Functions only a group consumer records. */
export const groupFunctions: ReadonlySet<string> = new Set(["subscribe", "assigned", "revoked", "lost", "process", "commit"]);
/** The rebalance listener's calls: lone `info` events, never invoked. */
export const rebalanceFunctions: ReadonlySet<string> = new Set(["assigned", "revoked", "lost"]);
export const observerGroupFunctions: readonly string[] = ["group-generation", "offset-committed"];

const commitKinds = ["sync", "async", "auto"] as const;

export function groupClientsOf(header: HistoryHeader): GroupClients {
  const clients = new Map<string, string | null>();
  for (const [id, client] of Object.entries(header.clients)) {
    if (client.role !== "consumer") continue;
    const group = client.config["group.id"];
    clients.set(id, typeof group === "string" && group.length > 0 ? group : null);
  }
  return clients;
}

/** A generation id: 1, 2, ... per group; -1 for "not in a generation". */
function generationAt(context: FieldContext, value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < -1) fail(context, field, `expected an integer >= -1 (a generation id, -1 for none), got ${JSON.stringify(value)}`);
  return value;
}

function partitionAt(context: FieldContext, topics: TopicPartitionCounts, object: JsonObject, field: string): void {
  const topic = stringAt(context, object.topic, `${field}.topic`);
  const partitions = topics.get(topic);
  if (partitions === undefined) fail(context, `${field}.topic`, `topic '${topic}' is not described in the header`);
  const partition = countAt(context, object.partition, `${field}.partition`);
  if (partition >= partitions) fail(context, `${field}.partition`, `topic '${topic}' has partitions 0..${partitions - 1}, got ${partition}`);
}

function partitionListAt(context: FieldContext, topics: TopicPartitionCounts, value: unknown, field: string, withOffset: boolean): void {
  arrayAt(context, value, field).forEach((entry, position) => {
    const entryField = `${field}[${position}]`;
    const object = objectAt(context, entry, entryField);
    partitionAt(context, topics, object, entryField);
    if (withOffset) countAt(context, object.offset, `${entryField}.offset`);
  });
}

/** The group a group consumer's event names must be its own `group.id`. */
function ownGroupAt(context: FieldContext, groups: GroupClients, process: string, value: unknown, field: string): void {
  const group = stringAt(context, value, field);
  const own = groups.get(process);
  if (group !== own) fail(context, field, `${process} is a member of group '${own ?? "?"}' (its group.id), not of '${group}'`);
}

function memberGenerationAt(context: FieldContext, groups: GroupClients, process: string, object: JsonObject): void {
  ownGroupAt(context, groups, process, object.group, "value.group");
  generationAt(context, object.generation, "value.generation");
  stringAt(context, object.member, "value.member");
}

function commitValueAt(context: FieldContext, topics: TopicPartitionCounts, groups: GroupClients, process: string, value: unknown): void {
  const commit = objectAt(context, value, "value");
  memberGenerationAt(context, groups, process, commit);
  oneOfAt(context, commit.mode, "value.mode", commitKinds);
  partitionListAt(context, topics, commit.offsets, "value.offsets", true);
}

/**
 * One event of a group consumer with an `f` of groupFunctions. The process must be a consumer with a
 * `group.id`: a group event from anything else is bad input.
 */
export function validateGroupEventShape(context: FieldContext, topics: TopicPartitionCounts, groups: GroupClients, process: string, type: string, f: string, value: unknown): void {
  const group = groups.get(process);
  if (group === undefined || group === null) {
    const what = group === undefined ? "is not a consumer in the header" : "has no group.id";
    fail(context, "process", `'${f}' is a consumer-group event, but ${process} ${what} (allowed: a consumer with group.id)`);
  }
  if (rebalanceFunctions.has(f)) {
    if (type !== "info") fail(context, "type", `'${f}' is a rebalance listener call, recorded as a lone "info" event; got "${type}"`);
    const rebalance = objectAt(context, value, "value");
    memberGenerationAt(context, groups, process, rebalance);
    partitionListAt(context, topics, rebalance.partitions, "value.partitions", false);
    return;
  }
  const carried = type === "invoke" || value !== undefined;
  if (!carried) return;
  switch (f) {
    case "subscribe": {
      const subscribe = objectAt(context, value, "value");
      ownGroupAt(context, groups, process, subscribe.group, "value.group");
      const subscribed = arrayAt(context, subscribe.topics, "value.topics");
      if (subscribed.length === 0) fail(context, "value.topics", "a subscription names at least one topic");
      subscribed.forEach((topic, position) => {
        const name = stringAt(context, topic, `value.topics[${position}]`);
        if (!topics.has(name)) fail(context, `value.topics[${position}]`, `topic '${name}' is not described in the header`);
      });
      return;
    }
    case "process":
      partitionListAt(context, topics, objectAt(context, value, "value").records, "value.records", true);
      return;
    case "commit":
      commitValueAt(context, topics, groups, process, value);
      return;
    default:
      return;
  }
}

/** A group consumer's poll may carry the member's generation; nobody else's may. */
export function validatePollGeneration(context: FieldContext, groups: GroupClients, process: string, poll: JsonObject): void {
  if (poll.generation === undefined && poll.member === undefined && poll.group === undefined) return;
  const group = groups.get(process);
  if (group === undefined || group === null) fail(context, "value.generation", `only a group consumer's poll carries a generation; ${process} has no group.id`);
  if (poll.group !== undefined) ownGroupAt(context, groups, process, poll.group, "value.group");
  generationAt(context, poll.generation, "value.generation");
  stringAt(context, poll.member, "value.member");
}

/** The coordinator's observations (process `observer`). */
export function validateObserverGroupShape(context: FieldContext, topics: TopicPartitionCounts, groups: GroupClients, f: string, value: unknown): void {
  const object = objectAt(context, value, "value");
  const group = stringAt(context, object.group, "value.group");
  if (f === "group-generation") {
    countAt(context, object.generation, "value.generation");
    stringAt(context, object.protocol, "value.protocol");
    const members = arrayAt(context, object.members, "value.members");
    const seen = new Set<string>();
    members.forEach((entry, position) => {
      const field = `value.members[${position}]`;
      const member = objectAt(context, entry, field);
      const id = stringAt(context, member.member, `${field}.member`);
      if (seen.has(id)) fail(context, `${field}.member`, `member '${id}' is listed twice in one generation`);
      seen.add(id);
      const client = stringAt(context, member.client, `${field}.client`);
      if (groups.get(client) !== group) fail(context, `${field}.client`, `'${client}' is not a consumer of group '${group}' in the header (its group.id: ${groups.get(client) ?? "none"})`);
      if (member.instance !== undefined) stringAt(context, member.instance, `${field}.instance`);
      partitionListAt(context, topics, member.partitions, `${field}.partitions`, false);
    });
    return;
  }
  partitionAt(context, topics, object, "value");
  countAt(context, object.offset, "value.offset");
  generationAt(context, object.generation, "value.generation");
  stringAt(context, object.member, "value.member");
}
