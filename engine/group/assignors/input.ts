/**
 * What every assignor checks on its input before computing, and the invariant it checks on its output,
 * so a malformed group fails loudly with the member and value named instead of yielding a quiet wrong
 * assignment.
 */
import type { AssignorMember, AssignorPartition } from "./assignor.js";
import { comparePartitions, partitionKey } from "./order.js";

/** Refuses duplicate member ids, negative or fractional partition counts and owned partitions that make no sense. */
export function validateInput(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): void {
  for (const [topic, count] of partitionCounts) {
    if (!Number.isInteger(count) || count < 0) {
      throw new Error(`assignor: partition count of topic ${JSON.stringify(topic)} is ${count}; allowed: a whole number >= 0`);
    }
  }
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.member)) throw new Error(`assignor: member id ${JSON.stringify(member.member)} appears twice; member ids must be unique`);
    seen.add(member.member);
    if (!Number.isInteger(member.generation) || member.generation < -1) {
      throw new Error(`assignor: member ${member.member} has generation ${member.generation}; allowed: a whole number >= -1`);
    }
    // A member with no topics does not join a group (Java's subscribe of nothing is an unsubscribe).
    if (member.topics.length === 0) throw new Error(`assignor: member ${member.member} subscribes to no topic; allowed: one or more topics`);
    if (new Set(member.topics).size !== member.topics.length) {
      throw new Error(`assignor: member ${member.member} subscribes to ${JSON.stringify(member.topics)} with a topic twice; a subscription is a set`);
    }
    const ownedKeys = new Set<string>();
    for (const owned of member.owned) {
      const count = partitionCounts.get(owned.topic);
      if (!Number.isInteger(owned.partition) || owned.partition < 0 || (count !== undefined && count > 0 && owned.partition >= count)) {
        const allowed = count === undefined || count === 0 ? "a whole number >= 0" : `0..${count - 1} (${owned.topic} has ${count} partitions)`;
        throw new Error(`assignor: member ${member.member} owns partition ${owned.partition} of ${owned.topic}; allowed: ${allowed}`);
      }
      if (ownedKeys.has(partitionKey(owned))) throw new Error(`assignor: member ${member.member} owns ${partitionKey(owned)} twice`);
      ownedKeys.add(partitionKey(owned));
    }
  }
}

/** The partitions of one topic that exist (a topic absent from the counts, or with none, has none: Java skips it). */
export function partitionsOf(topic: string, partitionCounts: ReadonlyMap<string, number>): AssignorPartition[] {
  const count = partitionCounts.get(topic) ?? 0;
  return Array.from({ length: count }, (_, partition) => ({ topic, partition }));
}

/**
 * The topics Java's assignors work on (its `partitionsPerTopic`): subscribed by some member and with at
 * least one partition; a subscribed topic without metadata is skipped, as Java skips it.
 */
export function assignableTopics(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Map<string, number> {
  const topics = new Map<string, number>();
  for (const topic of subscribedTopics(members)) {
    const count = partitionCounts.get(topic) ?? 0;
    if (count > 0) topics.set(topic, count);
  }
  return topics;
}

/** Every topic some member subscribes to, once, in sorted order. */
export function subscribedTopics(members: readonly AssignorMember[]): string[] {
  return [...new Set(members.flatMap((member) => member.topics))].sort();
}

/**
 * The output invariant every assignor keeps: each member has an entry, each existing partition of a
 * subscribed topic is assigned at most once, only to a member subscribed to its topic, and (unless
 * `complete` is false: cooperative-sticky withholds the partitions that move) at least once. With
 * `returnsOwned` (the sticky assignors) a partition may also go back to a member that owned it and no
 * longer subscribes to its topic: Java's general sticky builder does that (see sticky-general.ts). Returns the
 * assignment with each member's partitions sorted, so callers see one canonical order.
 */
export function checkedAssignment(
  assignor: string,
  members: readonly AssignorMember[],
  partitionCounts: ReadonlyMap<string, number>,
  assignment: ReadonlyMap<string, readonly AssignorPartition[]>,
  complete = true,
  returnsOwned = false,
): Map<string, AssignorPartition[]> {
  const owner = new Map<string, string>();
  const result = new Map<string, AssignorPartition[]>();
  for (const member of members) {
    const partitions = [...(assignment.get(member.member) ?? [])].sort(comparePartitions);
    for (const partition of partitions) {
      const key = partitionKey(partition);
      const earlier = owner.get(key);
      if (earlier !== undefined) throw new Error(`${assignor}: ${key} assigned to both ${earlier} and ${member.member}`);
      if (!member.topics.includes(partition.topic) && !(returnsOwned && member.owned.some((owned) => partitionKey(owned) === key))) {
        throw new Error(`${assignor}: ${key} assigned to ${member.member}, which does not subscribe to ${partition.topic}`);
      }
      owner.set(key, member.member);
    }
    result.set(member.member, partitions);
  }
  if (assignment.size !== members.length) throw new Error(`${assignor}: assignment has ${assignment.size} entries for ${members.length} members`);
  if (!complete) return result;
  for (const topic of subscribedTopics(members)) {
    for (const partition of partitionsOf(topic, partitionCounts)) {
      if (!owner.has(partitionKey(partition))) throw new Error(`${assignor}: ${partitionKey(partition)} is subscribed but unassigned`);
    }
  }
  return result;
}
