/**
 * The orders Java's assignors rely on, in one place so every assignor sorts the same way: Java compares
 * strings by UTF-16 code units, which is what JavaScript's `<` does too, so no locale-aware comparison.
 */
import type { AssignorMember, AssignorPartition } from "./assignor.js";

export function compareText(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

/** Topic, then partition number: TopicPartition's natural order in Java's sticky assignors. */
export function comparePartitions(left: AssignorPartition, right: AssignorPartition): number {
  return compareText(left.topic, right.topic) || left.partition - right.partition;
}

/** "topic-3": a partition as a map key (Java's TopicPartition.toString, so messages read alike). */
export function partitionKey(partition: AssignorPartition): string {
  return `${partition.topic}-${partition.partition}`;
}

/**
 * Java's MemberInfo order (range and roundrobin): static members (with `group.instance.id`) first,
 * ordered by instance id, then dynamic members ordered by member id.
 */
export function compareMembers(left: AssignorMember, right: AssignorMember): number {
  if (left.instance !== undefined && right.instance !== undefined) return compareText(left.instance, right.instance);
  if (left.instance !== undefined) return -1;
  if (right.instance !== undefined) return 1;
  return compareText(left.member, right.member);
}

export function sortedMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort(compareMembers);
}
