/**
 * Round-robin (Java's RoundRobinAssignor): every partition of every subscribed topic, topics sorted by
 * name and partitions by number, handed in turn to the members in member order (static members by
 * instance id first, then member ids) around a circle; a member not subscribed to the partition's
 * topic is skipped (the circle moves past it), which is why unequal subscriptions can end unbalanced.
 */
import type { Assignor, AssignorMember, AssignorPartition } from "./assignor.js";
import { checkedAssignment, partitionsOf, subscribedTopics, validateInput } from "./input.js";
import { sortedMembers } from "./order.js";

function assignRoundRobin(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Map<string, AssignorPartition[]> {
  validateInput(members, partitionCounts);
  const assignment = new Map<string, AssignorPartition[]>(members.map((member) => [member.member, []]));
  const circle = sortedMembers(members);
  let turn = 0;
  for (const topic of subscribedTopics(members)) {
    for (const partition of partitionsOf(topic, partitionCounts)) {
      // Bounded: the topic has a subscriber (it came from a subscription), so one lap finds it.
      let skipped = 0;
      while (!(circle[turn % circle.length] as AssignorMember).topics.includes(topic)) {
        turn++;
        if (++skipped > circle.length) throw new Error(`roundrobin: no member subscribes to ${topic}`);
      }
      assignment.get((circle[turn % circle.length] as AssignorMember).member)?.push(partition);
      turn++;
    }
  }
  return checkedAssignment("roundrobin", members, partitionCounts, assignment);
}

export const roundRobinAssignor: Assignor = { name: "roundrobin", protocol: "eager", assign: assignRoundRobin };
