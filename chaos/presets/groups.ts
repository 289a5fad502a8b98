/**
 * Consumer-group presets: the brokers, topic and group consumers of the `group-*` configurations.
 * Timeouts are shortened like the brokers' so that rebalances, session expiries and zombies happen
 * within a scenario: a consumer frozen for longer than `session.timeout.ms` (3 s) is removed from its
 * group; fault episodes last up to 6 s at high intensity.
 */
import type { CommitMode, ConfigMap } from "../../model/index.js";
import type { ClusterSpec, TopicSpec } from "../scenario.js";
import { fastTimeoutsBroker } from "./cluster.js";

export const groupBroker: ConfigMap = {
  ...fastTimeoutsBroker,
  // A group's first rebalance waits this long for more members (Kafka's default 3 s): none here.
  "group.initial.rebalance.delay.ms": 0,
  "group.min.session.timeout.ms": 1000,
  // Kafka's default is 50 partitions; 3 keeps the engine's offsets topic cheap and still spreads coordinators.
  "offsets.topic.num.partitions": 3,
  "offsets.topic.replication.factor": 3,
};

export const groupCluster: ClusterSpec = { brokers: 3, controllers: 0, kafkaVersion: "4.1", broker: groupBroker };

/** Four partitions, so a group of two or three members shares them unevenly and every assignor shows its rule. */
export const groupTopic: TopicSpec = {
  name: "events",
  partitions: 4,
  replicationFactor: 3,
  config: { "min.insync.replicas": 2, "unclean.leader.election.enable": false },
};

export const groupConsumerTimeouts: ConfigMap = {
  "session.timeout.ms": 3000,
  "heartbeat.interval.ms": 500,
  "max.poll.interval.ms": 10_000,
  "request.timeout.ms": 1500,
  "default.api.timeout.ms": 5000,
  "retry.backoff.ms": 50,
  "auto.offset.reset": "earliest",
  "isolation.level": "read_uncommitted",
};

/** What a group preset's consumers are: members of one group, and maybe one member of a second group (C7). */
export interface GroupPreset {
  /** Members of `group-a` (at most; the arbitrary draws 1..members). */
  readonly members: number;
  /** Also one consumer of `group-b` reading the same topic: one group must not affect another (C7). */
  readonly otherGroup: boolean;
  readonly commitMode: CommitMode;
  /** Consumer configuration besides group.id (timeouts, assignor, auto commit). */
  readonly consumer: ConfigMap;
  /** Simulated ms the application takes to process a poll's records. */
  readonly processingMs: number;
}

const manualCommits: ConfigMap = { ...groupConsumerTimeouts, "enable.auto.commit": false };

export const groupPresets: Readonly<Record<string, GroupPreset>> = {
  "sync-after": { members: 3, otherGroup: true, commitMode: "sync-after-processing", consumer: { ...manualCommits, "partition.assignment.strategy": "range" }, processingMs: 20 },
  "sync-before": { members: 3, otherGroup: false, commitMode: "sync-before-processing", consumer: { ...manualCommits, "partition.assignment.strategy": "range" }, processingMs: 20 },
  async: { members: 3, otherGroup: false, commitMode: "async-after-processing", consumer: { ...manualCommits, "partition.assignment.strategy": "roundrobin" }, processingMs: 5 },
  auto: {
    members: 3,
    otherGroup: false,
    commitMode: "auto",
    consumer: { ...groupConsumerTimeouts, "enable.auto.commit": true, "auto.commit.interval.ms": 200, "partition.assignment.strategy": "range" },
    processingMs: 300,
  },
  sticky: { members: 3, otherGroup: false, commitMode: "sync-after-processing", consumer: { ...manualCommits, "partition.assignment.strategy": "sticky" }, processingMs: 20 },
  cooperative: { members: 3, otherGroup: false, commitMode: "sync-after-processing", consumer: { ...manualCommits, "partition.assignment.strategy": "cooperative-sticky" }, processingMs: 20 },
};

export const groupIds = { main: "group-a", other: "group-b" } as const;
