/**
 * Cooperative-sticky (Java's CooperativeStickyAssignor, KIP-429): the sticky assignment, except that a
 * partition moving from one current member to another is withheld from its new owner in this
 * generation. The old owner sees it missing from its assignment and revokes it; its revocation makes
 * it rejoin, and the follow-up rebalance (where nobody owns it any more) hands it out. So no partition
 * is ever owned by two members at once, and members keep consuming everything that does not move.
 */
import type { Assignor, AssignorMember, AssignorPartition } from "./assignor.js";
import { checkedAssignment } from "./input.js";
import { partitionKey } from "./order.js";
import { computeSticky } from "./sticky.js";

/** Partitions given to a member that did not own them, which another member owned and now loses. */
function moving(members: readonly AssignorMember[], assignment: ReadonlyMap<string, readonly AssignorPartition[]>): Map<string, string> {
  const added = new Map<string, string>();
  const revoked = new Set<string>();
  for (const member of members) {
    const owned = new Set(member.owned.map(partitionKey));
    const assigned = new Set((assignment.get(member.member) ?? []).map(partitionKey));
    for (const key of assigned) if (!owned.has(key)) added.set(key, member.member);
    for (const key of owned) if (!assigned.has(key)) revoked.add(key);
  }
  return new Map([...added].filter(([key]) => revoked.has(key)));
}

function assignCooperativeSticky(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Map<string, AssignorPartition[]> {
  const { assignment, transferring } = computeSticky(members, partitionCounts);
  const withheld = transferring ?? moving(members, assignment);
  const adjusted = new Map<string, AssignorPartition[]>();
  for (const [member, partitions] of assignment) {
    adjusted.set(
      member,
      partitions.filter((partition) => withheld.get(partitionKey(partition)) !== member),
    );
  }
  return checkedAssignment("cooperative-sticky", members, partitionCounts, adjusted, false, true);
}

export const cooperativeStickyAssignor: Assignor = { name: "cooperative-sticky", protocol: "cooperative", assign: assignCooperativeSticky };
