/**
 * What a group coordinator writes to its `__consumer_offsets` partition, and how a new coordinator reads
 * it back. Kafka keeps two kinds of record there: a committed offset (key: group, topic, partition) and
 * the group's metadata after each completed rebalance (key: group). Replaying the partition's log in
 * order rebuilds every group it coordinates: the last record of a key wins.
 */
import type { StoredBatch, StoredRecord } from "../../storage/partition-log.js";
import type { GroupPartition, JoinMetadata } from "../../protocol/group-messages.js";

export interface StoredMember extends JoinMetadata {
  readonly member: string;
  readonly client: string;
  readonly instance?: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocols: readonly string[];
  readonly assignment: readonly GroupPartition[];
}

export interface GroupMetadataRecord {
  readonly type: "group";
  readonly group: string;
  readonly generation: number;
  readonly protocol: string;
  readonly leader: string;
  readonly members: readonly StoredMember[];
}

export interface OffsetRecord {
  readonly type: "offset";
  /** The group, or null when the planted bug offsets-shared-across-groups keys offsets by partition only. */
  readonly group: string | null;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Who committed it (for the observer events; Kafka keeps no such field). */
  readonly generation: number;
  readonly member: string;
}

export type CoordinatorRecord = GroupMetadataRecord | OffsetRecord;

export function encodeRecord(record: CoordinatorRecord): StoredRecord {
  const key = record.type === "group" ? `group/${record.group}` : `offset/${record.group ?? "*"}/${record.topic}/${record.partition}`;
  return { key, value: JSON.stringify(record) };
}

/** The records of a log in offset order (the engine's own writes: anything else is a bug, and throws). */
export function* decodeRecords(batches: readonly StoredBatch[]): Generator<CoordinatorRecord> {
  for (const batch of batches) {
    for (const stored of batch.records) {
      const record = JSON.parse(stored.value) as CoordinatorRecord;
      if (record.type !== "group" && record.type !== "offset") throw new Error(`__consumer_offsets record with key ${stored.key} is neither group metadata nor an offset`);
      yield record;
    }
  }
}
