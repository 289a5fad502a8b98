/**
 * C8 `assignor-contract`: every generation the coordinator reports (observer `group-generation`) is
 * checked against the documented properties of its assignor (assignor-contract.ts: coverage, the
 * exact range and round-robin layouts, sticky balance and stickiness, cooperative revocation), with the
 * members' subscriptions from their own `subscribe` events and, as what each member owned going into
 * the rebalance, the previous generation's assignment. A generation is judged only when that previous
 * generation was observed too (or it is the group's first), and only with the coordinator's view: the
 * members' own views cannot show that no member is missing (one that crashed before its listener ran).
 * A break that is also two owners (C1) or an unowned partition (C2) is implied by that root cause.
 */
import type { GroupGenerationValue, TopicPartition } from "../../history/event.js";
import { assignorStrategies, checkAssignorContract, type AssignorStrategy, type ContractBreak } from "./assignor-contract.js";
import type { GroupFacts } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";

function assignmentOf(value: GroupGenerationValue): Map<string, readonly TopicPartition[]> {
  return new Map(value.members.map((member) => [member.member, member.partitions]));
}

function subjectsOf(groups: GroupJudging, facts: GroupFacts, generation: number, index: number, broken: ContractBreak): string[] {
  const subjects = [`assignor@${index}@${broken.point}@${broken.members.join(",")}`];
  if (broken.point === "assigned-twice" || broken.point === "double-ownership") {
    for (const partition of broken.partitions) subjects.push(`split@${facts.group}\u0000${generation}\u0000${groups.model.state.partitionId(partition.topic, partition.partition)}`);
  }
  if (broken.point === "unassigned") subjects.push(`unowned@${facts.group}@${generation}`);
  return subjects;
}

export function judgeAssignors(groups: GroupJudging): void {
  const state = groups.model.state;
  const events = state.history.events;
  const counts = new Map(state.history.header.topics.map((topic) => [topic.name, topic.partitions]));
  for (const facts of groups.model.groups.values()) {
    if (facts.generationEvents.length === 0) {
      if (facts.sessions.length > 0) groups.evidence.assignorUnknown.push(`group '${facts.group}': no coordinator view (observer group-generation) of its assignments`);
      continue;
    }
    let previous: GroupGenerationValue | null = null;
    for (const index of facts.generationEvents) {
      const event = events[index];
      if (event === undefined) continue;
      const value = event.value as GroupGenerationValue;
      const known = previous !== null ? previous.generation === value.generation - 1 : value.generation <= 1;
      const prior = previous;
      previous = value;
      if (!(assignorStrategies as readonly string[]).includes(value.protocol)) {
        groups.evidence.assignorUnknown.push(`group '${facts.group}' generation ${value.generation}: protocol '${value.protocol}' is not one of ${assignorStrategies.join(", ")}`);
        continue;
      }
      if (!known) {
        groups.evidence.assignorUnknown.push(`group '${facts.group}' generation ${value.generation}: the previous generation was not observed`);
        continue;
      }
      if (value.members.length === 0) continue;
      groups.evidence.assignorGenerations++;
      const breaks = checkAssignorContract({
        strategy: value.protocol as AssignorStrategy,
        members: value.members.map((member) => {
          const topics = facts.subscriptionAt(member.client, event.time);
          return { member: member.member, ...(member.instance === undefined ? {} : { instance: member.instance }), ...(topics === null ? {} : { topics }) };
        }),
        partitionCounts: counts,
        previous: prior === null ? new Map() : assignmentOf(prior),
        assignment: assignmentOf(value),
      });
      for (const broken of breaks) {
        groups.emit(
          {
            kind: "assignor-contract",
            guarantee: "C8",
            message: `generation ${value.generation} of group '${facts.group}': ${broken.message}`,
            records: broken.partitions.map((partition) => ({ topic: partition.topic, partition: partition.partition })),
            events: prior === null ? [index] : [facts.generationEvents[facts.generationEvents.indexOf(index) - 1] as number, index],
            allowed: false,
            explanation: `the ${value.protocol} assignor's documented assignment (${broken.point})`,
            configuration: `group.id=${facts.group}, assignor=${value.protocol}`,
          },
          subjectsOf(groups, facts, value.generation, index, broken),
        );
      }
    }
  }
}
