import { describe, expect, test } from "vitest";
import type { CommitMode, ConfigMap } from "../../../model/index.js";
import { groupSettings, isGroupConsumer } from "../client-config.js";

const base: ConfigMap = { "group.id": "group-a", "partition.assignment.strategy": "roundrobin", "enable.auto.commit": false };

function settings(config: ConfigMap, commitMode: CommitMode = "sync-after-processing") {
  return groupSettings({ id: "consumer-0", config, commitMode });
}

describe("groupSettings", () => {
  test("Java's defaults where a key is absent, kafkajs's options from Kafka's names", () => {
    expect(settings(base)).toMatchObject({
      group: "group-a",
      commitMode: "sync-after-processing",
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3_000,
      rebalanceTimeoutMs: 300_000,
      fromBeginning: false,
      readUncommitted: true,
      maxPollRecords: 500,
      // Java's 500 ms, not kafkajs's 5 s.
      maxWaitTimeMs: 500,
      pollTimeoutMs: 1_000,
    });
    const mapped = settings({ ...base, "session.timeout.ms": 6000, "heartbeat.interval.ms": 1000, "max.poll.interval.ms": 10_000, "auto.offset.reset": "earliest", "isolation.level": "read_committed", "fetch.max.wait.ms": 200 });
    expect(mapped).toMatchObject({ sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000, rebalanceTimeoutMs: 10_000, fromBeginning: true, readUncommitted: false, maxWaitTimeMs: 200 });
    expect(settings({ ...base, "partition.assignment.strategy": "org.apache.kafka.clients.consumer.RoundRobinAssignor" }).group).toBe("group-a");
  });

  test("auto commit: enable.auto.commit true (or absent, Java's default) and its interval", () => {
    const auto = settings({ "group.id": "g", "partition.assignment.strategy": "roundrobin", "auto.commit.interval.ms": 1000 }, "auto");
    expect(auto).toMatchObject({ commitMode: "auto", autoCommitIntervalMs: 1000 });
    expect(() => settings({ ...base, "enable.auto.commit": false }, "auto")).toThrow(/enable\.auto\.commit=false is not allowed; allowed: true \(absent or true\) with commitMode auto/);
    // Java's default is true: committing by hand needs it turned off explicitly.
    expect(() => settings({ "group.id": "g", "partition.assignment.strategy": "roundrobin" }, "sync-before-processing")).toThrow(/enable\.auto\.commit=undefined is not allowed; allowed: false with commitMode sync-before-processing \(Java's default is true\)/);
  });

  test.each([
    ["group.protocol=consumer (KIP-848)", { "group.protocol": "consumer" }, /client consumer-0: group\.protocol="consumer" is not allowed; allowed: classic \(kafkajs 2\.2\.4 speaks only the classic group protocol; KIP-848/],
    ["static membership", { "group.instance.id": "i-0" }, /group\.instance\.id="i-0" is not allowed; allowed: no value \(static membership: kafkajs 2\.2\.4 sends no group\.instance\.id\)/],
    ["the range assignor", { "partition.assignment.strategy": "range" }, /partition\.assignment\.strategy="range" is not allowed; allowed: roundrobin .*kafkajs 2\.2\.4 has only a round-robin assignor/],
    ["the sticky assignor", { "partition.assignment.strategy": "sticky" }, /partition\.assignment\.strategy="sticky" is not allowed/],
    ["cooperative rebalancing", { "partition.assignment.strategy": "org.apache.kafka.clients.consumer.CooperativeStickyAssignor" }, /CooperativeStickyAssignor" is not allowed; allowed: roundrobin .*cooperative-sticky \(cooperative rebalancing\)/],
    ["a list with another assignor", { "partition.assignment.strategy": "roundrobin,range" }, /partition\.assignment\.strategy="roundrobin,range" is not allowed; allowed: roundrobin .*alone/],
    ["auto.offset.reset=none", { "auto.offset.reset": "none" }, /auto\.offset\.reset="none" is not allowed; allowed: earliest or latest \(kafkajs always resets/],
    ["a heartbeat interval not below the session timeout", { "session.timeout.ms": 6000, "heartbeat.interval.ms": 6000 }, /heartbeat\.interval\.ms=6000 is not allowed; allowed: below session\.timeout\.ms \(6000\)/],
    ["an unknown key", { "max.poll.recods": 5 }, /max\.poll\.recods=5 is not allowed; allowed: one of the supported keys/],
  ])("refuses %s, naming key, value and what is allowed", (_name, override, message) => {
    expect(() => settings({ ...base, ...override })).toThrow(message);
  });

  test("Java's default assignors (range, cooperative-sticky) are refused: the strategy must be said", () => {
    const withoutStrategy = Object.fromEntries(Object.entries(base).filter(([key]) => key !== "partition.assignment.strategy"));
    expect(() => settings(withoutStrategy)).toThrow(/partition\.assignment\.strategy=undefined is not allowed; allowed: roundrobin .*Java's default range,cooperative-sticky included/);
  });

  test("a group consumer needs a commit mode", () => {
    expect(() => groupSettings({ id: "consumer-0", config: base })).toThrow(/commitMode=undefined is not allowed; allowed: one of sync-after-processing, sync-before-processing, async-after-processing, auto, none/);
  });

  test("a consumer is a group consumer exactly when it has group.id", () => {
    expect(isGroupConsumer({ role: "consumer", config: base })).toBe(true);
    expect(isGroupConsumer({ role: "consumer", config: {} })).toBe(false);
    expect(isGroupConsumer({ role: "producer", config: base })).toBe(false);
  });
});
