import type { PlantedBug } from "./api.js";

/**
 * The planted bugs: switchable mutations of the engine, each breaking one documented guarantee, so the
 * harness can prove its checks catch them. All are off by default.
 */
export interface PlantedBugDescription {
  readonly id: PlantedBug;
  /** Guarantee ids from shared/docs/guarantees.md that this bug breaks. */
  readonly breaks: readonly string[];
  readonly does: string;
}

export const plantedBugs: readonly PlantedBugDescription[] = [
  {
    id: "truncate-to-high-watermark",
    breaks: ["D2", "D9"],
    does:
      "A replica that becomes follower (and one that restarts) truncates its log to its own high watermark and then fetches without the last fetched epoch, so no divergence check happens (the pre-KIP-101 protocol). A follower whose high watermark lags drops committed records; if it is then elected, acknowledged acks=all records are lost and logs diverge.",
  },
  {
    id: "no-sequence-check",
    breaks: ["D3", "O3"],
    does: "The leader appends every idempotent batch without looking at producer id, epoch or sequence: a retried batch is appended twice and an out-of-order batch is accepted.",
  },
  {
    id: "unclean-election-always",
    breaks: ["D7", "D2"],
    does:
      "When no ISR (or ELR) replica is alive, the controller elects any live out-of-sync replica even with unclean.leader.election.enable=false, and reports the election as clean.",
  },
  {
    id: "high-watermark-at-log-end",
    breaks: ["D6"],
    does: "The leader sets its high watermark to its own log end offset, so consumers read records that no follower has and that a new leader later truncates.",
  },
  {
    id: "early-ack",
    // Acknowledging before the ISR has the record also acknowledges while the ISR is below min.insync.replicas.
    breaks: ["D2", "D5"],
    does: "acks=all is acknowledged as soon as the leader appended (as acks=1 would), before the ISR has the record.",
  },
  {
    id: "ack-batch-base-offset",
    breaks: ["D10"],
    does: "The producer reports the batch's base offset as every record's offset, instead of base offset plus the record's index in the batch.",
  },
  {
    id: "retry-to-back",
    breaks: ["O3"],
    does:
      "A non-idempotent producer puts a batch it retries at the back of its partition queue instead of the front, so with max.in.flight.requests.per.connection=1 a retried record is written after later ones.",
  },
  {
    id: "ignore-min-insync-replicas",
    breaks: ["D5", "D2"],
    does:
      "The leader never compares the ISR with min.insync.replicas: with the ISR shrunk below it (followers down), an acks=all produce is appended, the high watermark advances with the leader alone, and the write is acknowledged instead of refused with NOT_ENOUGH_REPLICAS. A follower that left the ISR meanwhile stays an eligible leader replica (Kafka 4.1, KIP-966: trusted because nothing commits below min ISR), so when the leader dies it may be elected and the acknowledged records are lost (D2).",
  },
  {
    id: "wrong-key-hash",
    breaks: ["O2"],
    does:
      "The producer's default partitioner hashes a key's UTF-16 code units (two bytes each, little-endian) instead of its UTF-8 bytes, so keyed records go to other partitions than murmur2(utf8(key)) % partitions (k2 over 2 partitions: 0 instead of 1).",
  },
  {
    id: "consumer-rewind-on-leader-change",
    breaks: ["O1"],
    does:
      "When a consumer sees a new leader epoch for a partition it has been reading, it drops its position and starts again from the log start (ListOffsets earliest) instead of validating the position (KIP-320): the next poll goes back to offsets already returned.",
  },
  {
    id: "consumer-skip-on-error",
    breaks: ["O1"],
    does:
      "When a fetch fails (an error from the broker, e.g. NOT_LEADER_OR_FOLLOWER after a leader change, or a timeout), the consumer moves its position one offset on as if it had consumed it: the next poll skips a record.",
  },
  {
    id: "assign-without-rebalance",
    breaks: ["C1"],
    does:
      "A member joining a stable group is answered at once in the current generation, without a rebalance: it runs the assignor over every member and takes its own share, while the other members keep the partitions they own. Two members then own the same partition in one generation.",
  },
  {
    id: "commit-last-processed",
    breaks: ["C3"],
    does:
      "The consumer's positions (what commitSync() without arguments commits) are the offset of the last record it returned instead of the next offset to read: every commit is one short, and a new owner reads the last processed record again.",
  },
  {
    id: "sync-commit-retried-late",
    breaks: ["C6"],
    does:
      "A synchronous commit whose attempt timed out (no answer within request.timeout.ms) is kept by the client and sent again after a later commit succeeds: the old offsets land over newer ones and the committed offset moves back.",
  },
  {
    id: "sticky-forgets-ownership",
    breaks: ["C8"],
    does:
      "The group leader runs the sticky (and cooperative-sticky) assignor as if no member owned anything: each rebalance assigns from scratch, so partitions move between members that keep running although balance did not need it.",
  },
  {
    id: "accept-stale-commit",
    breaks: ["C3", "C4"],
    does:
      "The coordinator stores an offset commit without checking the member and generation: a zombie (a consumer frozen past its session, already replaced) commits its old position over the new owner's progress.",
  },
  {
    id: "offsets-shared-across-groups",
    breaks: ["C7"],
    does:
      "The coordinator keys committed offsets by topic and partition only, not by group: one group's commits become another group's starting position, so the second group skips records it never read.",
  },
  {
    id: "read-committed-returns-aborted",
    breaks: ["T2"],
    does:
      "A read_committed consumer ignores the aborted-transaction list of its fetch answers: it returns the records of aborted transactions as if they had committed (Jepsen's G1a, an aborted read).",
  },
  {
    id: "commit-marker-first-partition-only",
    breaks: ["T1"],
    does:
      "On commit the transaction coordinator writes the commit marker to the transaction's first partition and abort markers to the others, and still reports the commit: read_committed consumers see a torn transaction.",
  },
  {
    id: "last-stable-offset-at-high-watermark",
    breaks: ["T3"],
    does:
      "The leader serves read_committed fetches up to the high watermark instead of the last stable offset: consumers read the records of transactions still open, before their commit (Jepsen's precommitted read), and of transactions that later abort.",
  },
  {
    id: "marker-without-offset",
    breaks: ["T4"],
    does:
      "A partition leader ends a transaction on its marker without appending the marker: the marker takes no offset and the partition's next record sits where the marker should be.",
  },
  {
    id: "no-fencing",
    breaks: ["T6"],
    does:
      "InitProducerId for a known transactional.id keeps the old epoch: the previous producer of the id is not fenced, and its late commit is accepted (a zombie commit).",
  },
];

export function describePlantedBug(id: PlantedBug): PlantedBugDescription {
  const found = plantedBugs.find((bug) => bug.id === id);
  if (found === undefined) throw new Error(`plantedBugs: "${String(id)}" is unknown; known: ${plantedBugs.map((bug) => bug.id).join(", ")}`);
  return found;
}
