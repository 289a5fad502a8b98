/**
 * What every end-of-history judge shares: the state machine's state, the root-cause log anomalies go
 * through, the loss counts, the evidence each rule was applied to, and the helpers that date a loss's
 * proof and explain it. The judges (judge-*.ts) run in rank order (root-causes.ts): causes first.
 */
import type { GuaranteeId } from "../verdict.js";
import { explainLeaderFailure, explainUncleanOrPowerLoss, type Explanation, type Window } from "./explain.js";
import type { PartitionState, RuleSet, SendRecord } from "./records.js";
import { RootCauses } from "./root-causes.js";
import type { CheckerState } from "./state.js";
import type { GroupJudging } from "./groups/group-judging.js";
import { TransactionModel } from "./transactions/transaction-model.js";
import type { TransactionJudging } from "./transactions/transaction-judging.js";

export interface LossCounts {
  written: number;
  lost: number;
  unseen: number;
  readThenLost: number;
  duplicated: number;
  phantomReads: number;
  futureReads: number;
  belowLogStart: number;
  /** Sends found below a late record already reported (one root cause, one row). */
  belowSameLateSend: number;
}

/** Per rule set (a producer on a topic): how many of its records each kind of rule was applied to. */
export interface RuleEvidence {
  /** Acknowledged records looked for in the final reads (D2, D3, D4, D7). */
  judged: number;
  /** ... of which a fault or leader change of their partition followed the send (D7, D8 exercised). */
  disturbed: number;
  /** Records read by some poll (D1, D3 duplicates). */
  read: number;
  /** Acknowledged records with an offset that some poll read (D10). */
  ackRead: number;
  /** Failed sends looked for in the final reads (D5: refused means not appended). */
  refusedJudged: number;
  /** Same-key (O3) or same-partition (D3) pairs of one producer compared in send order. */
  orderPairs: number;
}

export class Judging {
  readonly roots: RootCauses;
  readonly counts: LossCounts = { written: 0, lost: 0, unseen: 0, readThenLost: 0, duplicated: 0, phantomReads: 0, futureReads: 0, belowLogStart: 0, belowSameLateSend: 0 };
  readonly evidence: RuleEvidence[];
  /** Records read by non-final polls, with final reads to judge them against (D6). */
  readBeforeFinal = 0;
  /** The consumer-group judges' model and evidence (null without group consumers). */
  groups: GroupJudging | null = null;
  /** Transactions reconstructed from the history (null without a transactional producer): O1 and gap losses consult it too. */
  readonly transactionModel: TransactionModel | null;
  /** The transaction judges' evidence (null without a transactional producer). */
  transactions: TransactionJudging | null = null;
  /** Per partition id: when a fault or leader change last began (-1 none), computed once. */
  private readonly lastDisturbance: number[];
  private readonly offsetCache = new Map<number, number[]>();

  constructor(readonly state: CheckerState) {
    this.roots = new RootCauses(state.anomalies);
    this.transactionModel = TransactionModel.of(state);
    this.evidence = state.ruleSets.map(() => ({ judged: 0, disturbed: 0, read: 0, ackRead: 0, refusedJudged: 0, orderPairs: 0 }));
    this.lastDisturbance = state.partitions.map((partition, partitionId) => state.faults.latestDisturbance(partitionId, partition.replicas));
  }

  /** Every offset of the partition with an observation, ascending (computed once per partition). */
  sortedOffsets(partitionId: number): readonly number[] {
    let offsets = this.offsetCache.get(partitionId);
    if (offsets === undefined) {
      offsets = this.state.partitionOf(partitionId).offsets.sortedOffsets();
      this.offsetCache.set(partitionId, offsets);
    }
    return offsets;
  }

  evidenceOf(rules: RuleSet): RuleEvidence {
    return this.evidence[rules.index] as RuleEvidence;
  }

  /** True when a fault or leader change of the partition began at or after `time`. */
  disturbedAfter(partitionId: number, time: number): boolean {
    return partitionId >= 0 && (this.lastDisturbance[partitionId] ?? -1) >= time;
  }

  /**
   * When the history proved a record at `offset` missing: the first final read that went past it, or
   * the end offsets that did; for a record never located (or above everything read), the end of the
   * final reads. A fault that began later cannot have caused the loss.
   */
  proofTime(partition: PartitionState, offset: number): number {
    const state = this.state;
    let proof = Number.POSITIVE_INFINITY;
    if (offset >= 0) {
      const reached = partition.timeReachedPast(offset);
      if (reached >= 0) proof = reached;
      if (state.endOffsetsTime >= 0 && partition.endOffset > offset) proof = Math.min(proof, state.endOffsetsTime);
    }
    if (proof === Number.POSITIVE_INFINITY && state.lastFinalTime >= 0) proof = state.lastFinalTime;
    return proof;
  }

  /** Unclean elections (where enabled) or a power loss of unflushed replicas: what can lose even an acks=all record. */
  strongExplanation(send: SendRecord, partitionId: number, window: Window): Explanation {
    if (partitionId < 0) return { explained: false, text: "the partition is unknown" };
    return explainUncleanOrPowerLoss(this.state.faults, this.state.partitionOf(partitionId), partitionId, send.rules.effectiveTopic, window);
  }

  /** Explains losing an acknowledged record according to its producer's acks. */
  lossExplanation(send: SendRecord, partitionId: number, window: Window): Explanation {
    if (send.rules.producer.acks === "0") return { explained: true, text: "acks=0: nothing was acknowledged by a broker" };
    if (partitionId < 0) return { explained: false, text: "the partition is unknown" };
    if (send.rules.producer.acks === "1") {
      const leader = explainLeaderFailure(this.state.faults, this.state.partitionOf(partitionId), partitionId, window);
      if (leader.explained) return leader;
    }
    return this.strongExplanation(send, partitionId, window);
  }
}

/**
 * The record's own producer and topic configuration, in Kafka's words: what decides whether one of its
 * anomalies is allowed. Summaries group by it, so no client is described by another's settings.
 */
export function configurationWords(rules: RuleSet): string {
  const producer = rules.producer;
  const topic = rules.effectiveTopic;
  const words = [`acks=${producer.acks}`, producer.idempotence ? "idempotent" : "idempotence off", `retries=${producer.retries}`, `max.in.flight=${producer.maxInFlight}`];
  if (producer.acks === "all") words.push(`min.insync.replicas=${topic.minInsyncReplicas}`);
  if (topic.uncleanElection) words.push("unclean elections on");
  if (topic.replicationFactor < 2) words.push(`replication factor ${topic.replicationFactor}`);
  return words.join(", ");
}

export function promisedBy(rules: RuleSet, id: GuaranteeId): boolean {
  return rules.table.get(id)?.promised === true;
}
