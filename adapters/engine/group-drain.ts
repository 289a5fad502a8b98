/**
 * The finale's group drain (Scenario.finale.groupDrainMs): after the cluster healed, every live group
 * consumer keeps its application loop going (poll, process, commit) until each group has read every
 * partition of its topics to the end offsets, or the time is up. Without it a group's last records
 * never had their chance to be processed, and C4/C7 could only say "inconclusive" about them.
 */
import type { Simulation } from "../../engine/api.js";
import type { Scenario } from "../../chaos/scenario.js";
import type { GroupDriver } from "./group-driver.js";

/** Poll rounds this often during the drain: a consumer's loop polls again soon after it is free. */
const drainPollEveryMs = 100;

/** Kafka's default offsets.topic.num.partitions, unless the scenario's brokers say otherwise. */
export function offsetsPartitions(scenario: Scenario): number {
  const configured = Number(scenario.cluster.broker["offsets.topic.num.partitions"] ?? 50);
  return Number.isInteger(configured) && configured >= 1 ? configured : 50;
}

function caughtUp(simulation: Simulation, groups: GroupDriver, scenario: Scenario): boolean {
  if (!groups.idle) return false;
  const positions = groups.positionsByGroup();
  for (const group of groups.groups()) {
    const owned = positions.get(group) ?? [];
    for (const topic of scenario.topics) {
      for (const end of simulation.endOffsets(topic.name)) {
        if (end === null) return false;
        const position = owned.find((entry) => entry.topic === end.topic && entry.partition === end.partition);
        // A partition nobody owns (a rebalance in progress) is not caught up; one nobody subscribes to is never owned.
        if (position === undefined || position.offset < end.endOffset) return false;
      }
    }
  }
  return true;
}

export function drainGroups(simulation: Simulation, groups: GroupDriver, scenario: Scenario): void {
  const drainMs = scenario.finale.groupDrainMs ?? 0;
  if (drainMs === 0 || groups.groups().length === 0) return;
  const subscribed = new Set(scenario.steps.flatMap((step) => (step.op === "subscribe" ? step.topics : [])));
  const judged: Scenario = { ...scenario, topics: scenario.topics.filter((topic) => subscribed.has(topic.name)) };
  const deadline = simulation.nowMs + drainMs;
  // Bounded: one round per drainPollEveryMs until the deadline.
  while (simulation.nowMs < deadline) {
    for (const client of groups.liveMembers()) groups.poll(client);
    simulation.runUntil(Math.min(deadline, simulation.nowMs + drainPollEveryMs));
    if (caughtUp(simulation, groups, judged)) return;
  }
}
