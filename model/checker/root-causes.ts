/**
 * One root cause, one row. Every anomaly names the records it is about (its subjects: payloads). The
 * judges emit in order of rank, causes before consequences (a client's sequence reuse, then a record's
 * identity, its loss, its duplicate, the offsets it displaced, ...), so when an anomaly arrives whose
 * subject already has a root of a lower rank, it is a consequence: it is counted as `implied` under its
 * own guarantee, the root lists that guarantee in `implies`, and nothing is reported twice.
 *
 * A violation is never hidden under an allowed root: an acks=1 loss is allowed, but a record read
 * before it was lost (D6) is still a violation, so it stands on its own.
 */
import type { Anomaly, AnomalyKind, ClientDefect, GuaranteeId, ImpliedBy } from "../verdict.js";
import type { AnomalyLog } from "./anomaly-log.js";

/** Lower ranks are causes of higher ones. */
const rankOfKind: Readonly<Record<AnomalyKind, number>> = {
  "sequence-reuse": 0,
  "future-read": 1,
  "phantom-read": 1,
  "wrong-topic": 1,
  "wrong-key": 1,
  "refused-write-appended": 2,
  // A record read and then lost points at the high watermark (reads stay below it): the more specific
  // cause, so it comes before the loss of the same record.
  "read-then-lost": 3,
  "lost-write": 4,
  unseen: 4,
  "lost-below-survivor": 4,
  duplicate: 5,
  "ack-offset-mismatch": 6,
  "inconsistent-offsets": 7,
  "acknowledged-below-min-isr": 8,
  "wrong-partition": 9,
  "nonmonotonic-send": 10,
  "key-reorder": 10,
  "poll-skip": 11,
  "nonmonotonic-poll": 11,
  // Consumer groups (checker/groups/): the coordinator's and committers' defects first, since what a
  // group then reads, stores and processes follows from them; processing last.
  "cross-group-interference": 12,
  "stale-commit-accepted": 13,
  "commit-not-next-offset": 13,
  "failed-commit-applied": 13,
  "split-ownership": 14,
  "unowned-partition": 15,
  // After C1 and C2: an assignment handing a partition out twice, or to nobody, is their root cause.
  "assignor-contract": 16,
  "wrong-resume-offset": 16,
  "reset-violation": 16,
  "offset-regression": 17,
  "skipped-record": 18,
  "duplicate-processing": 18,
  // Transactions (checker/transactions/), judged last: the client's commit after a failed send and a
  // fenced session's commit first (what read_committed readers then see follows from them), then what
  // polls returned, committed transactions against the final committed reads, markers' offsets.
  "commit-after-failed-send": 19,
  "zombie-commit": 19,
  "zombie-write": 20,
  "aborted-read": 21,
  // A record of an aborted transaction read early is an aborted read first.
  "precommitted-read": 22,
  "torn-transaction": 23,
  "record-at-marker": 24,
  "missing-marker-offset": 24,
};

/** Anomaly kinds the transaction rules share with the core, ranked with the transaction rules there. */
const transactionRankOfKind: Partial<Record<AnomalyKind, number>> = { "lost-write": 23 };

/**
 * The rank of an anomaly of `kind` under `guarantee`: a committed transaction's `lost-write` (T1)
 * ranks with the transaction rules, after the core's losses it may follow from.
 */
export function rankOf(kind: AnomalyKind, guarantee?: GuaranteeId | "client"): number {
  if (guarantee !== undefined && guarantee.startsWith("T")) return transactionRankOfKind[kind] ?? rankOfKind[kind];
  return rankOfKind[kind];
}

function rankOfAnomaly(anomaly: Anomaly): number {
  return rankOf(anomaly.kind, anomaly.guarantee);
}

/** Client defects kept in full (counts stay exact). */
const clientDefectsKept = 100;

interface Root {
  readonly anomaly: Anomaly;
  readonly by: ImpliedBy;
  readonly implies: GuaranteeId[];
}

export class RootCauses {
  private readonly rootBySubject = new Map<string, Root>();
  private lastRank = -1;
  /** Per guarantee: anomalies implied by a root cause elsewhere, by that cause. */
  readonly implied = new Map<GuaranteeId, Map<ImpliedBy, number>>();
  readonly clientDefects: ClientDefect[] = [];
  clientDefectCount = 0;

  constructor(private readonly log: AnomalyLog) {}

  /**
   * Reports an anomaly about `subjects` unless a root cause of one of them already explains it.
   * `alsoImplies`: guarantees this anomaly breaks too without an anomaly of their own (a loss across a
   * leader change implies D8): counted there as implied by whichever root is charged.
   */
  emit(anomaly: Anomaly, subjects: readonly string[], alsoImplies: readonly GuaranteeId[] = []): void {
    const rank = rankOfAnomaly(anomaly);
    // The invariant the whole scheme rests on: causes are emitted before their consequences.
    if (rank < this.lastRank) throw new Error(`anomaly ${anomaly.kind} (rank ${rank}) emitted after rank ${this.lastRank}`);
    this.lastRank = rank;
    const root = this.rootOf(subjects, rank, anomaly.allowed);
    if (root !== null) {
      for (const guarantee of [anomaly.guarantee, ...alsoImplies]) this.imply(root, guarantee);
      return;
    }
    const implies: GuaranteeId[] = [];
    const reported: Anomaly = { ...anomaly, implies };
    this.log.add(reported);
    const registered: Root = { anomaly: reported, by: anomaly.guarantee, implies };
    this.register(subjects, registered);
    for (const guarantee of alsoImplies) this.imply(registered, guarantee);
  }

  private imply(root: Root, guarantee: GuaranteeId): void {
    if (root.by === guarantee) return;
    if (!root.implies.includes(guarantee)) root.implies.push(guarantee);
    let byCause = this.implied.get(guarantee);
    if (byCause === undefined) {
      byCause = new Map();
      this.implied.set(guarantee, byCause);
    }
    byCause.set(root.by, (byCause.get(root.by) ?? 0) + 1);
  }

  /** A client library's defect: reported apart from Kafka's violations, and the root of what follows. */
  emitClientDefect(defect: ClientDefect, subjects: readonly string[]): void {
    if (this.lastRank > rankOfAnomaly(defect)) throw new Error("client defects are judged first");
    this.clientDefectCount++;
    const implies: GuaranteeId[] = [];
    const reported: ClientDefect = { ...defect, implies };
    if (this.clientDefects.length < clientDefectsKept) this.clientDefects.push(reported);
    this.register(subjects, { anomaly: reported, by: "client", implies });
  }

  private rootOf(subjects: readonly string[], rank: number, allowed: boolean): Root | null {
    let best: Root | null = null;
    for (const subject of subjects) {
      const root = this.rootBySubject.get(subject);
      if (root === undefined || rankOfAnomaly(root.anomaly) >= rank) continue;
      if (root.anomaly.allowed && !allowed) continue;
      if (best === null || rankOfAnomaly(root.anomaly) < rankOfAnomaly(best.anomaly)) best = root;
    }
    return best;
  }

  private register(subjects: readonly string[], root: Root): void {
    for (const subject of subjects) if (!this.rootBySubject.has(subject)) this.rootBySubject.set(subject, root);
  }
}
