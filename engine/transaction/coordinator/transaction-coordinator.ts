/**
 * The transaction coordinator of one broker (KIP-98, protocol version 1). Kafka's rule: a
 * transactional id is coordinated by the leader of the `__transaction_state` partition it hashes to,
 * so coordination fails over with that partition's leadership. On becoming leader the coordinator
 * replays the partition (the last metadata per id) and finishes every transaction it finds prepared
 * (PrepareCommit / PrepareAbort: the decision was logged, the markers may not all be written).
 *
 * Every state change is appended to the partition with acks=all and acted on only once replicated,
 * like the group coordinator's. One change per transactional id at a time: requests that arrive
 * while a change or the markers are in flight get CONCURRENT_TRANSACTIONS and the client retries.
 */
import type { PartitionReplica } from "../../broker/partition-replica.js";
import type { EngineContext } from "../../context.js";
import type { ErrorCode } from "../../protocol/errors.js";
import type { GroupPartition } from "../../protocol/group-messages.js";
import type { Message } from "../../protocol/messages.js";
import { transactionStateTopic, type TransactionRequest, type TransactionResponse } from "../../protocol/transaction-messages.js";
import { assert } from "../../simulation/assert.js";
import { coordinatorPartition } from "../../group/coordinator/coordinator.js";
import { encodeTransaction, loadTransactions, type TransactionMetadata } from "./transaction-log.js";
import { MarkerWriter } from "./marker-writer.js";

/** How long a state change waits for replication of its record (Kafka's transaction.state.log write timeout). */
const stateWriteTimeoutMs = 5_000;
/** Bounds: transactional ids per state partition. */
const maxTransactionalIdsPerPartition = 10_000;

export interface TransactionCoordinatorBroker {
  readonly brokerId: number;
  readonly context: EngineContext;
  send(to: string, message: TransactionResponse | Message): void;
  timer(delayMs: number, action: () => void): void;
  trace(text: string): void;
  nextRequestId(): number;
  replica(topic: string, partition: number): PartitionReplica | undefined;
  /** Leaders of `__transaction_state`'s partitions from this broker's metadata (null: no such topic yet). */
  stateLeaders(): readonly (number | null)[] | null;
  /** A partition's leader from this broker's metadata (null: none known). */
  leaderOf(topic: string, partition: number): number | null;
  /** A new producer id from the broker's block (null: the broker has none yet). */
  allocateProducerId(): number | null;
}

interface Entry {
  metadata: TransactionMetadata;
  /** A state write or the markers are in flight: the id takes no other change meanwhile. */
  busy: boolean;
}

interface Shard {
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly entries: Map<string, Entry>;
  alive: boolean;
}

export class TransactionCoordinator {
  private readonly shards = new Map<number, Shard>();
  readonly markers: MarkerWriter;

  constructor(private readonly broker: TransactionCoordinatorBroker) {
    this.markers = new MarkerWriter(broker);
    this.abortTimedOutLoop();
  }

  private get context(): EngineContext {
    return this.broker.context;
  }

  private get now(): number {
    return this.context.scheduler.nowMs;
  }

  // ---------------------------------------------------------------- leadership of state partitions

  onStatePartition(replica: PartitionReplica): void {
    const current = this.shards.get(replica.partition);
    if (replica.role === "leader") {
      if (current !== undefined && current.leaderEpoch === replica.leaderEpoch) return;
      if (current !== undefined) this.unload(current);
      this.load(replica);
    } else if (current !== undefined) {
      this.unload(current);
    }
  }

  private load(replica: PartitionReplica): void {
    const shard: Shard = { partition: replica.partition, leaderEpoch: replica.leaderEpoch, entries: new Map(), alive: true };
    this.shards.set(replica.partition, shard);
    for (const [id, metadata] of loadTransactions(replica.log.allBatches())) shard.entries.set(id, { metadata, busy: false });
    this.broker.trace(`transaction coordinator load ${transactionStateTopic}-${replica.partition} epoch ${replica.leaderEpoch}: [${[...shard.entries.keys()].join(",")}]`);
    // A logged decision is final: the new coordinator writes the markers the old one may not have.
    for (const entry of shard.entries.values()) {
      const state = entry.metadata.state;
      if (state === "PrepareCommit" || state === "PrepareAbort") this.complete(shard, entry);
    }
  }

  private unload(shard: Shard): void {
    shard.alive = false;
    this.shards.delete(shard.partition);
    this.broker.trace(`transaction coordinator unload ${transactionStateTopic}-${shard.partition} epoch ${shard.leaderEpoch}`);
  }

  // ---------------------------------------------------------------- requests

  handle(from: string, request: TransactionRequest): void {
    if (request.kind === "find-transaction-coordinator") {
      const leaders = this.broker.stateLeaders();
      const leader = leaders === null ? null : (leaders[coordinatorPartition(request.transactionalId, leaders.length)] ?? null);
      this.broker.send(from, { kind: "find-transaction-coordinator-response", requestId: request.requestId, error: leader === null ? "COORDINATOR_NOT_AVAILABLE" : null, brokerId: leader ?? -1 });
      return;
    }
    const requestId = request.requestId;
    const reply = (error: ErrorCode | null, identity?: { producerId: number; producerEpoch: number }): void => {
      if (request.kind === "transaction-init") {
        this.broker.send(from, { kind: "transaction-init-response", requestId, error, producerId: identity?.producerId ?? -1, producerEpoch: identity?.producerEpoch ?? -1 });
      } else if (request.kind === "add-partitions-to-transaction") {
        this.broker.send(from, { kind: "add-partitions-to-transaction-response", requestId, error });
      } else {
        this.broker.send(from, { kind: "end-transaction-response", requestId, error });
      }
    };
    const leaders = this.broker.stateLeaders();
    const shard = leaders === null ? undefined : this.shards.get(coordinatorPartition(request.transactionalId, leaders.length));
    if (shard === undefined) return reply("NOT_COORDINATOR");
    switch (request.kind) {
      case "transaction-init":
        return this.init(shard, request.transactionalId, request.transactionTimeoutMs, reply);
      case "add-partitions-to-transaction":
        return this.addPartitions(shard, request, reply);
      case "end-transaction":
        return this.end(shard, request, reply);
    }
  }

  /** InitProducerId: a new epoch for the id, which fences every older producer of it (T6). */
  private init(shard: Shard, transactionalId: string, timeoutMs: number, reply: (error: ErrorCode | null, identity?: { producerId: number; producerEpoch: number }) => void): void {
    if (timeoutMs <= 0 || timeoutMs > this.context.brokerSettings.transactionMaxTimeoutMs) return reply("INVALID_TRANSACTION_TIMEOUT");
    const entry = shard.entries.get(transactionalId);
    if (entry?.busy === true) return reply("CONCURRENT_TRANSACTIONS");
    const fencing = !this.context.bugs.has("no-fencing");
    if (entry !== undefined && entry.metadata.state === "Ongoing") {
      // The previous producer's transaction is aborted under a bumped epoch, so its markers fence its
      // data on every partition; the new producer retries until the abort is complete.
      this.broker.trace(`transaction ${transactionalId}: init fences epoch ${entry.metadata.producerEpoch} and aborts its transaction`);
      this.prepare(shard, entry, false, entry.metadata.producerEpoch + (fencing ? 1 : 0));
      return reply("CONCURRENT_TRANSACTIONS");
    }
    if (entry !== undefined && (entry.metadata.state === "PrepareCommit" || entry.metadata.state === "PrepareAbort")) return reply("CONCURRENT_TRANSACTIONS");
    let producerId: number;
    let producerEpoch: number;
    if (entry === undefined) {
      const allocated = this.broker.allocateProducerId();
      if (allocated === null) return reply("COORDINATOR_NOT_AVAILABLE");
      assert(shard.entries.size < maxTransactionalIdsPerPartition, `too many transactional ids on ${transactionStateTopic}-${shard.partition}`);
      producerId = allocated;
      producerEpoch = 0;
    } else {
      producerId = entry.metadata.producerId;
      producerEpoch = entry.metadata.producerEpoch + (fencing ? 1 : 0);
    }
    const metadata: TransactionMetadata = { transactionalId, producerId, producerEpoch, timeoutMs, state: "Empty", partitions: [], startMs: -1 };
    const target = entry ?? { metadata, busy: false };
    if (entry === undefined) shard.entries.set(transactionalId, target);
    this.write(shard, target, metadata, (error) => (error === null ? reply(null, { producerId, producerEpoch }) : reply(error)));
  }

  private identityError(entry: Entry | undefined, producerId: number, producerEpoch: number): ErrorCode | null {
    if (entry === undefined || entry.metadata.producerId !== producerId) return "INVALID_TXN_STATE";
    if (producerEpoch < entry.metadata.producerEpoch) return "PRODUCER_FENCED";
    if (producerEpoch > entry.metadata.producerEpoch) return "INVALID_TXN_STATE";
    return null;
  }

  private addPartitions(shard: Shard, request: Extract<TransactionRequest, { kind: "add-partitions-to-transaction" }>, reply: (error: ErrorCode | null) => void): void {
    const entry = shard.entries.get(request.transactionalId);
    const identityError = this.identityError(entry, request.producerId, request.producerEpoch);
    if (identityError !== null || entry === undefined) return reply(identityError ?? "INVALID_TXN_STATE");
    const current = entry.metadata;
    if (entry.busy || current.state === "PrepareCommit" || current.state === "PrepareAbort") return reply("CONCURRENT_TRANSACTIONS");
    const known = new Set(current.state === "Ongoing" ? current.partitions.map(partitionKey) : []);
    const added = request.partitions.filter((partition) => !known.has(partitionKey(partition)));
    if (current.state === "Ongoing" && added.length === 0) return reply(null);
    const metadata: TransactionMetadata = {
      ...current,
      state: "Ongoing",
      partitions: [...(current.state === "Ongoing" ? current.partitions : []), ...added],
      startMs: current.state === "Ongoing" ? current.startMs : this.now,
    };
    this.write(shard, entry, metadata, reply);
  }

  private end(shard: Shard, request: Extract<TransactionRequest, { kind: "end-transaction" }>, reply: (error: ErrorCode | null) => void): void {
    const entry = shard.entries.get(request.transactionalId);
    const identityError = this.identityError(entry, request.producerId, request.producerEpoch);
    if (identityError !== null || entry === undefined) return reply(identityError ?? "INVALID_TXN_STATE");
    const state = entry.metadata.state;
    // A retried EndTxn whose first attempt already decided: the same answer again.
    if ((state === "CompleteCommit" && request.commit) || (state === "CompleteAbort" && !request.commit)) return reply(null);
    if (entry.busy || state === "PrepareCommit" || state === "PrepareAbort") return reply(state === (request.commit ? "PrepareAbort" : "PrepareCommit") ? "INVALID_TXN_STATE" : "CONCURRENT_TRANSACTIONS");
    if (state !== "Ongoing") return reply("INVALID_TXN_STATE");
    this.prepare(shard, entry, request.commit, entry.metadata.producerEpoch, reply);
  }

  // ---------------------------------------------------------------- two-phase end

  /** Logs the decision (PrepareCommit / PrepareAbort), answers the client, then writes the markers. */
  private prepare(shard: Shard, entry: Entry, commit: boolean, producerEpoch: number, reply?: (error: ErrorCode | null) => void): void {
    const metadata: TransactionMetadata = { ...entry.metadata, producerEpoch, state: commit ? "PrepareCommit" : "PrepareAbort" };
    this.write(shard, entry, metadata, (error) => {
      reply?.(error);
      if (error === null) this.complete(shard, entry);
    });
  }

  private complete(shard: Shard, entry: Entry): void {
    const prepared = entry.metadata;
    const commit = prepared.state === "PrepareCommit";
    assert(commit || prepared.state === "PrepareAbort", `transaction ${prepared.transactionalId}: markers in state ${prepared.state}`);
    entry.busy = true;
    this.markers.write(prepared, commit, () => shard.alive, () => {
      entry.busy = false;
      if (!shard.alive || entry.metadata !== prepared) return;
      this.write(shard, entry, { ...prepared, state: commit ? "CompleteCommit" : "CompleteAbort", partitions: [] }, () => undefined);
    });
  }

  /** transaction.timeout.ms: the coordinator aborts a transaction open too long, bumping the epoch (the producer is fenced). */
  private abortTimedOutLoop(): void {
    this.broker.timer(this.context.brokerSettings.transactionCleanupIntervalMs, () => {
      for (const shard of this.shards.values()) {
        for (const entry of shard.entries.values()) {
          const metadata = entry.metadata;
          if (entry.busy || metadata.state !== "Ongoing" || this.now < metadata.startMs + metadata.timeoutMs) continue;
          this.broker.trace(`transaction ${metadata.transactionalId}: timed out after ${metadata.timeoutMs} ms, aborting`);
          this.prepare(shard, entry, false, metadata.producerEpoch + 1);
        }
      }
      this.abortTimedOutLoop();
    });
  }

  /** Appends the new metadata with acks=all; it takes effect (and `done` hears null) once replicated. */
  private write(shard: Shard, entry: Entry, metadata: TransactionMetadata, done: (error: ErrorCode | null) => void): void {
    const replica = this.broker.replica(transactionStateTopic, shard.partition);
    if (!shard.alive || replica === undefined || replica.role !== "leader") return done("NOT_COORDINATOR");
    entry.busy = true;
    const batch = { topic: transactionStateTopic, partition: shard.partition, producerId: -1, producerEpoch: -1, baseSequence: -1, records: [encodeTransaction(metadata)] };
    replica.appendAsLeader(batch, -1, stateWriteTimeoutMs, (result) => {
      entry.busy = false;
      if (result.error === null && shard.alive) {
        entry.metadata = metadata;
        this.broker.trace(`transaction ${metadata.transactionalId}: ${metadata.state} producer ${metadata.producerId} epoch ${metadata.producerEpoch} [${metadata.partitions.map(partitionKey).join(",")}]`);
        return done(null);
      }
      // In the log but unconfirmed: a later coordinator may load it, so the client cannot count on either outcome.
      done(result.error === null || result.baseOffset >= 0 ? "REQUEST_TIMED_OUT" : "NOT_COORDINATOR");
    });
  }
}

function partitionKey(partition: GroupPartition): string {
  return `${partition.topic}-${partition.partition}`;
}
