/**
 * The record of partition moves during Java's general sticky assignment (AbstractStickyAssignor's
 * PartitionMovements). Its purpose: when a partition of a topic is about to move from A to B while
 * some other partition of that topic already moved from B to A, move that one back instead, so moves
 * of one topic never run both ways between two members. Which partition comes back is "the first" of
 * a java.util.HashSet, hence the emulated hash order.
 */
import type { AssignorPartition } from "./assignor.js";
import { JavaHashOrder, topicPartitionHash } from "./java-hash.js";
import { partitionKey } from "./order.js";

interface Move {
  readonly from: string;
  readonly to: string;
}

function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export class PartitionMovements {
  /** Partition key -> where it was before this rebalance started moving it, and where it is now. */
  private readonly moves = new Map<string, Move>();
  /** Topic -> (from, to) -> the partitions of that topic that moved that way. */
  private readonly byTopic = new Map<string, Map<string, JavaHashOrder<AssignorPartition>>>();

  /** The partition to move from `from` to `to` in place of `partition` (itself, unless a reverse move can be undone). */
  partitionToMove(partition: AssignorPartition, from: string, to: string): AssignorPartition {
    const topicMoves = this.byTopic.get(partition.topic);
    if (topicMoves === undefined) return partition;
    const earlier = this.moves.get(partitionKey(partition));
    let origin = from;
    if (earlier !== undefined) {
      if (earlier.to !== from) throw new Error(`sticky: ${partitionKey(partition)} recorded at ${earlier.to}, found at ${from}`);
      origin = earlier.from;
    }
    const reverse = topicMoves.get(pairKey(to, origin));
    if (reverse === undefined) return partition;
    return reverse.keys()[0] as AssignorPartition;
  }

  move(partition: AssignorPartition, from: string, to: string): void {
    const earlier = this.moves.get(partitionKey(partition));
    if (earlier === undefined) {
      this.record(partition, { from, to });
      return;
    }
    this.forget(partition, earlier);
    if (earlier.to !== from) throw new Error(`sticky: ${partitionKey(partition)} recorded at ${earlier.to}, moved from ${from}`);
    // Back where it started: no move left to remember.
    if (earlier.from !== to) this.record(partition, { from: earlier.from, to });
  }

  private record(partition: AssignorPartition, move: Move): void {
    this.moves.set(partitionKey(partition), move);
    let topicMoves = this.byTopic.get(partition.topic);
    if (topicMoves === undefined) {
      topicMoves = new Map();
      this.byTopic.set(partition.topic, topicMoves);
    }
    let partitions = topicMoves.get(pairKey(move.from, move.to));
    if (partitions === undefined) {
      partitions = new JavaHashOrder<AssignorPartition>((entry) => topicPartitionHash(entry.topic, entry.partition), partitionKey);
      topicMoves.set(pairKey(move.from, move.to), partitions);
    }
    partitions.add(partition);
  }

  private forget(partition: AssignorPartition, move: Move): void {
    this.moves.delete(partitionKey(partition));
    const topicMoves = this.byTopic.get(partition.topic);
    const partitions = topicMoves?.get(pairKey(move.from, move.to));
    if (topicMoves === undefined || partitions === undefined) throw new Error(`sticky: no record of moving ${partitionKey(partition)}`);
    partitions.delete(partition);
    if (partitions.size === 0) topicMoves.delete(pairKey(move.from, move.to));
    if (topicMoves.size === 0) this.byTopic.delete(partition.topic);
  }
}
