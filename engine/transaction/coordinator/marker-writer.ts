/**
 * The coordinator's second phase: WriteTxnMarkers to the leader of every partition of a decided
 * transaction, retried (with the leader looked up again) until each partition acknowledged its
 * marker, or until the coordinator loses the transactional id (its successor writes them then).
 *
 * The planted bug commit-marker-first-partition-only writes the commit marker to the first partition
 * and abort markers to the others: a torn transaction (T1).
 */
import type { ErrorCode } from "../../protocol/errors.js";
import type { GroupPartition } from "../../protocol/group-messages.js";
import type { Message } from "../../protocol/messages.js";
import { brokerNodeName } from "../../context.js";
import { assert } from "../../simulation/assert.js";
import type { TransactionCoordinatorBroker } from "./transaction-coordinator.js";
import type { TransactionMetadata } from "./transaction-log.js";

const markerRetryBackoffMs = 100;
const markerRequestTimeoutMs = 10_000;
/** Attempts per transaction before the writer gives up as a runaway (an hour of retries at the backoff). */
const maxMarkerRounds = 36_000;

interface PendingRequest {
  readonly partitions: readonly GroupPartition[];
  readonly onResult: (results: readonly (GroupPartition & { readonly error: ErrorCode | null })[] | null) => void;
}

export class MarkerWriter {
  private readonly requests = new Map<number, PendingRequest>();

  constructor(private readonly broker: TransactionCoordinatorBroker) {}

  write(metadata: TransactionMetadata, commit: boolean, alive: () => boolean, done: () => void): void {
    const tornCommit = commit && this.broker.context.bugs.has("commit-marker-first-partition-only");
    const remaining = new Map<string, { partition: GroupPartition; commit: boolean }>();
    metadata.partitions.forEach((partition, index) => remaining.set(`${partition.topic}-${partition.partition}`, { partition, commit: tornCommit ? index === 0 : commit }));
    let rounds = 0;
    let outstanding = 0;
    const round = (): void => {
      if (!alive()) return;
      if (remaining.size === 0) return done();
      assert(rounds++ < maxMarkerRounds, `transaction ${metadata.transactionalId}: markers not written after ${maxMarkerRounds} rounds`);
      // One request per leader and marker kind, for the partitions still without their marker.
      const byTarget = new Map<string, { leader: number; commit: boolean; partitions: GroupPartition[] }>();
      let leaderless = false;
      for (const { partition, commit: markerCommit } of remaining.values()) {
        const leader = this.broker.leaderOf(partition.topic, partition.partition);
        if (leader === null) {
          leaderless = true;
          continue;
        }
        const key = `${leader}/${markerCommit}`;
        let target = byTarget.get(key);
        if (target === undefined) {
          target = { leader, commit: markerCommit, partitions: [] };
          byTarget.set(key, target);
        }
        target.partitions.push(partition);
      }
      if (byTarget.size === 0) {
        if (leaderless) this.broker.timer(markerRetryBackoffMs, round);
        return;
      }
      outstanding = byTarget.size;
      for (const target of byTarget.values()) {
        this.send(metadata, target.leader, target.commit, target.partitions, (results) => {
          for (const result of results ?? []) if (result.error === null) remaining.delete(`${result.topic}-${result.partition}`);
          outstanding--;
          if (outstanding > 0) return;
          if (remaining.size === 0) round();
          else this.broker.timer(markerRetryBackoffMs, round);
        });
      }
    };
    round();
  }

  private send(metadata: TransactionMetadata, leader: number, commit: boolean, partitions: readonly GroupPartition[], onResult: PendingRequest["onResult"]): void {
    const requestId = this.broker.nextRequestId();
    let answered = false;
    const once: PendingRequest["onResult"] = (results) => {
      if (answered) return;
      answered = true;
      this.requests.delete(requestId);
      onResult(results);
    };
    this.requests.set(requestId, { partitions, onResult: once });
    const message: Message = {
      kind: "write-transaction-markers",
      requestId,
      transactionalId: metadata.transactionalId,
      producerId: metadata.producerId,
      producerEpoch: metadata.producerEpoch,
      commit,
      partitions,
    };
    this.broker.send(brokerNodeName(leader), message);
    this.broker.timer(markerRequestTimeoutMs, () => once(null));
  }

  /** The broker routes WriteTxnMarkers answers here. */
  onResponse(message: Extract<Message, { kind: "write-transaction-markers-response" }>): void {
    this.requests.get(message.requestId)?.onResult(message.results);
  }
}
