/**
 * Named transaction scenarios (T1-T4, T6), sized for real Kafka and the engine alike (the same `at`
 * values are wall milliseconds on Kafka and simulated ones on the engine).
 *
 * - `transactions-commit-abort`: one transactional producer commits, aborts and commits again across
 *   both partitions of a topic, while a read_committed and a read_uncommitted consumer poll; a leader
 *   is killed between the transactions and restarted in the finale. Committed records must all be
 *   visible to read_committed readers, aborted ones never (T1, T2); each transaction leaves a marker,
 *   an offset without a record, on each of its partitions (T4).
 * - `transactions-fencing`: two instances of one application share a transactional.id; the first
 *   opens a transaction and waits, the second initialises (fencing the first) and commits; the
 *   first's commit must then fail and its records stay invisible to read_committed (T6).
 */
import type { ClientSpec, ClusterSpec, Scenario, Step, TopicSpec, TransactionSend } from "../scenario.js";
import type { ConfigMap } from "../../model/index.js";

export const transactionCluster: ClusterSpec = { brokers: 3, controllers: 1, kafkaVersion: "4.1", broker: { "replica.lag.time.max.ms": 2000 } };

export const transactionTopic: TopicSpec = { name: "events", partitions: 2, replicationFactor: 3, config: { "min.insync.replicas": 2, "unclean.leader.election.enable": false } };

function transactionalConfig(transactionalId: string): ConfigMap {
  return {
    acks: "all",
    "enable.idempotence": true,
    "transactional.id": transactionalId,
    "transaction.timeout.ms": 15_000,
    "request.timeout.ms": 5000,
    "delivery.timeout.ms": 20_000,
    retries: 5,
  };
}

const readerConfig = (isolation: "read_committed" | "read_uncommitted"): ConfigMap => ({ "isolation.level": isolation, "enable.auto.commit": false, "auto.offset.reset": "earliest" });

function readers(): { clients: ClientSpec[]; steps: Step[] } {
  const clients: ClientSpec[] = [
    { id: "committed-reader", role: "consumer", config: readerConfig("read_committed") },
    { id: "uncommitted-reader", role: "consumer", config: readerConfig("read_uncommitted") },
  ];
  const partitions = [0, 1].map((partition) => ({ topic: transactionTopic.name, partition }));
  const steps: Step[] = clients.flatMap((client): Step[] => [
    { at: 0, op: "assign", client: client.id, partitions },
    ...partitions.map((entry): Step => ({ at: 0, op: "seek", client: client.id, topic: entry.topic, partition: entry.partition, offset: 0 })),
  ]);
  return { clients, steps };
}

function polls(from: number, to: number, everyMs: number): Step[] {
  const steps: Step[] = [];
  for (let at = from; at <= to; at += everyMs) {
    steps.push({ at, op: "poll", client: "committed-reader" }, { at, op: "poll", client: "uncommitted-reader" });
  }
  return steps;
}

const record = (value: string, partition: number): TransactionSend => ({ topic: transactionTopic.name, key: null, value, partition });

function ordered(steps: readonly Step[]): Step[] {
  return steps.map((step, order) => ({ step, order })).sort((a, b) => a.step.at - b.step.at || a.order - b.order).map(({ step }) => step);
}

export const commitAbort: Scenario = (() => {
  const { clients, steps } = readers();
  return {
    name: "transactions-commit-abort",
    seed: 12,
    cluster: transactionCluster,
    topics: [transactionTopic],
    clients: [{ id: "producer-0", role: "producer", config: transactionalConfig("tx-a") }, ...clients],
    steps: ordered([
      ...steps,
      { at: 500, op: "transaction", client: "producer-0", sends: [record("a0", 0), record("a1", 1)], end: "commit" },
      { at: 2500, op: "transaction", client: "producer-0", sends: [record("a2", 0), record("a3", 1)], end: "abort", endAfterMs: 500 },
      { at: 5000, op: "fault", fault: { kind: "kill-leader", topic: transactionTopic.name, partition: 0 } },
      { at: 7000, op: "transaction", client: "producer-0", sends: [record("a4", 0), record("a5", 1), record("a6", 0)], end: "commit" },
      ...polls(600, 11_000, 500),
    ]),
    finale: { quietMs: 5000 },
  };
})();

export const fencing: Scenario = (() => {
  const { clients, steps } = readers();
  return {
    name: "transactions-fencing",
    seed: 13,
    cluster: transactionCluster,
    topics: [transactionTopic],
    clients: [
      { id: "producer-0", role: "producer", config: transactionalConfig("tx-shared") },
      { id: "producer-1", role: "producer", config: transactionalConfig("tx-shared") },
      ...clients,
    ],
    steps: ordered([
      ...steps,
      // producer-0's transaction stays open 4 s; producer-1 initialises meanwhile and fences it.
      { at: 500, op: "transaction", client: "producer-0", sends: [record("z0", 0), record("z1", 1)], end: "commit", endAfterMs: 4000 },
      { at: 2000, op: "transaction", client: "producer-1", sends: [record("n0", 0), record("n1", 1)], end: "commit" },
      ...polls(600, 8000, 500),
    ]),
    finale: { quietMs: 5000 },
  };
})();

export const transactionScenarios: readonly Scenario[] = [commitAbort, fencing];
