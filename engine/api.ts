/**
 * The engine's public face: what adapters/engine uses to run a scenario on the simulated cluster.
 * Everything runs on one thread on simulated time; nothing here reads the wall clock or Math.random().
 * Results come back through callbacks invoked from inside `runUntil`, never from real promises, so
 * the order of everything is decided by the simulation alone (same seed, same trace).
 *
 * engine/ imports nothing else of ours, so its configuration type is its own (Kafka's key names).
 */
export type EngineConfigValue = string | number | boolean;
export type EngineConfig = Readonly<Record<string, EngineConfigValue>>;

/** Historical or plausible Kafka bugs that can be switched on to prove the harness has teeth. */
export type PlantedBug =
  /** On becoming follower, truncate to the high watermark instead of by leader epoch (pre-KIP-101). */
  | "truncate-to-high-watermark"
  /** Brokers accept every idempotent batch: no duplicate detection, no gap check (duplicates under retry). */
  | "no-sequence-check"
  /** The controller elects an out-of-sync replica even with unclean.leader.election.enable=false. */
  | "unclean-election-always"
  /** The leader advances its high watermark to its own log end (consumers read data that is later lost). */
  | "high-watermark-at-log-end"
  /** acks=all is acknowledged as soon as the leader appended, before the ISR has the record. */
  | "early-ack"
  /** The producer acknowledges every record of a batch with the batch's base offset (breaks D10). */
  | "ack-batch-base-offset"
  /** A non-idempotent producer re-queues a retried batch behind later ones (breaks O3 with max.in.flight=1). */
  | "retry-to-back"
  /** The leader accepts and acknowledges acks=all produce while the ISR is below min.insync.replicas (breaks D5). */
  | "ignore-min-insync-replicas"
  /** The producer's partitioner hashes a key's UTF-16 code units instead of its UTF-8 bytes (breaks O2). */
  | "wrong-key-hash"
  /** After a leader change the consumer restarts its partition from the log start (breaks O1: a poll goes back). */
  | "consumer-rewind-on-leader-change"
  /** After a failed fetch the consumer steps one offset past its position (breaks O1: a poll skips a record). */
  | "consumer-skip-on-error"
  /** A member joining a stable group gets an assignment in the current generation, without a rebalance (breaks C1: two owners). */
  | "assign-without-rebalance"
  /** The consumer commits the offset of the last record it returned instead of the next one to read (breaks C3). */
  | "commit-last-processed"
  /** A synchronous commit whose attempt timed out is kept and sent again after a later success, over newer commits (breaks C6 with sync commits). */
  | "sync-commit-retried-late"
  /** The sticky assignor reassigns from scratch each generation, moving partitions without need (breaks C8). */
  | "sticky-forgets-ownership"
  /** The coordinator accepts an offset commit from a generation that already ended (a zombie's; breaks C3/C4). */
  | "accept-stale-commit"
  /** The coordinator stores committed offsets by partition only, not by group (breaks C7). */
  | "offsets-shared-across-groups"
  /** A read_committed consumer returns aborted records too (breaks T2). */
  | "read-committed-returns-aborted"
  /** The transaction coordinator writes the commit marker to the transaction's first partition only; the others stay open until the transaction times out and is aborted (breaks T1). */
  | "commit-marker-first-partition-only"
  /** The leader serves read_committed fetches up to the high watermark, past open transactions (breaks T3). */
  | "last-stable-offset-at-high-watermark"
  /** A partition leader applies a marker without appending it, so the next record takes the marker's offset (breaks T4). */
  | "marker-without-offset"
  /** InitProducerId with a known transactional.id keeps the old epoch: the old producer is not fenced and its commits go through (breaks T6). */
  | "no-fencing";

export interface NetworkOptions {
  /** One-way latency of a message is drawn uniformly in [min, max] ms per message from the seed. */
  readonly minLatencyMs: number;
  readonly maxLatencyMs: number;
  /** Probability that a message is dropped (0 by default: TCP does not drop silently). */
  readonly lossRate: number;
  /** When false a link delivers in send order (TCP); when true messages may overtake each other. */
  readonly reorder: boolean;
}

export interface SimulationOptions {
  readonly seed: number;
  /** Broker ids 1..brokers; nodes are named `broker-<id>`. */
  readonly brokers: number;
  /** 0: the controller runs beside the brokers (combined); n > 0: separate `controller-<id>` nodes. */
  readonly controllers: number;
  readonly kafkaVersion: string;
  /** Broker configuration in Kafka's names; Kafka's defaults fill the rest. */
  readonly broker: EngineConfig;
  readonly network?: Partial<NetworkOptions>;
  readonly plantedBugs?: readonly PlantedBug[];
  /** Added: trace lines kept as text (all lines always enter the trace hash); default 100000. */
  readonly traceLines?: number;
}

/** Added: one replica as a broker holds it (log from its disk; role and high watermark from memory). */
export interface ReplicaView extends EngineTopicPartition {
  readonly brokerId: number;
  /** "down" when the broker process is not running (the log is still read from its disk). */
  readonly role: "leader" | "follower" | "none" | "down";
  readonly leaderEpoch: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** Offsets fsynced to disk (what a power loss keeps). */
  readonly flushedOffset: number;
  /** Every offset of the log in order (index = offset); a transaction marker is marked as such. */
  readonly records: readonly (EngineRecord & { readonly marker?: "commit" | "abort" })[];
  /** The leader epoch cache: (epoch, start offset) pairs. */
  readonly epochs: readonly { readonly epoch: number; readonly startOffset: number }[];
}

export interface EngineTopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export type SendResult =
  | { readonly type: "ok"; readonly partition: number; readonly offset: number }
  /** fail: the error proves nothing was appended; info: unknown (timeout, disconnect, after-append error). */
  | { readonly type: "fail" | "info"; readonly error: string; readonly partition?: number };

export interface EngineRecord extends EngineTopicPartition {
  readonly offset: number;
  readonly key: string | null;
  readonly value: string;
}

/**
 * Transactions (issue #12). A producer whose config has `transactional.id` is made with
 * `transactionalProducer()`; it follows the Java client's state machine: initTransactions once, then
 * begin / send... / sendOffsetsToTransaction... / commit or abort. Calls out of order throw
 * {@link EngineUsageError} at once (the Java client's IllegalStateException / KafkaException): that is
 * the harness's bug, never a history event.
 */
export type TransactionResult =
  | { readonly type: "ok" }
  /**
   * fail: certainly not committed (aborted, fenced: PRODUCER_FENCED / INVALID_PRODUCER_EPOCH, or a send of
   * the transaction failed so the commit became an abort); info: unknown (timeout: the coordinator may
   * still complete it).
   */
  | { readonly type: "fail" | "info"; readonly error: string };

export type TransactionInitResult =
  | { readonly type: "ok"; readonly producerId: number; readonly epoch: number }
  | { readonly type: "fail" | "info"; readonly error: string };

export interface TransactionalProducer {
  readonly id: string;
  readonly transactionalId: string;
  /** InitProducerId through the transaction coordinator: fences every older producer of the id and aborts its open transaction. */
  initTransactions(done: (result: TransactionInitResult) => void): void;
  /** Local, as in the Java client: the coordinator hears of the transaction with its first partition. */
  beginTransaction(): void;
  /** As Producer.send, inside the open transaction (AddPartitionsToTxn first for a new partition). */
  send(record: { topic: string; key: string | null; value: string; partition?: number }, done: (result: SendResult) => void): void;
  /** AddOffsetsToTxn + TxnOffsetCommit: the group's offsets commit or abort with the transaction. */
  sendOffsetsToTransaction(offsets: readonly EngineOffset[], group: string, done: (result: TransactionResult) => void): void;
  /** Waits for the transaction's sends, then EndTxn(commit). A failed send turns it into a fail (the transaction aborts). */
  commitTransaction(done: (result: TransactionResult) => void): void;
  abortTransaction(done: (result: TransactionResult) => void): void;
  /** Abandon the producer (a client crash): in-flight calls complete as info; the coordinator aborts its open transaction on timeout or on the next init. */
  close(): void;
}

/** A transaction marker (control record) a partition leader appended, for the history's observer events. */
export interface TransactionMarkerObservation extends EngineTopicPartition {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly epoch: number;
  readonly offset: number;
  readonly commit: boolean;
}

/** The caller broke the client's contract (a call in the wrong state); thrown synchronously, never a result. */
export class EngineUsageError extends Error {
  override readonly name = "EngineUsageError";
}

export type PollResult =
  | { readonly type: "ok"; readonly records: readonly EngineRecord[] }
  | { readonly type: "fail" | "info"; readonly error: string };

export interface PartitionState extends EngineTopicPartition {
  readonly leader: number | null;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface Producer {
  readonly id: string;
  /** Partition chosen by the producer's partitioner unless given. The callback fires exactly once. */
  send(record: { topic: string; key: string | null; value: string; partition?: number }, done: (result: SendResult) => void): void;
  /** Abandon the producer (a client crash): its in-flight sends complete as info. */
  close(): void;
}

export interface Consumer {
  readonly id: string;
  assign(partitions: readonly EngineTopicPartition[]): void;
  seek(partition: EngineTopicPartition, offset: number): void;
  /**
   * Fetches from each assigned partition's leader, below the high watermark. After a leader change a
   * position is validated (KIP-320): if the new leader's log diverged below it, the consumer resets to
   * the divergence point (LogTruncationException with auto.offset.reset=none).
   */
  poll(done: (result: PollResult) => void): void;
  close(): void;
}

/** A partition with the next offset to read (a position or a committed offset). */
export interface EngineOffset extends EngineTopicPartition {
  readonly offset: number;
}

/** One call of the member's rebalance listener, with the generation it concerns. */
export interface RebalanceCall {
  readonly type: "assigned" | "revoked" | "lost";
  readonly group: string;
  readonly generation: number;
  readonly member: string;
  readonly partitions: readonly EngineTopicPartition[];
}

export type GroupPollResult =
  | { readonly type: "ok"; readonly records: readonly EngineRecord[]; readonly generation: number; readonly member: string }
  | { readonly type: "fail" | "info"; readonly error: string };

export type CommitResult =
  | { readonly type: "ok" }
  /** fail: the coordinator refused it (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS); info: unknown (timeout). */
  | { readonly type: "fail" | "info"; readonly error: string };

/** What a commit was sent under: the member's generation when the application asked for it. */
export interface CommitIdentity {
  readonly generation: number;
  readonly member: string;
}

/**
 * A consumer in a group (`group.id` set): subscribes, joins through the group coordinator, owns what the
 * assignor gives it, heartbeats from its own timer, and commits. The Java client's behaviour: poll()
 * runs the rebalance (listener calls happen inside poll, before records are returned), a member that
 * does not poll within max.poll.interval.ms leaves the group, and a member that missed its session
 * learns it on its next heartbeat, poll or commit (ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID) and rejoins.
 */
export interface GroupConsumer {
  readonly id: string;
  /** Topics to follow; the listener receives every rebalance call from now on. */
  subscribe(topics: readonly string[], listener: (call: RebalanceCall) => void): void;
  poll(done: (result: GroupPollResult) => void): void;
  /** Next offset to read of every partition the member owns now (what commitSync() without arguments commits). */
  positions(): readonly EngineOffset[];
  /** The member's generation now (generation -1 when not in one). */
  identity(): CommitIdentity;
  /** commitSync: one attempt chain within default.api.timeout.ms, retried on retriable errors; done fires once. */
  commitSync(offsets: readonly EngineOffset[], done: (result: CommitResult) => void): void;
  /** commitAsync: not retried by Kafka's client; done fires once when the answer comes (possibly after later commits). */
  commitAsync(offsets: readonly EngineOffset[], done: (result: CommitResult) => void): void;
  /** Automatic commits (enable.auto.commit) as they complete, so the history can record them. */
  onAutoCommit(listener: (offsets: readonly EngineOffset[], identity: CommitIdentity, result: CommitResult) => void): void;
  /** A crash: the client stops at once, sends nothing more (no LeaveGroup); open callbacks never fire. */
  crash(): void;
  /** A clean close: commits if auto commit is on, leaves the group (unless static), stops. */
  close(): void;
}

/** The coordinator's own view, for the history's observer events (engine only). */
export type CoordinatorObservation =
  | {
      readonly kind: "group-generation";
      readonly group: string;
      readonly generation: number;
      readonly protocol: string;
      readonly members: readonly { readonly member: string; readonly client: string; readonly instance?: string; readonly partitions: readonly EngineTopicPartition[] }[];
    }
  | { readonly kind: "offset-committed"; readonly group: string; readonly topic: string; readonly partition: number; readonly offset: number; readonly generation: number; readonly member: string };

export interface Election extends EngineTopicPartition {
  readonly leader: number;
  readonly epoch: number;
  readonly unclean: boolean;
  readonly timeMs: number;
}

export interface Simulation {
  /** Simulated milliseconds since the simulation started. */
  readonly nowMs: number;
  /** Nodes by name: `broker-1`, ..., `controller-1`, and clients by id once created. */
  readonly nodes: readonly string[];

  createTopic(
    topic: { name: string; partitions: number; replicationFactor: number; config: EngineConfig },
    done: (result: { type: "ok" } | { type: "fail"; error: string }) => void,
  ): void;
  /** Adding partitions works; fewer partitions than now fails with INVALID_PARTITIONS. */
  createPartitions(topic: string, totalCount: number, done: (result: { type: "ok" } | { type: "fail"; error: string }) => void): void;
  describe(topic: string): readonly PartitionState[];
  /** Log start and end offsets as the current leaders report them (null while a partition is offline). */
  endOffsets(topic: string): readonly (EngineTopicPartition & { startOffset: number; endOffset: number } | null)[];

  producer(id: string, config: EngineConfig): Producer;
  consumer(id: string, config: EngineConfig): Consumer;
  /** A group consumer (config must set `group.id`); its node is named by its id, like other clients. */
  groupConsumer(id: string, config: EngineConfig): GroupConsumer;
  /** Every generation completed and every offset stored by a group coordinator. */
  onCoordinator(listener: (observation: CoordinatorObservation) => void): void;
  /** A transactional producer (config must set `transactional.id`; idempotence is implied). */
  transactionalProducer(id: string, config: EngineConfig): TransactionalProducer;
  /** Every transaction marker a partition leader appended (once per partition and marker, from the leader that wrote it). */
  onTransactionMarker(listener: (marker: TransactionMarkerObservation) => void): void;

  /** Run `action` at simulated time `atMs` (>= now). */
  schedule(atMs: number, action: () => void): void;
  /** Process events until simulated time reaches `untilMs` (events at later times stay queued). */
  runUntil(untilMs: number): void;
  /** Process events until `condition()` holds or `maxMs` of simulated time passed; returns whether it held. */
  runUntilCondition(condition: () => boolean, maxMs: number): boolean;

  kill(node: string): void;
  powerLoss(node: string): void;
  stop(node: string): void;
  restart(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
  /** Drop every message from `from` to `to` until healed (directed). */
  cut(from: string, to: string): void;
  heal(): void;
  leaderOf(topic: string, partition: number): number | null;
  /** Every leader election so far, for the history's observer events. */
  onElection(listener: (election: Election) => void): void;

  /** A stable text of everything that happened (for determinism tests: hash it, run twice). */
  trace(): string;

  // Added for tests, debugging and the bench.
  /** The rolling hash over every trace line (cheap; equal hashes mean equal traces). */
  traceHash(): string;
  /** Events processed so far (the cost measure of a run). */
  readonly eventsRun: number;
  /** One broker's replica of a partition, or null if it holds none. */
  replica(brokerId: number, topic: string, partition: number): ReplicaView | null;
  /**
   * Cross-node safety invariants (throws InvariantViolation): one leader per partition and epoch,
   * high watermark <= log end, and, without unclean elections, every running replica agrees with
   * the leader on the records below the smaller of their high watermarks.
   */
  checkInvariants(): void;
}
