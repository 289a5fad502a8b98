import { describe, expect, test } from "vitest";
import { HistoryRecorder } from "../../protocol/recorder.js";
import { groupSettings } from "../client-config.js";
import { GroupConsumerClient } from "../group/group-client.js";
import { GroupProgress } from "../group/group-progress.js";

function client(): { client: GroupConsumerClient; history: HistoryRecorder } {
  const spec = { id: "consumer-a0", role: "consumer" as const, config: { "group.id": "group-a", "partition.assignment.strategy": "roundrobin", "enable.auto.commit": false }, commitMode: "sync-after-processing" as const };
  const history = new HistoryRecorder({ nowNs: () => 0 });
  const consumer = new GroupConsumerClient({
    spec,
    settings: groupSettings(spec),
    physicalGroup: "group-a-run",
    brokers: ["127.0.0.1:1"],
    logCreator: () => () => undefined,
    recorder: history,
    physicalTopic: (name) => name,
    scenarioTopic: (name) => name,
    progress: new GroupProgress(),
    timeScale: 1,
    log: () => undefined,
  });
  return { client: consumer, history };
}

describe("GroupConsumerClient: process faults", () => {
  test("each fault applies once; repeated or misplaced ones say why they had no effect; steps of a dead or frozen process are skipped", async () => {
    const { client: consumer, history } = client();
    expect(consumer.apply("pause")).toEqual({ applied: true, effect: "frozen: the application and every connection" });
    expect(consumer.apply("pause")).toEqual({ applied: false, effect: "not running" });
    consumer.subscribe(["events"]);
    consumer.poll();
    expect(consumer.skippedSteps).toBe(2);
    expect(consumer.finaleFaults()).toEqual([{ kind: "resume", node: "consumer-a0" }]);
    expect(consumer.apply("kill")).toMatchObject({ applied: true });
    expect(consumer.apply("kill")).toEqual({ applied: false, effect: "already down" });
    expect(consumer.apply("resume")).toEqual({ applied: false, effect: "not paused" });
    expect(consumer.finaleFaults()).toEqual([{ kind: "restart", node: "consumer-a0" }]);
    expect(consumer.apply("restart")).toEqual({ applied: true, effect: "started (not subscribed yet)" });
    expect(consumer.apply("restart")).toEqual({ applied: false, effect: "already running" });
    expect(consumer.finaleFaults()).toEqual([]);
    // Nothing was recorded by the client itself: it never subscribed.
    expect(history.events).toEqual([]);
    await consumer.close();
  });
});

describe("GroupProgress", () => {
  test("a group caught up when its commits (or, without commits, its processing) reached every end offset", () => {
    const progress = new GroupProgress();
    const ends = [
      { topic: "events", partition: 0, endOffset: 10 },
      { topic: "events", partition: 1, endOffset: 0 },
    ];
    progress.noteCommitted("group-a", [{ topic: "events", partition: 0, offset: 9 }]);
    expect(progress.caughtUp("group-a", true, ends)).toBe(false);
    progress.noteCommitted("group-a", [{ topic: "events", partition: 0, offset: 10 }]);
    progress.noteCommitted("group-a", [{ topic: "events", partition: 0, offset: 4 }]);
    expect(progress.caughtUp("group-a", true, ends)).toBe(true);
    expect(progress.committedOffset("group-a", "events", 0)).toBe(10);
    // Another group's commits are its own.
    expect(progress.caughtUp("group-b", true, ends)).toBe(false);
    progress.noteProcessed("group-b", [{ topic: "events", partition: 0, offset: 9 }]);
    expect(progress.caughtUp("group-b", false, ends)).toBe(true);
  });
});
