/**
 * The history contract (see docs/architecture.md): what clients observed, one event per line.
 *
 * Jepsen's shape: every operation is an `invoke` followed by exactly one completion from the same
 * process: `ok` (it happened, with its result), `fail` (it certainly did not happen) or `info`
 * (unknown). Targets decide `info` conservatively: only an error that proves nothing was appended
 * is a `fail`.
 *
 * The first line of a history file is a {@link HistoryHeader}: the history carries the configuration
 * it was produced under, so `check history.jsonl` can judge it with nothing else at hand.
 */

/** A configuration map in Kafka's own key names (`acks`, `min.insync.replicas`, ...). */
export type ConfigValue = string | number | boolean;
export type ConfigMap = Readonly<Record<string, ConfigValue>>;

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level overrides in Kafka's names (`min.insync.replicas`, `unclean.leader.election.enable`). */
  readonly config: ConfigMap;
  /** Replica broker ids per partition, when the target knows them (index = partition). */
  readonly assignment?: readonly (readonly number[])[];
}

export type ClientRole = "producer" | "consumer" | "admin" | "reader";

export interface ClientDescription {
  readonly role: ClientRole;
  /** Client configuration in Kafka's names (`acks`, `enable.idempotence`, `isolation.level`, `group.id`, ...). */
  readonly config: ConfigMap;
  /**
   * Group consumers only: when the application commits relative to processing (C4, C5, C6 are judged
   * against it). `auto` exactly when `enable.auto.commit` is true. Absent: a consumer with manual assignment.
   */
  readonly commitMode?: CommitMode;
}

/**
 * How a group consumer's application commits, the choice the study notes weigh (000 §4.3):
 * - `sync-after-processing`: poll, process, commitSync (at-least-once processing, C4; never regresses, C6);
 * - `sync-before-processing`: poll, commitSync, then process only if the commit succeeded (at-most-once, C4);
 * - `async-after-processing`: poll, process, commitAsync (retried late: may regress, C6);
 * - `auto`: `enable.auto.commit` commits the positions of earlier polls (may skip and repeat, C5);
 * - `none`: never commits (every new owner follows `auto.offset.reset`).
 */
export type CommitMode = "sync-after-processing" | "sync-before-processing" | "async-after-processing" | "auto" | "none";

export const commitModes: readonly CommitMode[] = ["sync-after-processing", "sync-before-processing", "async-after-processing", "auto", "none"];

export interface HistoryHeader {
  readonly kind: "kafka-harness-history";
  readonly version: 1;
  /** `engine`, `kafka`, or `hand-made` for histories written in tests. */
  readonly target: string;
  /** Kafka version whose semantics apply (defaults, ELR, high watermark rule). "4.1" when absent. */
  readonly kafkaVersion?: string;
  /** Broker ids of the cluster; fault events name nodes as `broker-<id>`. */
  readonly brokers: readonly number[];
  /** Broker-level configuration in Kafka's names. */
  readonly broker: ConfigMap;
  readonly topics: readonly TopicDescription[];
  /** Every process that appears in the history, except `nemesis`. */
  readonly clients: Readonly<Record<string, ClientDescription>>;
  /** The client library that produced the history ("kafkajs" 2.2.4, "engine"), so a defect is named. */
  readonly client?: { readonly name: string; readonly version: string };
  /** Scenario name and seed, for the report and for replay. */
  readonly scenario?: string;
  readonly seed?: string;
}

export type EventType = "invoke" | "ok" | "fail" | "info";

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A record as a consumer returned it. */
export interface ReadRecord extends TopicPartition {
  readonly offset: number;
  readonly key: string | null;
  readonly value: string;
}

/** send: invoke carries topic/key/value (and partition when the client chose it explicitly). */
export interface SendValue {
  readonly topic: string;
  readonly key: string | null;
  /** Unique payload: every send in a history has a different value. */
  readonly value: string;
  /** Explicit partition on invoke; the acknowledged partition on ok. */
  readonly partition?: number;
  /** Acknowledged offset; present on ok only. */
  readonly offset?: number;
}

/** poll: ok carries every record returned, in the order returned. */
export interface PollValue {
  readonly records?: readonly ReadRecord[];
  /** True for the final reads after the cluster healed (every partition read from its start). */
  readonly final?: boolean;
}

/** assign: the consumer's new assignment (replaces the previous one). */
export interface AssignValue {
  readonly partitions: readonly TopicPartition[];
}

/** seek: the consumer's next position for one partition. */
export interface SeekValue extends TopicPartition {
  readonly offset: number;
}

/**
 * Consumer groups (C1-C8). A group consumer's process records, besides `poll`:
 * - `subscribe` (invoke, ok): {@link SubscribeValue}; again after every restart of the consumer.
 * - `assigned`, `revoked`, `lost` (type `info`, no invoke: the rebalance listener's calls as the member
 *   saw them): {@link RebalanceValue}. Eager rebalancing revokes everything before each join and assigns
 *   the whole new assignment; cooperative rebalancing revokes only what moves and assigns only what is
 *   added, and still reports `assigned` (maybe with no partitions) for every generation it joins, so the
 *   checker knows the member's generation. `lost`: the member learned it was no longer in the group
 *   (its partitions may already be someone else's).
 * - `poll` ok: `generation`/`member` as the member knew them when the poll returned ({@link GroupPollValue}).
 * - `process` (invoke, ok at once): the records the application processed ({@link ProcessValue}); for
 *   `sync-before-processing` only after the commit of their positions succeeded.
 * - `commit` (invoke, then ok / fail / info): {@link CommitValue}, offsets = next offset to read.
 *   Automatic commits are recorded too (mode `auto`) when the client reports them.
 *   Pairing: a completion that carries a value (the invocation's) closes the oldest open commit of that
 *   process with the same value (asynchronous commits complete in any order); one without a value closes
 *   the oldest open commit. An automatic commit the client reports only once it completed is a lone
 *   completion (no invoke) carrying its whole value with mode `auto`.
 * - `close` (invoke, ok): the consumer left its group cleanly (`unsubscribe` likewise); it is no longer
 *   a live member until it subscribes again.
 * A consumer crash is a nemesis `kill` (or `power-loss`, `stop`) naming the consumer; its `restart`
 * starts a new session of the same client (a new member unless `group.instance.id` is set), which
 * subscribes again. Between the two it records nothing, and the operations it had open at the crash
 * never complete. `pause` freezes it (it may wake up a zombie).
 *
 * Header (validated, bad input otherwise): `clients.<id>.commitMode` only on a consumer with `group.id`,
 * which must have one; `auto` exactly when its `enable.auto.commit` is true (Kafka's default). Group
 * events (`subscribe`, `assigned`, `revoked`, `lost`, `process`, `commit`, a poll's `generation`) only
 * from such a consumer, naming its own `group.id`; generations are integers from -1.
 *
 * The coordinator's own view (process `observer`, type `info`, engine only): `group-generation`
 * ({@link GroupGenerationValue}) when a generation's assignment is complete, and `offset-committed`
 * ({@link OffsetCommittedValue}) when the coordinator stores an offset.
 */
export interface SubscribeValue {
  readonly group: string;
  readonly topics: readonly string[];
}

/** A member's generation as the member knew it. */
export interface MemberGeneration {
  readonly group: string;
  /** The generation id (1, 2, ... per group); -1 when the member is not in a generation. */
  readonly generation: number;
  /** The member id the coordinator gave it. */
  readonly member: string;
}

export interface RebalanceValue extends MemberGeneration {
  readonly partitions: readonly TopicPartition[];
}

export interface GroupPollValue extends PollValue, Partial<MemberGeneration> {}

export interface ProcessValue {
  /** Records by topic, partition and offset (their values are in the poll that returned them). */
  readonly records: readonly (TopicPartition & { readonly offset: number })[];
}

export type CommitKind = "sync" | "async" | "auto";

export interface CommitValue extends MemberGeneration {
  readonly mode: CommitKind;
  /** The next offset to read, per partition: what the application asked to commit. */
  readonly offsets: readonly (TopicPartition & { readonly offset: number })[];
}

export interface GroupMemberView {
  readonly member: string;
  /** The client (process) the member belongs to. */
  readonly client: string;
  readonly instance?: string;
  readonly partitions: readonly TopicPartition[];
}

export interface GroupGenerationValue {
  readonly group: string;
  readonly generation: number;
  /** The assignor that produced it (`range`, `roundrobin`, `sticky`, `cooperative-sticky`). */
  readonly protocol: string;
  readonly members: readonly GroupMemberView[];
}

export interface OffsetCommittedValue extends TopicPartition {
  readonly group: string;
  readonly offset: number;
  readonly generation: number;
  readonly member: string;
}

/** end-offsets: the final reader's view of every partition's log end, after the cluster healed. */
export interface EndOffsetsValue {
  readonly offsets: readonly (TopicPartition & { readonly startOffset: number; readonly endOffset: number })[];
}

/**
 * Nemesis (fault) events: process `nemesis`, `f` is the fault's name from chaos/fault.ts
 * (`kill`, `power-loss`, `stop`, `restart`, `pause`, `resume`, `partition`, `heal`), and the value
 * names what was hit after resolution (an "isolate the leader" fault names the broker it hit).
 */
export interface NemesisValue {
  /** Nodes the fault touched: `broker-1`, `controller-1`, or a client id. */
  readonly nodes?: readonly string[];
  /** For partitions: every directed link cut, as [from, to] node names. */
  readonly cuts?: readonly (readonly [string, string])[];
  /** The fault as the scenario said it, for the report. */
  readonly description?: string;
}

/**
 * Observations a target may add when it can see them (the engine always can): process `observer`,
 * type `info`, f `leader-elected`, value says which partition, leader, epoch, and whether the election
 * was unclean. The checker uses them to explain losses precisely; without them it reasons from faults.
 */
export interface ElectionValue extends TopicPartition {
  readonly leader: number;
  readonly epoch: number;
  readonly unclean: boolean;
}

export interface HistoryEvent {
  /** Position in the history, from 0, without gaps. */
  readonly index: number;
  /** Nanoseconds since the run started: simulated on the engine, wall clock on Kafka. */
  readonly time: number;
  readonly process: string;
  readonly type: EventType;
  readonly f: string;
  readonly value?: unknown;
  /** The client error's name for fail/info completions (`NOT_ENOUGH_REPLICAS`, `REQUEST_TIMED_OUT`). */
  readonly error?: string;
}

export interface History {
  readonly header: HistoryHeader;
  readonly events: readonly HistoryEvent[];
}

/**
 * Transactions (T1-T6, issue #12). A transactional producer is a `producer` whose config has
 * `transactional.id`; its process records, each as invoke + ok/fail/info (paired first in, first out):
 * - `txn-init` invoke {@link TransactionValue}; ok {@link TransactionInitValue}. Once per client session.
 * - `txn-begin` invoke {@link TransactionValue}, then ok.
 * - `send` as any producer's, only between a `txn-begin` ok and the next `txn-commit`/`txn-abort`
 *   invocation (those sends belong to that transaction; bad input elsewhere).
 * - `txn-send-offsets` invoke {@link TransactionOffsetsValue}.
 * - `txn-commit` / `txn-abort` invoke {@link TransactionValue}: ok (it happened), fail (certainly did not
 *   commit), info (unknown). A transaction without a `txn-commit` invocation never committed.
 * The observer's `txn-marker` ({@link TransactionMarkerValue}): a partition leader appended a control record.
 * The finale's `final-committed-reader` (a reader with isolation.level=read_committed) polls with
 * `final: true`; only `final-reader` (read_uncommitted) is the D rules' final read.
 */
export interface TransactionValue {
  readonly transactionalId: string;
}

export interface TransactionInitValue extends TransactionValue {
  readonly producerId?: number;
  readonly epoch?: number;
}

export interface TransactionOffsetsValue extends TransactionValue {
  readonly group: string;
  readonly offsets: readonly (TopicPartition & { readonly offset: number })[];
}

export interface TransactionMarkerValue extends TopicPartition {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly epoch: number;
  readonly offset: number;
  readonly commit: boolean;
}
