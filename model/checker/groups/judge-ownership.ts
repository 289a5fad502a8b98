/**
 * C1 and C2, on ownership claims ("owner O holds p in generation g of group G", group-model.ts):
 * - C1 `split-ownership`: two different owners (group.instance.id for a static member, else the
 *   member id) claim one partition in one generation of one group, in their own `assigned` calls or in
 *   the coordinator's generation. One generation's assignment gives each partition to one member; no
 *   timing is needed (a zombie still owning p in an older generation is no second owner of the new one).
 * - C2 `unowned-partition`: with the coordinator's view, every generation with at least one member
 *   gives every partition of the members' subscribed topics to some member. Under cooperative
 *   rebalancing a partition still owned in the previous generation by a member of this one is being
 *   revoked first and reassigned by the next generation: that is allowed (counted, not a violation).
 *   Without the coordinator's view, the group's last generation is judged from the members' own
 *   views when every live member ended in it (its latest `assigned`, and no later poll naming another
 *   generation) and every member that left could not be in it: it ended in it too (its share counted);
 *   or it closed cleanly (LeaveGroup, no group.instance.id) before a live member subscribed, so the
 *   join phase that member took part in completed without it; or a live member's poll, sent more than
 *   the leaver's session.timeout.ms plus a heartbeat after it left and with no broker fault in between,
 *   still returned that generation (the leaver was expelled by then, which would have begun a new
 *   generation). A crashed member may have joined before it died, so a later subscribe proves nothing.
 *   Otherwise C2 is inconclusive for the group, and says why.
 */
import type { GroupGenerationValue } from "../../history/event.js";
import { formatTime } from "../fault-timeline.js";
import type { Claim, GroupFacts, MemberEnd } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";

const millisecond = 1_000_000;

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

function topicPartitions(groups: GroupJudging, topics: Iterable<string>): number[] {
  const state = groups.model.state;
  const ids: number[] = [];
  for (const name of topics) {
    const topic = state.topics.get(name);
    if (topic === undefined) continue;
    for (let partition = 0; partition < topic.partitions; partition++) ids.push(topic.firstPartitionId + partition);
  }
  return ids;
}

function emitUnowned(groups: GroupJudging, facts: GroupFacts, generation: number, missing: readonly number[], events: readonly number[], from: string): void {
  const model = groups.model;
  groups.emit(
    {
      kind: "unowned-partition",
      guarantee: "C2",
      message: `generation ${generation} of group '${facts.group}' (${from}) leaves ${missing.map((partitionId) => model.partitionName(partitionId)).join(", ")} without an owner`,
      records: missing.map((partitionId) => {
        const partition = model.state.partitionOf(partitionId);
        return { topic: partition.topic, partition: partition.partition };
      }),
      events,
      allowed: false,
      explanation: "after a rebalance with at least one live member, every subscribed partition has an owner",
      configuration: `group.id=${facts.group}`,
    },
    [`unowned@${facts.group}@${generation}`],
  );
}

/** C2 on the coordinator's generations. */
function coverageFromObserver(groups: GroupJudging, facts: GroupFacts): void {
  const events = groups.model.state.history.events;
  let previous: GroupGenerationValue | null = null;
  for (const index of facts.generationEvents) {
    const event = events[index];
    if (event === undefined) continue;
    const value = event.value as GroupGenerationValue;
    if (value.members.length === 0) {
      previous = value;
      continue;
    }
    const topics = new Set<string>();
    for (const member of value.members) for (const topic of facts.subscriptionAt(member.client, event.time) ?? []) topics.add(topic);
    const owned = new Set<number>();
    for (const member of value.members) for (const entry of member.partitions) owned.add(groups.model.state.partitionId(entry.topic, entry.partition));
    groups.evidence.generationsCovered++;
    const cooperative = value.protocol.toLowerCase().includes("cooperative");
    const stillMembers = new Set(value.members.map((member) => member.member));
    const revoking = new Set<number>();
    if (cooperative && previous !== null) {
      for (const member of previous.members) {
        if (!stillMembers.has(member.member)) continue;
        for (const entry of member.partitions) revoking.add(groups.model.state.partitionId(entry.topic, entry.partition));
      }
    }
    const missing = topicPartitions(groups, topics).filter((partitionId) => !owned.has(partitionId) && !revoking.has(partitionId));
    if (missing.length > 0) emitUnowned(groups, facts, value.generation, missing, [index], "the coordinator's view");
    previous = value;
  }
}

/** True when a member that left cannot be a member of `generation`. */
function leftBefore(end: MemberEnd, generation: number, live: readonly MemberEnd[], groups: GroupJudging): boolean {
  if (end.generation === generation) return true;
  // A clean close of a dynamic member sends LeaveGroup: a generation whose join phase a later member
  // took part in (it subscribed after the close) completed without it.
  if (end.endedBy === "close" && end.profile.instance === null && live.some((member) => member.sessionStart > end.endTime)) return true;
  const state = groups.model.state;
  const bound = end.endTime + (end.profile.sessionTimeoutMs + end.profile.heartbeatIntervalMs) * millisecond;
  for (const member of live) {
    const lastPoll = lastPollInvokedAfter(groups, member, bound);
    if (lastPoll !== null && state.faults.disruption(null, end.endTime, lastPoll) === null) return true;
  }
  return false;
}

/** The time of a live member's poll invoked after `time` that returned with its final generation, or null. */
function lastPollInvokedAfter(groups: GroupJudging, member: MemberEnd, time: number): number | null {
  const events = groups.model.state.history.events;
  const invokeOf = groups.model.state.pairing.invokeOf;
  for (let position = member.profile.events.length - 1; position >= 0; position--) {
    const event = events[member.profile.events[position] as number];
    if (event === undefined || event.f !== "poll" || event.type !== "ok") continue;
    const invoke = events[invokeOf[event.index] as number];
    if (invoke === undefined || invoke.time <= time) return null;
    if ((event.value as { generation?: number }).generation === member.generation) return invoke.time;
  }
  return null;
}

/** C2 from the members' own views: the group's last generation, when it can be known. */
function coverageFromMembers(groups: GroupJudging, facts: GroupFacts): void {
  const ended = facts.ends.filter((end) => end.sessions > 0);
  const live = ended.filter((end) => end.alive);
  const unknown = (why: string): void => {
    groups.evidence.coverageUnknown.push(`group '${facts.group}': ${why}`);
  };
  if (live.length === 0) return;
  const unassigned = live.find((end) => end.generation < 0);
  if (unassigned !== undefined) return unknown(`${unassigned.profile.process} ended outside a generation`);
  const generation = live[0]?.generation ?? -1;
  const other = live.find((end) => end.generation !== generation);
  if (other !== undefined) return unknown(`its live members ended in different generations (${live.map((end) => `${end.profile.process}: ${end.generation}`).join(", ")})`);
  const mismatch = live.find((end) => end.pollMismatch);
  if (mismatch !== undefined) return unknown(`${mismatch.profile.process} polled in a generation it got no assignment for`);
  const leaver = ended.find((end) => !end.alive && !leftBefore(end, generation, live, groups));
  if (leaver !== undefined) {
    return unknown(`${leaver.profile.process} left at t=${formatTime(leaver.endTime)} and may still be a member of generation ${generation}; without the coordinator's view (observer group-generation) its share cannot be known`);
  }
  const members = ended.filter((end) => end.alive || end.generation === generation);
  const topics = new Set<string>();
  const end = Number.POSITIVE_INFINITY;
  for (const member of members) for (const topic of facts.subscriptionAt(member.profile.process, end) ?? []) topics.add(topic);
  const owned = new Set(members.flatMap((member) => member.owned));
  const revoking = new Set<number>();
  for (const claim of groups.model.claims) {
    if (claim.group === facts.group && claim.generation === generation - 1 && claim.span !== null && claim.span.member.cooperative && members.some((member) => member.profile === claim.span?.member)) revoking.add(claim.partitionId);
  }
  groups.evidence.generationsCovered++;
  const missing = topicPartitions(groups, topics).filter((partitionId) => !owned.has(partitionId) && !revoking.has(partitionId));
  if (missing.length > 0) emitUnowned(groups, facts, generation, missing, members.map((member) => member.assignedIndex).filter((index) => index >= 0), "its members' own views at the end");
}

/** Rank 15: C2. */
export function judgeCoverage(groups: GroupJudging): void {
  for (const facts of groups.model.groups.values()) {
    if (facts.generationEvents.length > 0) coverageFromObserver(groups, facts);
    else coverageFromMembers(groups, facts);
  }
}
