/**
 * Sticky (Java's StickyAssignor, eager): as balanced as the subscriptions allow, and otherwise keeping
 * what each member owned. Eager: members give up everything before joining and bring their previous
 * assignment (with its generation) as user data, which is `owned` and `generation` here.
 */
import type { Assignor, AssignorMember, AssignorPartition } from "./assignor.js";
import { assignableTopics, checkedAssignment, validateInput } from "./input.js";
import { settleClaims } from "./sticky-claims.js";
import { assignConstrained } from "./sticky-constrained.js";
import { assignGeneral } from "./sticky-general.js";
import type { StickyResult } from "./sticky-result.js";

/** The sticky computation both sticky assignors share (Java's AbstractStickyAssignor). */
export function computeSticky(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): StickyResult {
  validateInput(members, partitionCounts);
  if (members.length === 0) return { assignment: new Map(), transferring: new Map() };
  const topics = assignableTopics(members, partitionCounts);
  const claims = settleClaims(members, topics);
  return claims.subscriptionsEqual ? assignConstrained(claims, topics) : assignGeneral(claims, topics);
}

function assignSticky(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Map<string, AssignorPartition[]> {
  return checkedAssignment("sticky", members, partitionCounts, computeSticky(members, partitionCounts).assignment, true, true);
}

export const stickyAssignor: Assignor = { name: "sticky", protocol: "eager", assign: assignSticky };
