import type { StoredBatch, StoredRecord } from "../storage/partition-log.js";
import type { ErrorCode } from "./errors.js";
import type { GroupMessage } from "./group-messages.js";
import type { TransactionMessage } from "./transaction-messages.js";

/** What the controller's metadata log holds (KRaft's records, reduced to what the engine needs). */
export type MetadataRecord =
  | { readonly type: "topic"; readonly offset: number; readonly topic: string; readonly partitions: number; readonly config: Readonly<Record<string, string | number | boolean>> }
  | { readonly type: "partition"; readonly offset: number; readonly state: PartitionRecord }
  | { readonly type: "broker"; readonly offset: number; readonly brokerId: number; readonly fenced: boolean };

export interface PartitionRecord {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly leader: number | null;
  readonly leaderEpoch: number;
  /** Bumped on every change (ISR too): AlterPartition requests carry it so stale ones are refused. */
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
  /** Eligible Leader Replicas (KIP-966). */
  readonly elr: readonly number[];
  /** With ELR on: the leader before the partition went offline, electable when ISR and ELR are empty. */
  readonly lastKnownLeader: number | null;
}

export interface PartitionMetadata {
  readonly partition: number;
  readonly leader: number | null;
  readonly leaderEpoch: number;
}

export interface ProduceBatch {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly records: readonly StoredRecord[];
  /** A transactional producer's batch (its partition was added to the transaction first). */
  readonly transactional?: boolean;
}

export interface ProducePartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly error: ErrorCode | null;
  readonly baseOffset: number;
}

export interface ConsumerFetchPartition {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly currentLeaderEpoch: number;
}

export interface ConsumerFetchResult {
  readonly topic: string;
  readonly partition: number;
  readonly error: ErrorCode | null;
  readonly highWatermark: number;
  readonly batches: readonly StoredBatch[];
  /** The first offset of the first open transaction (the high watermark when none is open). */
  readonly lastStableOffset?: number;
  /** read_committed: the aborted transactions that overlap the returned batches (the consumer skips their batches). */
  readonly abortedTransactions?: readonly AbortedTransaction[];
}

/** One aborted transaction on a partition: its producer's batches in [firstOffset, markerOffset] are aborted data. */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly markerOffset: number;
}

export type Message =
  | GroupMessage
  | TransactionMessage
  // broker <-> controller
  | { readonly kind: "register"; readonly brokerId: number; readonly incarnation: number; readonly cleanShutdown: boolean }
  | { readonly kind: "register-response"; readonly brokerEpoch: number; readonly producerIdBlockStart: number }
  | { readonly kind: "heartbeat"; readonly brokerId: number; readonly brokerEpoch: number; readonly metadataOffset: number }
  | { readonly kind: "heartbeat-response"; readonly error: ErrorCode | null; readonly fenced: boolean; readonly records: readonly MetadataRecord[] }
  | { readonly kind: "metadata-push"; readonly records: readonly MetadataRecord[] }
  | {
      readonly kind: "alter-partition";
      readonly brokerId: number;
      readonly brokerEpoch: number;
      readonly topic: string;
      readonly partition: number;
      readonly leaderEpoch: number;
      readonly partitionEpoch: number;
      readonly isr: readonly number[];
    }
  | { readonly kind: "alter-partition-response"; readonly topic: string; readonly partition: number; readonly error: ErrorCode | null; readonly state: PartitionRecord | null }
  // admin -> controller
  | {
      readonly kind: "create-topic";
      readonly requestId: number;
      readonly topic: string;
      readonly partitions: number;
      readonly replicationFactor: number;
      readonly config: Readonly<Record<string, string | number | boolean>>;
    }
  | { readonly kind: "create-partitions"; readonly requestId: number; readonly topic: string; readonly totalCount: number }
  | { readonly kind: "admin-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly message: string }
  // follower -> leader
  | {
      readonly kind: "replica-fetch";
      readonly requestId: number;
      readonly replicaId: number;
      readonly topic: string;
      readonly partition: number;
      readonly fetchOffset: number;
      /** -1 when not sent (the pre-KIP-101 protocol of the planted bug). */
      readonly lastFetchedEpoch: number;
      readonly currentLeaderEpoch: number;
    }
  | {
      readonly kind: "replica-fetch-response";
      readonly requestId: number;
      readonly topic: string;
      readonly partition: number;
      readonly error: ErrorCode | null;
      readonly highWatermark: number;
      readonly leaderLogEndOffset: number;
      readonly batches: readonly StoredBatch[];
      readonly divergingEpoch: { readonly epoch: number; readonly endOffset: number } | null;
    }
  // clients -> brokers
  | { readonly kind: "metadata-request"; readonly requestId: number; readonly topics: readonly string[] }
  | {
      readonly kind: "metadata-response";
      readonly requestId: number;
      readonly topics: readonly { readonly topic: string; readonly error: ErrorCode | null; readonly partitions: readonly PartitionMetadata[] }[];
    }
  | { readonly kind: "init-producer-id"; readonly requestId: number }
  | { readonly kind: "init-producer-id-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly producerId: number; readonly producerEpoch: number }
  | { readonly kind: "produce"; readonly requestId: number; readonly acks: 0 | 1 | -1; readonly timeoutMs: number; readonly batches: readonly ProduceBatch[] }
  | { readonly kind: "produce-response"; readonly requestId: number; readonly results: readonly ProducePartitionResult[] }
  | { readonly kind: "fetch"; readonly requestId: number; readonly readCommitted: boolean; readonly maxBytes: number; readonly partitions: readonly ConsumerFetchPartition[] }
  | { readonly kind: "fetch-response"; readonly requestId: number; readonly results: readonly ConsumerFetchResult[] }
  | { readonly kind: "list-offsets"; readonly requestId: number; readonly topic: string; readonly partition: number; readonly earliest: boolean }
  | { readonly kind: "list-offsets-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly offset: number }
  /** KIP-320: a consumer validates its position after a leader change (OffsetsForLeaderEpoch). */
  | {
      readonly kind: "offsets-for-leader-epoch";
      readonly requestId: number;
      readonly topic: string;
      readonly partition: number;
      readonly currentLeaderEpoch: number;
      /** The epoch of the last record the consumer consumed. */
      readonly leaderEpoch: number;
    }
  | {
      readonly kind: "offsets-for-leader-epoch-response";
      readonly requestId: number;
      readonly error: ErrorCode | null;
      /** The largest epoch <= the requested one in the leader's log (-1: none), and where it ends there. */
      readonly epoch: number;
      readonly endOffset: number;
    };
