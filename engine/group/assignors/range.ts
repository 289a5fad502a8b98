/**
 * Range (Java's RangeAssignor without racks): topic by topic, the topic's subscribers in member order
 * (static members by instance id first, then member ids) each take a contiguous run of partitions;
 * the first `count % subscribers` take one more. Ownership is ignored: range is eager and not sticky.
 */
import type { Assignor, AssignorMember, AssignorPartition } from "./assignor.js";
import { checkedAssignment, partitionsOf, subscribedTopics, validateInput } from "./input.js";
import { sortedMembers } from "./order.js";

function assignRange(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Map<string, AssignorPartition[]> {
  validateInput(members, partitionCounts);
  const assignment = new Map<string, AssignorPartition[]>(members.map((member) => [member.member, []]));
  const ordered = sortedMembers(members);
  for (const topic of subscribedTopics(members)) {
    const partitions = partitionsOf(topic, partitionCounts);
    const subscribers = ordered.filter((member) => member.topics.includes(topic));
    const base = Math.floor(partitions.length / subscribers.length);
    const extra = partitions.length % subscribers.length;
    let next = 0;
    subscribers.forEach((subscriber, index) => {
      const size = base + (index < extra ? 1 : 0);
      assignment.get(subscriber.member)?.push(...partitions.slice(next, next + size));
      next += size;
    });
    if (next !== partitions.length) throw new Error(`range: handed out ${next} of ${partitions.length} partitions of ${topic}`);
  }
  return checkedAssignment("range", members, partitionCounts, assignment);
}

export const rangeAssignor: Assignor = { name: "range", protocol: "eager", assign: assignRange };
