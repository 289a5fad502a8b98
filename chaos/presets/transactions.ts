/**
 * Transaction presets (T1-T6): how the generated workload groups a transactional producer's records
 * into transactions, and the producer and consumer configurations of the `transactions-*`
 * configurations. `transaction.timeout.ms` is shortened (Kafka's default is 60 s) so that a
 * transaction its producer abandoned is aborted by the coordinator within a scenario's finale.
 */
import type { ConfigMap } from "../../model/index.js";
import type { ClusterSpec } from "../scenario.js";
import { maxRetries } from "./clients.js";
import { threeBrokers } from "./cluster.js";

/**
 * The brokers of the transaction presets: Kafka's 50 partitions of `__transaction_state` cut to 3
 * (cheap on the engine, and still more than one coordinator), and timed-out transactions looked for
 * every second instead of every 10 s, so an abandoned one is aborted within a scenario's finale.
 */
export const transactionCluster: ClusterSpec = {
  ...threeBrokers,
  broker: {
    ...threeBrokers.broker,
    "transaction.state.log.num.partitions": 3,
    "transaction.state.log.replication.factor": 3,
    "transaction.abort.timed.out.transaction.cleanup.interval.ms": 1000,
  },
};

export interface TransactionPreset {
  /** A producer's transaction closes after this many of its records. */
  readonly sendsPerTransaction: number;
  /** Every n-th transaction of a producer aborts instead of committing (0: none does). */
  readonly abortEvery: number;
  /** Simulated ms between the sends and the end: how long each transaction stays open. */
  readonly endAfterMs: number;
  /** Every producer shares one transactional.id, so each one's init fences the others (T6). */
  readonly sharedTransactionalId: boolean;
}

/** Transactional producers: idempotent (implied by transactional.id), timeouts shortened like the others'. */
export const transactionalProducer: ConfigMap = {
  acks: "all",
  "enable.idempotence": true,
  "max.in.flight.requests.per.connection": 5,
  retries: maxRetries,
  "request.timeout.ms": 1500,
  "delivery.timeout.ms": 8000,
  "retry.backoff.ms": 50,
  "linger.ms": 0,
  "transaction.timeout.ms": 10_000,
};

export const readCommittedConsumer: ConfigMap = { "isolation.level": "read_committed", "enable.auto.commit": false, "auto.offset.reset": "earliest" };
export const readUncommittedConsumer: ConfigMap = { "isolation.level": "read_uncommitted", "enable.auto.commit": false, "auto.offset.reset": "earliest" };

export const transactionPresets: Readonly<Record<string, TransactionPreset>> = {
  /** Commits and aborts of a few records each, over the topic's partitions (keys spread them). */
  mixed: { sendsPerTransaction: 3, abortEvery: 3, endAfterMs: 200, sharedTransactionalId: false },
  /** Every producer is an instance of one application: long open transactions, fenced by the next instance. */
  fencing: { sendsPerTransaction: 2, abortEvery: 0, endAfterMs: 1500, sharedTransactionalId: true },
};

/** The transactional.id of a generated producer. */
export function transactionalIdOf(preset: TransactionPreset, producerIndex: number): string {
  return preset.sharedTransactionalId ? "txn-shared" : `txn-${producerIndex}`;
}
