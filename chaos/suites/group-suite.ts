/**
 * Named consumer-group scenarios (C1-C8), one per commit mode worth showing, sized for real Kafka
 * (seconds: a group consumer's session cannot time out in under 6 s, the broker's minimum) and for the
 * engine alike (the same `at` values are simulated milliseconds there).
 *
 * Every scenario: three brokers and a separate controller (a killed coordinator never costs the KRaft
 * quorum), one topic of six partitions, two producers sending keyed records, three members of
 * `group-a` and one of `group-b` following it, each polling every 100 ms. Faults hit the group:
 * - a crash of a member and its restart (a new member, subscribing again);
 * - a pause of another member past its 6 s session: a zombie that wakes with records it polled before
 *   and commits under a generation the group has left behind (its processing takes 400 ms, so the
 *   pause most likely freezes it mid-processing);
 * - a kill of group-a's coordinator (the leader of its __consumer_offsets partition), back in the finale.
 * The finale drains the groups: members poll until their groups committed up to the end offsets.
 */
import type { ClientSpec, ClusterSpec, Scenario, Step, TopicSpec } from "../scenario.js";
import type { Fault } from "../fault.js";
import type { CommitMode, ConfigMap } from "../../model/index.js";

export const groupCluster: ClusterSpec = {
  brokers: 3,
  controllers: 1,
  kafkaVersion: "4.1",
  broker: { "replica.lag.time.max.ms": 2000 },
};

export const groupTopic: TopicSpec = { name: "events", partitions: 6, replicationFactor: 3, config: { "min.insync.replicas": 2, "unclean.leader.election.enable": false } };

/** The producers are not idempotent: kafkajs's idempotent producer has a defect of its own (compare-suite.ts). */
const producerConfig: ConfigMap = { acks: "all", "enable.idempotence": false, "max.in.flight.requests.per.connection": 1, "request.timeout.ms": 5000, "delivery.timeout.ms": 20_000 };

function memberConfig(group: string, mode: CommitMode): ConfigMap {
  return {
    "group.id": group,
    "enable.auto.commit": mode === "auto",
    ...(mode === "auto" ? { "auto.commit.interval.ms": 1000 } : {}),
    "partition.assignment.strategy": "roundrobin",
    "auto.offset.reset": "earliest",
    "session.timeout.ms": 6000,
    "heartbeat.interval.ms": 1000,
    // JoinGroup's rebalance timeout: a rebalance waits this long for members to rejoin.
    "max.poll.interval.ms": 10_000,
    "max.poll.records": 50,
    "fetch.max.wait.ms": 200,
    "request.timeout.ms": 15_000,
    "poll.timeout.ms": 500,
  };
}

/** The three members of group-a and the one of group-b; consumer-a0 is the one that gets paused. */
export function groupClients(mode: CommitMode): ClientSpec[] {
  const member = (id: string, group: string, processingMs: number): ClientSpec => ({ id, role: "consumer", config: memberConfig(group, mode), commitMode: mode, processingMs });
  return [
    { id: "producer-0", role: "producer", config: producerConfig },
    { id: "producer-1", role: "producer", config: producerConfig },
    member("consumer-a0", "group-a", 400),
    member("consumer-a1", "group-a", 20),
    member("consumer-a2", "group-a", 20),
    member("consumer-b0", "group-b", 20),
  ];
}

export const groupConsumers = ["consumer-a0", "consumer-a1", "consumer-a2", "consumer-b0"] as const;

interface Timeline {
  /** The end of the workload, ms: sends stop 2 s before it, polls 3.5 s before it (the drain reads the rest). */
  readonly untilMs: number;
  readonly faults: readonly (readonly [number, Fault])[];
}

function workload(timeline: Timeline): Step[] {
  const steps: Step[] = groupConsumers.map((client) => ({ at: 0, op: "subscribe", client, topics: ["events"] }));
  for (let at = 200; at <= timeline.untilMs - 3500; at += 100) for (const client of groupConsumers) steps.push({ at, op: "poll", client });
  for (const [index, producer] of ["producer-0", "producer-1"].entries()) {
    for (let at = 500 + index * 25, count = 0; at <= timeline.untilMs - 2000; at += 50, count += 1) {
      steps.push({ at, op: "send", client: producer, topic: "events", key: `key-${count % 24}`, value: `${producer}-${count}` });
    }
  }
  for (const [at, fault] of timeline.faults) steps.push({ at, op: "fault", fault });
  return steps;
}

function scenario(name: string, mode: CommitMode, timeline: Timeline): Scenario {
  // Stable order: by time, faults first at the same instant (the fault is what the steps meet).
  const steps = workload(timeline).sort((a, b) => a.at - b.at || (a.op === "fault" ? -1 : 0) - (b.op === "fault" ? -1 : 0));
  return { name, seed: 1, cluster: groupCluster, topics: [groupTopic], clients: groupClients(mode), steps, finale: { quietMs: 1000, groupDrainMs: 15_000 } };
}

const crashAndRestart: readonly (readonly [number, Fault])[] = [
  [4000, { kind: "kill", node: "consumer-a1" }],
  [12_000, { kind: "restart", node: "consumer-a1" }],
];
const zombie: readonly (readonly [number, Fault])[] = [
  [7000, { kind: "pause", node: "consumer-a0" }],
  [15_000, { kind: "resume", node: "consumer-a0" }],
];
const coordinatorKill: readonly (readonly [number, Fault])[] = [[17_000, { kind: "kill-coordinator", group: "group-a" }]];

/** Every fault at once: a crash and restart, a zombie, a coordinator kill; commits after processing. */
export const syncAfterProcessing = scenario("groups-sync-after-processing", "sync-after-processing", { untilMs: 21_000, faults: [...crashAndRestart, ...zombie, ...coordinatorKill] });

/** At-most-once: the commit first, processing only after it succeeded; a crash and a zombie. */
export const syncBeforeProcessing = scenario("groups-sync-before-processing", "sync-before-processing", { untilMs: 18_000, faults: [...crashAndRestart, ...zombie] });

/** Commits not awaited: a crash and a coordinator kill while async commits are in flight. */
export const asyncAfterProcessing = scenario("groups-async-after-processing", "async-after-processing", { untilMs: 19_000, faults: [...crashAndRestart, ...coordinatorKill] });

/** kafkajs's automatic commits (auto.commit.interval.ms 1 s): a crash and a zombie. */
export const autoCommit = scenario("groups-auto-commit", "auto", { untilMs: 18_000, faults: [...crashAndRestart, ...zombie] });

export const groupScenarios: readonly Scenario[] = [syncAfterProcessing, syncBeforeProcessing, asyncAfterProcessing, autoCommit];
