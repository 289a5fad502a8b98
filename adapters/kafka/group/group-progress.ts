/**
 * How far each group got, from what its members recorded: the highest committed offset (acknowledged
 * commits) and the highest processed next offset per partition. The finale's drain runs until every
 * group caught up with the end offsets (committed, or processed for groups that never commit).
 */
import type { TopicPartition } from "../../../model/index.js";

function key(group: string, topic: string, partition: number): string {
  return `${group}\u0000${topic}\u0000${partition}`;
}

export interface PartitionEnd extends TopicPartition {
  readonly endOffset: number;
}

export class GroupProgress {
  private readonly committed = new Map<string, number>();
  private readonly processed = new Map<string, number>();

  noteCommitted(group: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): void {
    for (const entry of offsets) this.raise(this.committed, key(group, entry.topic, entry.partition), entry.offset);
  }

  noteProcessed(group: string, records: readonly (TopicPartition & { readonly offset: number })[]): void {
    for (const record of records) this.raise(this.processed, key(group, record.topic, record.partition), record.offset + 1);
  }

  committedOffset(group: string, topic: string, partition: number): number | undefined {
    return this.committed.get(key(group, topic, partition));
  }

  /** Whether `group` reached every end: by its commits, or by its processing when it never commits. */
  caughtUp(group: string, byCommits: boolean, ends: readonly PartitionEnd[]): boolean {
    const reached = byCommits ? this.committed : this.processed;
    return ends.every((end) => end.endOffset <= 0 || (reached.get(key(group, end.topic, end.partition)) ?? -1) >= end.endOffset);
  }

  private raise(map: Map<string, number>, entry: string, offset: number): void {
    if (offset > (map.get(entry) ?? -1)) map.set(entry, offset);
  }
}
