import { describe, expect, test } from "vitest";
import { HistoryRecorder } from "../../protocol/recorder.js";
import { AppThread } from "../group/app-thread.js";
import { PollMailbox } from "../group/poll-mailbox.js";
import { Committer, type CommitOutcome } from "../group/commits.js";
import type { InternalBroker, OffsetCommitRequest } from "../group/kafkajs-internals.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(): HistoryRecorder {
  const started = performance.now();
  return new HistoryRecorder({ nowNs: () => Math.round((performance.now() - started) * 1e6) });
}

function mailbox(pollTimeoutMs = 100) {
  const history = recorder();
  const thread = new AppThread();
  const box = new PollMailbox({ process: "consumer-a0", group: "group-a", recorder: history, thread, pollTimeoutMs, identity: () => ({ generation: 2, member: "m-2" }) });
  return { history, thread, box };
}

const record = (offset: number) => ({ topic: "events", partition: 0, offset, key: null, value: `v${offset}` });

describe("PollMailbox: poll steps meet kafkajs's batches", () => {
  test("an open poll takes the records of the waiting batch with the member's generation; the next poll step waits until they were handled", async () => {
    const { history, box } = mailbox();
    box.poll(true);
    const taken = await box.take(50);
    expect(taken).not.toBeNull();
    taken?.complete([record(0), record(1)]);
    box.poll(true);
    expect(box.skipped).toBe(1);
    box.done();
    box.poll(true);
    expect(history.events.map((event) => `${event.type} ${event.f}`)).toEqual(["invoke poll", "ok poll", "invoke poll"]);
    expect(history.events[1]?.value).toEqual({ records: [record(0), record(1)], group: "group-a", generation: 2, member: "m-2" });
  });

  test("a poll with no batch returns no records after poll.timeout.ms; a batch waiting for a poll gets none meanwhile", async () => {
    const { history, box } = mailbox(60);
    expect(await box.take(20)).toBeNull();
    box.poll(true);
    await sleep(120);
    expect(history.events.map((event) => `${event.type} ${event.f}`)).toEqual(["invoke poll", "ok poll"]);
    expect(history.events[1]?.value).toMatchObject({ records: [], generation: 2 });
    expect(box.busy).toBe(false);
  });

  test("frozen: poll steps are skipped, and an open poll returns only when the application wakes", async () => {
    const { history, thread, box } = mailbox(40);
    box.poll(true);
    thread.freeze();
    box.poll(true);
    expect(box.skipped).toBe(1);
    await sleep(100);
    expect(history.events).toHaveLength(1);
    thread.thaw();
    await sleep(20);
    expect(history.events.map((event) => `${event.type} ${event.f}`)).toEqual(["invoke poll", "ok poll"]);
  });

  test("a poll given back after its time ran out returns empty then", async () => {
    const { history, box } = mailbox(30);
    box.poll(true);
    const taken = await box.take(10);
    await sleep(60);
    expect(history.events).toHaveLength(1);
    taken?.giveBack();
    await sleep(10);
    expect(history.events.at(-1)).toMatchObject({ type: "ok", f: "poll", value: { records: [] } });
  });
});

/** A coordinator answering with the scripted errors (or success) in turn, and what it received. */
function coordinator(answers: (string | null)[]): { broker: InternalBroker; requests: OffsetCommitRequest[] } {
  const requests: OffsetCommitRequest[] = [];
  const broker: InternalBroker = {
    joinGroup: async () => ({ generationId: 0, memberId: "" }),
    fetch: async () => ({}),
    offsetCommit: async (request) => {
      requests.push(request);
      const answer = answers.shift() ?? null;
      if (answer !== null) throw Object.assign(new Error(answer), answer.startsWith("KafkaJS") ? { name: answer } : { type: answer });
      return {};
    },
  };
  return { broker, requests };
}

function committer(answers: (string | null)[], requestTimeoutMs = 2000) {
  const history = recorder();
  const { broker, requests } = coordinator(answers);
  const outcomes: CommitOutcome[] = [];
  const commits = new Committer({
    process: "consumer-a0",
    group: "group-a",
    physicalGroup: "group-a-run",
    recorder: history,
    physicalTopic: (name) => `${name}-run`,
    scenarioTopic: (name) => name.replace(/-run$/, ""),
    findCoordinator: async () => broker,
    requestTimeoutMs,
    retryBackoffMs: 5,
    alive: () => true,
    onOutcome: (_offsets, outcome) => void outcomes.push(outcome),
  });
  return { history, commits, requests, outcomes };
}

const identity = { generation: 3, member: "m-3" };
const offsets = [{ topic: "events", partition: 1, offset: 42 }];

describe("Committer", () => {
  test("a sync commit goes out under the application's generation and member, retried while the coordinator moves", async () => {
    const { history, commits, requests } = committer(["NOT_COORDINATOR_FOR_GROUP", "GROUP_COORDINATOR_NOT_AVAILABLE", null]);
    expect(await commits.commitSync(identity, offsets)).toEqual({ type: "ok" });
    expect(requests).toHaveLength(3);
    expect(requests[0]).toEqual({ groupId: "group-a-run", groupGenerationId: 3, memberId: "m-3", topics: [{ topic: "events-run", partitions: [{ partition: 1, offset: "42" }] }] });
    expect(history.events.map((event) => `${event.type} ${event.f}`)).toEqual(["invoke commit", "ok commit"]);
    expect(history.events[0]?.value).toEqual({ group: "group-a", generation: 3, member: "m-3", mode: "sync", offsets });
  });

  test("a generation error ends it at once as fail (nothing stored); after a lost answer the same refusal is only info", async () => {
    const refused = committer(["ILLEGAL_GENERATION"]);
    expect(await refused.commits.commitSync(identity, offsets)).toEqual({ type: "fail", error: "ILLEGAL_GENERATION" });
    expect(refused.requests).toHaveLength(1);
    const unknown = committer(["KafkaJSRequestTimeoutError", "UNKNOWN_MEMBER_ID"]);
    expect(await unknown.commits.commitSync(identity, offsets)).toEqual({ type: "info", error: "UNKNOWN_MEMBER_ID" });
    expect(unknown.outcomes).toEqual([{ type: "info", error: "UNKNOWN_MEMBER_ID" }]);
  });

  test("retries end at the deadline, unknown", async () => {
    const { commits, requests } = committer(Array.from({ length: 200 }, () => "KafkaJSConnectionClosedError"), 100);
    expect(await commits.commitSync(identity, offsets)).toEqual({ type: "info", error: "KafkaJSConnectionClosedError" });
    expect(requests.length).toBeGreaterThan(2);
    expect(requests.length).toBeLessThan(20);
  });

  test("an async commit is one attempt, recorded when answered; kafkajs's automatic commits are recorded from its event", async () => {
    const { history, commits, requests } = committer(["NOT_COORDINATOR_FOR_GROUP"]);
    commits.commitAsync(identity, offsets);
    expect(history.events.map((event) => `${event.type} ${event.f}`)).toEqual(["invoke commit"]);
    await commits.settle(1000);
    expect(requests).toHaveLength(1);
    expect(history.events.at(-1)).toMatchObject({ type: "fail", f: "commit", error: "NOT_COORDINATOR_FOR_GROUP", value: { mode: "async" } });
    commits.recordAutomatic({ groupGenerationId: 4, memberId: "m-4", topics: [{ topic: "events-run", partitions: [{ partition: "2", offset: "10" }] }] });
    expect(history.events.slice(-2).map((event) => `${event.type} ${event.f}`)).toEqual(["invoke commit", "ok commit"]);
    expect(history.events.at(-1)?.value).toEqual({ group: "group-a", generation: 4, member: "m-4", mode: "auto", offsets: [{ topic: "events", partition: 2, offset: 10 }] });
  });
});
