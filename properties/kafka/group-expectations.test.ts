/**
 * The Kafka suite's group checks (group-expectations.ts) on hand-made histories: a good one passes,
 * and each check fails on a history broken the way it is meant to catch.
 */
import { describe, expect, test } from "vitest";
import type { History, HistoryEvent, HistoryHeader } from "../../model/index.js";
import { validateHistory } from "../../model/index.js";
import { coordinatorKillProblems, crashRestartProblems, drainProblems, groupEventProblems, zombieProblems } from "./group-expectations.js";

const memberConfig = { "group.id": "group-a", "enable.auto.commit": false, "partition.assignment.strategy": "roundrobin" };
const header: HistoryHeader = {
  kind: "kafka-harness-history",
  version: 1,
  target: "hand-made",
  brokers: [1, 2, 3],
  broker: {},
  topics: [{ name: "events", partitions: 2, replicationFactor: 3, config: {} }],
  clients: {
    "consumer-a0": { role: "consumer", config: memberConfig, commitMode: "sync-after-processing" },
    "consumer-a1": { role: "consumer", config: memberConfig, commitMode: "sync-after-processing" },
    "final-reader": { role: "reader", config: {} },
  },
};

type Line = [process: string, type: HistoryEvent["type"], f: string, value?: unknown, error?: string];

function history(lines: readonly Line[]): History {
  return { header, events: lines.map(([process, type, f, value, error], index) => ({ index, time: index * 1000, process, type, f, ...(value === undefined ? {} : { value }), ...(error === undefined ? {} : { error }) })) };
}

const subscribe = { group: "group-a", topics: ["events"] };
const assigned = (member: string, generation: number, partitions: number[]) => ({ group: "group-a", generation, member, partitions: partitions.map((partition) => ({ topic: "events", partition })) });
const commit = (member: string, generation: number, offset: number, partition = 0) => ({ group: "group-a", generation, member, mode: "sync", offsets: [{ topic: "events", partition, offset }] });
const processed = (offset: number, partition = 0) => ({ records: [{ topic: "events", partition, offset }] });
const poll = (member: string, generation: number, offset: number, partition = 0) => ({ records: [{ topic: "events", partition, offset, key: null, value: `v${partition}-${offset}` }], group: "group-a", generation, member });

/** Two members; a0 crashes and comes back as a new member; a1 is paused past its session and learns it lost. */
const good: Line[] = [
  ["consumer-a0", "invoke", "subscribe", subscribe],
  ["consumer-a0", "ok", "subscribe", subscribe],
  ["consumer-a1", "invoke", "subscribe", subscribe],
  ["consumer-a1", "ok", "subscribe", subscribe],
  ["consumer-a0", "info", "assigned", assigned("m-a0", 1, [0])],
  ["consumer-a1", "info", "assigned", assigned("m-a1", 1, [1])],
  ["consumer-a0", "invoke", "poll", {}],
  ["consumer-a0", "ok", "poll", poll("m-a0", 1, 0)],
  ["consumer-a0", "invoke", "process", processed(0)],
  ["consumer-a0", "ok", "process", processed(0)],
  ["consumer-a0", "invoke", "commit", commit("m-a0", 1, 1)],
  ["consumer-a0", "ok", "commit", commit("m-a0", 1, 1)],
  ["consumer-a1", "invoke", "poll", {}],
  ["consumer-a1", "ok", "poll", poll("m-a1", 1, 0, 1)],
  ["consumer-a1", "invoke", "process", processed(0, 1)],
  ["consumer-a1", "ok", "process", processed(0, 1)],
  ["consumer-a1", "invoke", "commit", commit("m-a1", 1, 1, 1)],
  ["consumer-a1", "ok", "commit", commit("m-a1", 1, 1, 1)],
  ["consumer-a1", "invoke", "poll", {}],
  ["consumer-a1", "ok", "poll", poll("m-a1", 1, 1, 1)],
  ["nemesis", "invoke", "kill", { description: "kill consumer-a0" }],
  ["nemesis", "ok", "kill", { nodes: ["consumer-a0"], description: "kill consumer-a0: crashed" }],
  ["nemesis", "invoke", "pause", { description: "pause consumer-a1" }],
  ["nemesis", "ok", "pause", { nodes: ["consumer-a1"], description: "pause consumer-a1" }],
  ["nemesis", "invoke", "restart", { description: "restart consumer-a0" }],
  ["nemesis", "ok", "restart", { nodes: ["consumer-a0"], description: "restart consumer-a0" }],
  ["consumer-a0", "invoke", "subscribe", subscribe],
  ["consumer-a0", "ok", "subscribe", subscribe],
  ["consumer-a0", "info", "assigned", assigned("m-a0b", 2, [0, 1])],
  ["nemesis", "invoke", "resume", { description: "resume consumer-a1" }],
  ["nemesis", "ok", "resume", { nodes: ["consumer-a1"], description: "resume consumer-a1" }],
  ["consumer-a1", "invoke", "process", processed(1, 1)],
  ["consumer-a1", "ok", "process", processed(1, 1)],
  ["consumer-a1", "invoke", "commit", commit("m-a1", 1, 2, 1)],
  ["consumer-a1", "fail", "commit", commit("m-a1", 1, 2, 1), "UNKNOWN_MEMBER_ID"],
  ["consumer-a1", "info", "lost", assigned("m-a1", 1, [1])],
  ["nemesis", "invoke", "kill", { description: "kill the coordinator of group group-a" }],
  ["nemesis", "ok", "kill", { nodes: ["broker-2"], description: "kill the coordinator of group group-a: broker-2" }],
  ["consumer-a0", "invoke", "commit", commit("m-a0b", 2, 2, 1)],
  ["consumer-a0", "ok", "commit", commit("m-a0b", 2, 2, 1)],
  ["consumer-a1", "invoke", "subscribe", subscribe],
  ["consumer-a1", "ok", "subscribe", subscribe],
  ["final-reader", "invoke", "end-offsets", {}],
  ["final-reader", "ok", "end-offsets", { offsets: [{ topic: "events", partition: 0, startOffset: 0, endOffset: 1 }, { topic: "events", partition: 1, startOffset: 0, endOffset: 2 }] }],
];

function without(predicate: (line: Line) => boolean): Line[] {
  return good.filter((line) => !predicate(line));
}

function replaced(predicate: (line: Line) => boolean, change: (line: Line) => Line): Line[] {
  return good.map((line) => (predicate(line) ? change(line) : line));
}

describe("group expectations of the Kafka suite", () => {
  test("a history with every group event passes every check (and validates)", () => {
    const made = history(good);
    validateHistory(made, "hand-made");
    expect(groupEventProblems(made)).toEqual([]);
    expect(crashRestartProblems(made, "consumer-a0")).toEqual([]);
    expect(zombieProblems(made, "consumer-a1")).toEqual([]);
    expect(coordinatorKillProblems(made, "group-a")).toEqual([]);
    expect(drainProblems(made)).toEqual([]);
  });

  test("an assignment without a generation, a commit under another generation, a commit in another mode: each found", () => {
    const noGeneration = replaced(([process, type, f]) => process === "consumer-a1" && type === "info" && f === "assigned", (line) => [line[0], line[1], line[2], { ...assigned("m-a1", 1, [1]), generation: undefined }]);
    expect(groupEventProblems(history(noGeneration))).toEqual(expect.arrayContaining([expect.stringMatching(/consumer-a1: assigned \(event 5\) without a generation >= 1/)]));
    const staleCommit = replaced(([process, type, f, value]) => process === "consumer-a0" && f === "commit" && type === "invoke" && (value as { generation: number }).generation === 2, (line) => [line[0], line[1], line[2], commit("m-a0b", 1, 2, 1)]);
    expect(groupEventProblems(history(staleCommit))).toEqual([expect.stringMatching(/consumer-a0: commit \(event 38\) under generation 1 of m-a0b, not its latest assignment's \(2 of m-a0b\)/)]);
    const asyncCommit = replaced(([process, type, f]) => process === "consumer-a0" && f === "commit" && type === "invoke", (line) => [line[0], line[1], line[2], { ...(line[3] as object), mode: "async" }]);
    expect(groupEventProblems(history(asyncCommit))).toEqual(expect.arrayContaining([expect.stringMatching(/commit \(event 10\) in mode async, not sync/)]));
  });

  test("no processing, no assignment, no commit: each found", () => {
    expect(groupEventProblems(history(without(([process, , f]) => process === "consumer-a1" && f === "process")))).toEqual(["consumer-a1: processed nothing"]);
    expect(groupEventProblems(history(without(([process, type, f]) => process === "consumer-a1" && f === "commit" && type === "ok")))).toEqual(["consumer-a1: no commit ok"]);
    expect(groupEventProblems(history(without(([process, , f]) => process === "consumer-a1" && (f === "assigned" || f === "lost" || f === "commit"))))).toEqual(expect.arrayContaining(["consumer-a1: never assigned", "consumer-a1: no commit ok"]));
  });

  test("a restart that did not subscribe again, or came back as the same member: found", () => {
    const restartAt = good.findIndex(([process, type, f]) => process === "nemesis" && type === "ok" && f === "restart");
    const lines = good.filter((line, index) => !(index > restartAt && line[0] === "consumer-a0" && line[2] === "subscribe"));
    expect(crashRestartProblems(history(lines), "consumer-a0")).toEqual(["consumer-a0: did not subscribe again after its restart"]);
    const sameMember = replaced(([process, , f, value]) => process === "consumer-a0" && f === "assigned" && (value as { generation: number }).generation === 2, (line) => [line[0], line[1], line[2], assigned("m-a0", 2, [0, 1])]);
    expect(crashRestartProblems(history(sameMember), "consumer-a0")).toEqual(["consumer-a0: the same member id before its crash and after its restart"]);
  });

  test("a zombie that never learned, a coordinator kill that names no broker, a drain short of the end: found", () => {
    const unaware = without(([process, type, f]) => process === "consumer-a1" && (f === "lost" || (f === "commit" && type === "fail")));
    expect(zombieProblems(history(unaware), "consumer-a1")).toEqual(["consumer-a1: after its resume neither a commit refused with a membership error nor a lost membership"]);
    const nobody = replaced(([process, type, f, value]) => process === "nemesis" && type === "ok" && f === "kill" && String((value as { description: string }).description).includes("coordinator"), (line) => [line[0], line[1], line[2], { nodes: [], description: "kill the coordinator of group group-a: the group has no coordinator, no effect" }]);
    expect(coordinatorKillProblems(history(nobody), "group-a")).toEqual(["no kill of group group-a's coordinator recorded with the broker it hit"]);
    const short = without(([process, , f, value]) => process === "consumer-a0" && f === "commit" && (value as { generation: number }).generation === 2);
    expect(drainProblems(history(short))).toEqual(["group group-a committed events/1 up to 1, its end is 2"]);
  });
});
