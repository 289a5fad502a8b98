/**
 * The finale's group drain (Scenario.finale.groupDrainMs): after the quiet period every live group
 * consumer polls again and again (one poll as soon as the last was handled) until each group has
 * committed up to the end offsets of its topics (processed, for groups that never commit) and its
 * members are idle, or the time is up. Then every member stops cleanly. Everything is recorded as in
 * the workload.
 */
import type { GroupConsumerClient } from "./group-client.js";
import type { GroupProgress, PartitionEnd } from "./group-progress.js";

/** What the drain needs of a group consumer (GroupConsumerClient). */
export type DrainMember = Pick<GroupConsumerClient, "settings" | "subscribedTopics" | "busy" | "live" | "poll">;

export interface DrainOutcome {
  /** Groups that did not catch up within the bound. */
  readonly behind: readonly string[];
  readonly ms: number;
}

const tickMs = 25;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(new Error("run aborted"));
    // The listener goes with the sleep: one per tick would pile up on the run's signal.
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error("run aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `ends`: the end offset of every partition of every topic (scenario names). */
export async function drainGroups(clients: readonly DrainMember[], ends: readonly PartitionEnd[], progress: GroupProgress, boundMs: number, signal?: AbortSignal): Promise<DrainOutcome> {
  const started = performance.now();
  const groups = new Map<string, DrainMember[]>();
  for (const client of clients) groups.set(client.settings.group, [...(groups.get(client.settings.group) ?? []), client]);
  const endsOf = (members: readonly DrainMember[]): PartitionEnd[] => {
    const topics = new Set(members.flatMap((member) => member.subscribedTopics));
    return ends.filter((end) => topics.has(end.topic));
  };
  const caughtUp = (group: string, members: readonly DrainMember[]): boolean => {
    const byCommits = members.some((member) => member.settings.commitMode !== "none");
    return progress.caughtUp(group, byCommits, endsOf(members));
  };
  // Caught up, and no member still in a poll, processing or committing.
  const done = (group: string, members: readonly DrainMember[]): boolean => caughtUp(group, members) && members.every((member) => !member.busy);
  const maximumTicks = Math.ceil(boundMs / tickMs) + 1;
  for (let tick = 0; tick < maximumTicks && performance.now() - started < boundMs; tick += 1) {
    let pending = false;
    for (const [group, members] of groups) {
      if (done(group, members)) continue;
      pending = true;
      // A group that caught up polls no more: its members only finish what they are doing.
      if (caughtUp(group, members)) continue;
      for (const member of members) if (member.live && !member.busy) member.poll();
    }
    if (!pending) break;
    await sleep(tickMs, signal);
  }
  const behind = [...groups].filter(([group, members]) => !done(group, members)).map(([group]) => group);
  return { behind, ms: Math.round(performance.now() - started) };
}
