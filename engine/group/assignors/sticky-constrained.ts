/**
 * Java's sticky assignment when every member subscribes to the same topics (AbstractStickyAssignor's
 * ConstrainedAssignmentBuilder, without racks). With P partitions and N members each member gets
 * floor(P/N) or ceil(P/N), and exactly P % N members get the larger count:
 * 1. members in Java's map order keep their owned partitions (sorted by partition number, then topic)
 *    up to their quota: fewer than the minimum are kept whole; the first members owning the maximum or
 *    more keep the maximum while such slots remain; the others keep the minimum;
 * 2. the partitions left (topics sorted, partitions ascending) go round-robin to the members still under
 *    the minimum (sorted by id), then one each to the members at the minimum that may still take one.
 * A partition handed to a member other than the one that had to give it up is "transferring" (what
 * cooperative-sticky withholds), as is any partition two members claimed in the same generation.
 */
import type { AssignorPartition } from "./assignor.js";
import { compareText, partitionKey } from "./order.js";
import type { StickyClaims } from "./sticky-claims.js";
import type { StickyResult } from "./sticky-result.js";

export function assignConstrained(claims: StickyClaims, topics: ReadonlyMap<string, number>): StickyResult {
  const memberCount = claims.order.length;
  const total = [...topics.values()].reduce((sum, count) => sum + count, 0);
  const minQuota = Math.floor(total / memberCount);
  const maxQuota = Math.ceil(total / memberCount);
  const expectedOverMin = total % memberCount;
  let overMin = 0;
  const assignment = new Map<string, AssignorPartition[]>(claims.order.map((member) => [member.member, []]));
  const assigned = new Set<string>();
  const givenUpBy = new Map<string, string>();
  let underMin: string[] = [];
  let atMin: string[] = [];

  const keep = (id: string, partitions: readonly AssignorPartition[]): void => {
    assignment.get(id)?.push(...partitions);
    for (const partition of partitions) assigned.add(partitionKey(partition));
  };
  const giveUp = (id: string, partitions: readonly AssignorPartition[]): void => {
    for (const partition of partitions) givenUpBy.set(partitionKey(partition), id);
  };

  for (const member of claims.order) {
    const owned = (claims.owned.get(member.member) ?? [])
      .filter((partition) => !claims.contested.has(partitionKey(partition)))
      .sort((left, right) => left.partition - right.partition || compareText(left.topic, right.topic));
    if (owned.length < minQuota) {
      keep(member.member, owned);
      underMin.push(member.member);
    } else if (owned.length >= maxQuota && overMin < expectedOverMin) {
      overMin++;
      if (overMin === expectedOverMin) atMin = [];
      keep(member.member, owned.slice(0, maxQuota));
      giveUp(member.member, owned.slice(maxQuota));
    } else {
      keep(member.member, owned.slice(0, minQuota));
      giveUp(member.member, owned.slice(minQuota));
      if (overMin < expectedOverMin) atMin.push(member.member);
    }
  }

  const unassigned: AssignorPartition[] = [];
  for (const topic of [...topics.keys()].sort(compareText)) {
    for (let partition = 0; partition < (topics.get(topic) ?? 0); partition++) {
      if (!assigned.has(partitionKey({ topic, partition }))) unassigned.push({ topic, partition });
    }
  }
  underMin.sort(compareText);
  atMin.sort(compareText);

  const transferring = new Map<string, string>();
  const handOut = (partition: AssignorPartition, id: string): number => {
    const partitions = assignment.get(id) as AssignorPartition[];
    partitions.push(partition);
    const key = partitionKey(partition);
    const giver = givenUpBy.get(key);
    if ((giver !== undefined && giver !== id) || claims.contested.has(key)) transferring.set(key, id);
    return partitions.length;
  };

  // Java walks the under-minimum list with an iterator, dropping a member once it reaches the minimum
  // and starting over at the list's head when the iterator runs out.
  let cursor = 0;
  for (const partition of unassigned) {
    let id: string;
    let fromUnderMin: boolean;
    if (cursor < underMin.length) {
      id = underMin[cursor] as string;
      fromUnderMin = true;
    } else if (underMin.length === 0 && atMin.length === 0) {
      throw new Error(`sticky: no member left to take ${partitionKey(partition)} (quota ${minQuota}..${maxQuota})`);
    } else if (underMin.length === 0) {
      id = atMin.shift() as string;
      fromUnderMin = false;
    } else {
      cursor = 0;
      id = underMin[0] as string;
      fromUnderMin = true;
    }
    const count = handOut(partition, id);
    if (count === minQuota) {
      if (!fromUnderMin) throw new Error(`sticky: ${id} reached the minimum ${minQuota} from the at-minimum list`);
      underMin = underMin.filter((other) => other !== id);
      atMin.push(id);
    } else {
      if (fromUnderMin) cursor++;
      if (count === maxQuota) overMin++;
    }
  }

  for (const id of underMin) {
    const size = assignment.get(id)?.length ?? 0;
    if (overMin !== expectedOverMin || size !== minQuota) {
      throw new Error(`sticky: ${id} ends with ${size} partitions (quota ${minQuota}..${maxQuota}, ${overMin} of ${expectedOverMin} over the minimum)`);
    }
  }
  return { assignment, transferring };
}
