/**
 * C1 `split-ownership`, on ownership claims ("owner O holds p in generation g of group G",
 * group-model.ts): two different owners (group.instance.id for a static member, else the
 * member id) claim one partition in one generation of one group, in their own `assigned` calls or in
 * the coordinator's generation. One generation's assignment gives each partition to one member; no
 * timing is needed (a zombie still owning p in an older generation is no second owner of the new one).
 * C2 is judged in judge-coverage.ts.
 */
import type { Claim } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";

/** Rank 14: C1. */
export function judgeSplitOwnership(groups: GroupJudging): void {
  const model = groups.model;
  const first = new Map<string, Claim>();
  const reported = new Set<string>();
  for (const claim of model.claims) {
    groups.evidence.claims++;
    const key = `${claim.group}\u0000${claim.generation}\u0000${claim.partitionId}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, claim);
      continue;
    }
    if (earlier.owner === claim.owner || reported.has(key)) continue;
    reported.add(key);
    const where = (entry: Claim): string => (entry.span === null ? `the coordinator's generation ${entry.generation} (event ${entry.index})` : `${entry.span.member.process}'s assigned call (event ${entry.index})`);
    const subjects = [`split@${key}`, ...[earlier, claim].flatMap((entry) => (entry.span === null ? [] : [entry.span.owned]))];
    groups.emit(
      {
        kind: "split-ownership",
        guarantee: "C1",
        message: `${model.partitionName(claim.partitionId)} has two owners in generation ${claim.generation} of group '${claim.group}': ${earlier.owner} (${where(earlier)}) and ${claim.owner} (${where(claim)})`,
        records: [{ topic: model.state.partitionOf(claim.partitionId).topic, partition: model.state.partitionOf(claim.partitionId).partition }],
        events: [earlier.index, claim.index],
        allowed: false,
        explanation: "one generation's assignment gives each partition to at most one member",
        configuration: `group.id=${claim.group}`,
      },
      subjects,
    );
  }
  groups.evidence.claimedPairs = first.size;
}
