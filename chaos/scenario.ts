/**
 * The scenario contract (see docs/architecture.md): plain, serialisable data, so a scenario can be
 * saved, shrunk, and replayed on any target. Client and topic configuration use Kafka's own names.
 */
import type { CommitMode, ConfigMap, TopicPartition } from "../model/index.js";
import type { Fault } from "./fault.js";

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configuration in Kafka's names. */
  readonly config: ConfigMap;
}

export interface ClientSpec {
  /** Also the history's process id: `producer-0`, `consumer-0`, ... */
  readonly id: string;
  readonly role: "producer" | "consumer";
  /** Client configuration in Kafka's names (a consumer with `group.id` is a group consumer). */
  readonly config: ConfigMap;
  /**
   * Group consumers only (and required for them): when the application commits relative to processing.
   * `auto` exactly when `enable.auto.commit` is true.
   */
  readonly commitMode?: CommitMode;
  /** Group consumers: simulated ms between a poll's return and the end of processing its records (default 0). */
  readonly processingMs?: number;
}

export interface ClusterSpec {
  /** Number of brokers, ids 1..brokers. */
  readonly brokers: number;
  /** 0: brokers also act as KRaft controllers (combined roles); n > 0: n separate controllers. */
  readonly controllers: number;
  /** Kafka version whose semantics the engine follows and whose defaults apply. */
  readonly kafkaVersion: string;
  /** Broker-level configuration in Kafka's names. */
  readonly broker: ConfigMap;
}

/** One step; `at` is milliseconds since the workload started (simulated on the engine). */
export type Step =
  | { readonly at: number; readonly op: "send"; readonly client: string; readonly topic: string; readonly key: string | null; readonly value: string; readonly partition?: number }
  | { readonly at: number; readonly op: "poll"; readonly client: string }
  /** A group consumer subscribes (it joins its group on its next poll); a restarted one subscribes again by itself. */
  | { readonly at: number; readonly op: "subscribe"; readonly client: string; readonly topics: readonly string[] }
  | { readonly at: number; readonly op: "assign"; readonly client: string; readonly partitions: readonly TopicPartition[] }
  | { readonly at: number; readonly op: "seek"; readonly client: string; readonly topic: string; readonly partition: number; readonly offset: number }
  | { readonly at: number; readonly op: "fault"; readonly fault: Fault }
  | TransactionStep;

/** One record of a transaction (as a send step's fields). */
export interface TransactionSend {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly partition?: number;
}

/**
 * A transactional producer's transaction (a client with `transactional.id`; its records go only through
 * these steps). At `at` the client initialises its transactions if this producer instance has not yet
 * (txn-init: fences every older producer of the id), begins, sends every record, waits until every send
 * completed and `endAfterMs` passed, then commits or aborts. A client runs its transactions one after
 * another: a step that comes while its previous transaction is still open waits for it.
 */
export interface TransactionStep {
  readonly at: number;
  readonly op: "transaction";
  readonly client: string;
  readonly sends: readonly TransactionSend[];
  readonly end: "commit" | "abort";
  /** Simulated ms between the sends' invocation and the end's (default 0); a long wait leaves the transaction open, for fencing and the last stable offset. */
  readonly endAfterMs?: number;
}

export interface Scenario {
  readonly name: string;
  /** Drives every random choice of the engine (latencies, timeouts jitter); ignored by real Kafka. */
  readonly seed: number;
  readonly cluster: ClusterSpec;
  readonly topics: readonly TopicSpec[];
  readonly clients: readonly ClientSpec[];
  /** Ordered by `at`. */
  readonly steps: readonly Step[];
  /**
   * After the last step every target: heals every link, resumes paused nodes, restarts down nodes,
   * waits `quietMs` for the cluster to settle, then reads every partition from its start to its end
   * offset (process `final-reader`) and records the end offsets.
   */
  readonly finale: {
    readonly quietMs: number;
    /**
     * Group consumers: after the quiet phase, every live group consumer (crashed ones restarted) keeps
     * polling, processing and committing for up to this many ms, until each group read to the end
     * offsets, so every record has had its chance to be processed (C4, C7). Default 0: no drain.
     */
    readonly groupDrainMs?: number;
  };
}
