/**
 * C2 `unowned-partition`: a generation with at least one member gives every partition of its members'
 * subscribed topics to some member. Under cooperative rebalancing a partition still owned in the
 * previous generation by a member of this one is being revoked first and reassigned by the next
 * generation: that is allowed (not a violation).
 * - With the coordinator's view (observer `group-generation`), every generation it reports: the event
 *   names all the members and their assignments.
 * - Without it, each generation the members' `assigned` calls describe completely and that was stable
 *   while handed out (generation-evidence.ts), judged on what those calls gave. What a member owns at
 *   the end of the history is no evidence: a rebalance in progress, or the clean stop at the end of a
 *   run, revokes everything before the next generation is formed.
 * A generation that cannot be judged is no violation; when none can be, C2 is inconclusive, and says why.
 */
import type { GroupGenerationValue } from "../../history/event.js";
import type { GroupFacts } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";
import { generationEvidence, type Reporter } from "./generation-evidence.js";

/** How many unjudged generations a group's reason lists by name. */
const listedReasons = 3;

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

/** One complete generation from its members' `assigned` calls. */
function judgeReported(groups: GroupJudging, facts: GroupFacts, generation: number, reporters: readonly Reporter[]): void {
  const topics = new Set<string>();
  for (const { session, report } of reporters) for (const topic of facts.subscriptionAt(session.profile.process, report.time) ?? []) topics.add(topic);
  const owned = new Set(reporters.flatMap((reporter) => reporter.report.partitions));
  // Cooperative: what a member of this generation owned in the previous one it may be revoking first.
  const revoking = new Set<number>();
  for (const claim of groups.model.claims) {
    const span = claim.span;
    if (claim.group !== facts.group || claim.generation !== generation - 1 || span === null || !span.member.cooperative) continue;
    if (reporters.some(({ session }) => session.profile === span.member && session.number === span.session)) revoking.add(claim.partitionId);
  }
  groups.evidence.generationsCovered++;
  const missing = topicPartitions(groups, topics).filter((partitionId) => !owned.has(partitionId) && !revoking.has(partitionId));
  if (missing.length > 0) emitUnowned(groups, facts, generation, missing, reporters.map((reporter) => reporter.report.index), "its members' own assignments");
}

/** C2 from the members' own views: every generation they describe completely. */
function coverageFromMembers(groups: GroupJudging, facts: GroupFacts): void {
  if (facts.sessions.length === 0) return;
  const unknown = (why: string): void => {
    groups.evidence.coverageUnknown.push(`group '${facts.group}': ${why}`);
  };
  // KIP-848 members report their own epochs: one number is not one generation of the whole group.
  const epochs = facts.sessions.find((session) => !session.profile.classic);
  if (epochs !== undefined) return unknown(`${epochs.profile.process} uses the consumer rebalance protocol (KIP-848): member epochs are not group generations`);
  const evidence = generationEvidence(groups.model.state, facts.sessions);
  if (evidence.length === 0) return unknown("no member reported an assignment");
  const reasons: string[] = [];
  for (const entry of evidence) {
    if (entry.complete) judgeReported(groups, facts, entry.generation, entry.reporters);
    else reasons.push(`generation ${entry.generation}: ${entry.why}`);
  }
  if (reasons.length === 0) return;
  const more = reasons.length > listedReasons ? `; and ${reasons.length - listedReasons} more` : "";
  unknown(`${reasons.length} of ${evidence.length} generations not judged from the members' own views (${reasons.slice(0, listedReasons).join("; ")}${more})`);
}

/** Rank 15: C2. */
export function judgeCoverage(groups: GroupJudging): void {
  for (const facts of groups.model.groups.values()) {
    if (facts.generationEvents.length > 0) coverageFromObserver(groups, facts);
    else coverageFromMembers(groups, facts);
  }
}
