/**
 * What a consumer-group history recorded on real Kafka must show, beyond validating: the group events
 * the Kafka target promises to record (adapters/kafka/group/). Each function returns the problems it
 * found (empty: as expected), so a test prints every one and the checks can be shown to fail on
 * hand-made bad histories (group-expectations.test.ts).
 */
import type { CommitValue, History, HistoryEvent, NemesisValue, RebalanceValue, SubscribeValue } from "../../model/index.js";

type Problems = string[];

function groupConsumers(history: History): string[] {
  return Object.entries(history.header.clients)
    .filter(([, client]) => client.role === "consumer" && client.config["group.id"] !== undefined)
    .map(([id]) => id);
}

function of(history: History, process: string, f: string, type?: string): HistoryEvent[] {
  return history.events.filter((event) => event.process === process && event.f === f && (type === undefined || event.type === type));
}

const commitKind = { "sync-after-processing": "sync", "sync-before-processing": "sync", "async-after-processing": "async", auto: "auto" } as const;

/**
 * Every group consumer: subscribed, was assigned with a generation (>= 1) and a member id, saw its
 * generations grow per member, processed records, and (unless it never commits) committed in its
 * mode under the generation and member id of its latest assignment.
 */
export function groupEventProblems(history: History): Problems {
  const problems: Problems = [];
  const partitions = new Map(history.header.topics.map((topic) => [topic.name, topic.partitions]));
  for (const id of groupConsumers(history)) {
    const mode = history.header.clients[id]?.commitMode;
    const group = String(history.header.clients[id]?.config["group.id"]);
    if (mode === undefined) problems.push(`${id}: no commitMode in the header`);
    if (!of(history, id, "subscribe", "ok").some((event) => (event.value as SubscribeValue).group === group)) problems.push(`${id}: no subscribe ok for group ${group}`);
    const assigned = of(history, id, "assigned");
    if (assigned.length === 0) problems.push(`${id}: never assigned`);
    const lastByMember = new Map<string, number>();
    for (const event of assigned) {
      const value = event.value as RebalanceValue;
      if (!Number.isInteger(value.generation) || value.generation < 1) problems.push(`${id}: assigned (event ${event.index}) without a generation >= 1: ${JSON.stringify(value.generation)}`);
      if (typeof value.member !== "string" || value.member.length === 0) problems.push(`${id}: assigned (event ${event.index}) without a member id`);
      if (value.generation < (lastByMember.get(value.member) ?? 0)) problems.push(`${id}: member ${value.member}'s generation went back to ${value.generation} (event ${event.index})`);
      lastByMember.set(value.member, value.generation);
      for (const entry of value.partitions) if (!(entry.partition >= 0 && entry.partition < (partitions.get(entry.topic) ?? 0))) problems.push(`${id}: assigned a partition the topic lacks: ${entry.topic}/${entry.partition}`);
    }
    if (of(history, id, "process", "ok").length === 0) problems.push(`${id}: processed nothing`);
    if (mode === undefined || mode === "none") continue;
    const commits = of(history, id, "commit").filter((event) => event.type !== "invoke");
    if (!commits.some((event) => event.type === "ok")) problems.push(`${id}: no commit ok`);
    // The identity a commit went out under is the member's latest assignment at its invoke.
    let latest: RebalanceValue | undefined;
    for (const event of history.events) {
      if (event.process !== id) continue;
      if (event.f === "assigned") latest = event.value as RebalanceValue;
      if (event.f !== "commit" || event.type !== "invoke") continue;
      const value = event.value as CommitValue;
      if (value.mode !== commitKind[mode]) problems.push(`${id}: commit (event ${event.index}) in mode ${value.mode}, not ${commitKind[mode]}`);
      if (latest === undefined || value.generation !== latest.generation || value.member !== latest.member) {
        problems.push(`${id}: commit (event ${event.index}) under generation ${value.generation} of ${value.member}, not its latest assignment's (${latest?.generation} of ${latest?.member})`);
      }
    }
  }
  return problems;
}

function nemesisOk(history: History, f: string, node: string): HistoryEvent[] {
  return history.events.filter((event) => event.process === "nemesis" && event.f === f && event.type === "ok" && ((event.value as NemesisValue | undefined)?.nodes ?? []).includes(node));
}

/** A crashed consumer was restarted: it subscribed again and joined as a new member. */
export function crashRestartProblems(history: History, consumer: string): Problems {
  const kill = nemesisOk(history, "kill", consumer)[0];
  const restart = nemesisOk(history, "restart", consumer)[0];
  if (kill === undefined || restart === undefined) return [`${consumer}: no recorded kill and restart of it`];
  const before = of(history, consumer, "assigned").filter((event) => event.index < kill.index).at(-1);
  const after = of(history, consumer, "assigned").find((event) => event.index > restart.index);
  const problems: Problems = [];
  if (!of(history, consumer, "subscribe", "invoke").some((event) => event.index > restart.index)) problems.push(`${consumer}: did not subscribe again after its restart`);
  if (after === undefined) problems.push(`${consumer}: never assigned after its restart`);
  else if (before !== undefined && (after.value as RebalanceValue).member === (before.value as RebalanceValue).member) problems.push(`${consumer}: the same member id before its crash and after its restart`);
  if (of(history, consumer, "revoked").some((event) => event.index > kill.index && event.index < restart.index)) problems.push(`${consumer}: recorded a revocation while crashed`);
  return problems;
}

const membershipErrors = new Set(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION"]);

/** A consumer paused past its session woke as a zombie and learned it: a commit refused for its generation, or `lost`. */
export function zombieProblems(history: History, consumer: string): Problems {
  const resume = nemesisOk(history, "resume", consumer)[0];
  if (resume === undefined || nemesisOk(history, "pause", consumer).length === 0) return [`${consumer}: no recorded pause and resume of it`];
  const refused = of(history, consumer, "commit", "fail").some((event) => event.index > resume.index && membershipErrors.has(event.error ?? ""));
  const lost = of(history, consumer, "lost").some((event) => event.index > resume.index);
  return refused || lost ? [] : [`${consumer}: after its resume neither a commit refused with a membership error nor a lost membership`];
}

/** The coordinator kill hit a broker, named in the history. */
export function coordinatorKillProblems(history: History, group: string): Problems {
  const kill = history.events.find((event) => event.process === "nemesis" && event.f === "kill" && event.type === "ok" && ((event.value as NemesisValue | undefined)?.description ?? "").startsWith(`kill the coordinator of group ${group}: broker-`));
  if (kill === undefined) return [`no kill of group ${group}'s coordinator recorded with the broker it hit`];
  const nodes = (kill.value as NemesisValue).nodes ?? [];
  return nodes.length === 1 && nodes[0]?.startsWith("broker-") === true ? [] : [`the coordinator kill names ${JSON.stringify(nodes)}, not one broker`];
}

/** After the drain every committing group committed up to the end offsets the final reader found. */
export function drainProblems(history: History): Problems {
  const ends = history.events.find((event) => event.process === "final-reader" && event.f === "end-offsets" && event.type === "ok")?.value as { offsets: { topic: string; partition: number; endOffset: number }[] } | undefined;
  if (ends === undefined) return ["no end offsets recorded"];
  const committed = new Map<string, number>();
  for (const event of history.events) {
    if (event.f !== "commit" || event.type !== "ok") continue;
    const value = event.value as CommitValue;
    for (const entry of value.offsets) {
      const key = `${value.group}/${entry.topic}/${entry.partition}`;
      committed.set(key, Math.max(committed.get(key) ?? 0, entry.offset));
    }
  }
  const groups = new Set(groupConsumers(history).filter((id) => history.header.clients[id]?.commitMode !== "none").map((id) => String(history.header.clients[id]?.config["group.id"])));
  const problems: Problems = [];
  for (const group of groups) {
    for (const end of ends.offsets) {
      const reached = committed.get(`${group}/${end.topic}/${end.partition}`) ?? 0;
      if (reached < end.endOffset) problems.push(`group ${group} committed ${end.topic}/${end.partition} up to ${reached}, its end is ${end.endOffset}`);
    }
  }
  return problems;
}
