import { assert } from "../simulation/assert.js";

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** (epoch, end offset) answer of OffsetsForLeaderEpoch; epoch -1 when the cache knows no such epoch. */
export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export const undefinedEpoch = -1;

/**
 * The leader-epoch-checkpoint file: the first offset of every leader epoch in this replica's log.
 * It is what lets a follower find where its log diverged from the leader's (KIP-101), instead of
 * trusting its high watermark. Kafka writes it with fsync, so it survives power loss; recovery
 * then trims entries past the recovered log end.
 */
export class LeaderEpochCache {
  private entries: EpochEntry[] = [];

  get latestEpoch(): number {
    return this.entries.at(-1)?.epoch ?? undefinedEpoch;
  }

  list(): readonly EpochEntry[] {
    return this.entries;
  }

  assign(epoch: number, startOffset: number): void {
    const last = this.entries.at(-1);
    if (last !== undefined && epoch <= last.epoch) return;
    assert(last === undefined || startOffset >= last.startOffset, `epoch ${epoch} starts at ${startOffset}, before epoch ${last?.epoch}`);
    this.entries.push({ epoch, startOffset });
  }

  /** Drops every epoch that starts at or after `endOffset` (the log was truncated there). */
  truncateFromEnd(endOffset: number): void {
    while (this.entries.length > 0 && this.entries.at(-1)!.startOffset >= endOffset) this.entries.pop();
  }

  /** The largest epoch <= `epoch` this log has, and the offset where it ended (the next epoch's start). */
  endOffsetFor(epoch: number, logEndOffset: number): EpochEndOffset {
    for (let index = this.entries.length - 1; index >= 0; index--) {
      const entry = this.entries[index]!;
      if (entry.epoch <= epoch) {
        const next = this.entries[index + 1];
        return { epoch: entry.epoch, endOffset: next === undefined ? logEndOffset : next.startOffset };
      }
    }
    return { epoch: undefinedEpoch, endOffset: -1 };
  }

  clone(): LeaderEpochCache {
    const copy = new LeaderEpochCache();
    copy.entries = [...this.entries];
    return copy;
  }
}
