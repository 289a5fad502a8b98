/**
 * The first step of Java's sticky assignors (AbstractStickyAssignor): walk the members in Java's
 * iteration order of the leader's subscription map, decide whether every member subscribes to the
 * same topics, and settle each member's still-valid previous ownership. A partition claimed by two
 * members goes to the higher generation; two claims in the same generation invalidate it for both
 * (it is then handed out as moving, so cooperative-sticky withholds it for one rebalance).
 */
import type { AssignorMember, AssignorPartition } from "./assignor.js";
import { javaHashMapOrder } from "./java-hash.js";
import { partitionKey } from "./order.js";

export interface StickyClaims {
  /** The members in the order Java iterates the leader's HashMap of subscriptions (member id keys). */
  readonly order: readonly AssignorMember[];
  readonly byId: ReadonlyMap<string, AssignorMember>;
  readonly subscriptionsEqual: boolean;
  /** Per member, the owned partitions of existing topics it keeps a claim on, in its owned order. */
  readonly owned: ReadonlyMap<string, AssignorPartition[]>;
  /** Partitions two members of one generation both claimed: nobody keeps them. */
  readonly contested: ReadonlySet<string>;
  readonly maxGeneration: number;
}

/** `topics`: the assignable topics and their partition counts (see assignableTopics). */
export function settleClaims(members: readonly AssignorMember[], topics: ReadonlyMap<string, number>): StickyClaims {
  const byId = new Map(members.map((member) => [member.member, member]));
  const order = javaHashMapOrder(members.map((member) => member.member)).map((id) => byId.get(id) as AssignorMember);
  const owned = new Map<string, AssignorPartition[]>();
  const contested = new Set<string>();
  const claimant = new Map<string, string>();
  let firstTopics: ReadonlySet<string> | undefined;
  let subscriptionsEqual = true;
  let maxGeneration = -1;
  for (const member of order) {
    if (firstTopics === undefined) firstTopics = new Set(member.topics);
    else if (member.topics.length !== firstTopics.size || !member.topics.every((topic) => firstTopics?.has(topic))) subscriptionsEqual = false;
    maxGeneration = Math.max(maxGeneration, member.generation);
    const kept: AssignorPartition[] = [];
    owned.set(member.member, kept);
    for (const partition of member.owned) {
      if (!topics.has(partition.topic)) continue;
      const key = partitionKey(partition);
      const other = claimant.get(key);
      if (other === undefined) {
        kept.push(partition);
        claimant.set(key, member.member);
        continue;
      }
      const otherGeneration = (byId.get(other) as AssignorMember).generation;
      if (member.generation === otherGeneration) {
        contested.add(key);
        dropClaim(owned.get(other), key);
        claimant.set(key, member.member);
      } else if (member.generation > otherGeneration) {
        kept.push(partition);
        dropClaim(owned.get(other), key);
        claimant.set(key, member.member);
      }
      // else: the other member's newer claim stands.
    }
  }
  return { order, byId, subscriptionsEqual, owned, contested, maxGeneration };
}

function dropClaim(partitions: AssignorPartition[] | undefined, key: string): void {
  if (partitions === undefined) return;
  const index = partitions.findIndex((partition) => partitionKey(partition) === key);
  if (index >= 0) partitions.splice(index, 1);
}
