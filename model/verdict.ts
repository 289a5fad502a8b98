/**
 * The verdict contract (docs/architecture.md): per guarantee id, holds / violated / inconclusive /
 * not-promised / not-checked, with anomalies and counts. Violations of a guarantee the configuration
 * does not promise are still reported, marked `allowed`: that is observed allowed behaviour, how real
 * and modelled Kafka compare.
 *
 * A verdict says only what was checked: "holds" needs evidence (records the rule was actually applied
 * to); a promised guarantee without evidence is "inconclusive". One root cause is one anomaly: it is
 * counted under the guarantee whose rule it breaks, and what it implies elsewhere is listed there as
 * `implied` (not counted again). A client's defect is the client's: it is reported in `clientDefects`,
 * and the anomalies it causes are implied by it, not charged to Kafka.
 */
export type GuaranteeId =
  | "D1"
  | "D2"
  | "D3"
  | "D4"
  | "D5"
  | "D6"
  | "D7"
  | "D8"
  | "D9"
  | "D10"
  | "O1"
  | "O2"
  | "O3"
  | "O4"
  | "T1"
  | "T2"
  | "T3"
  | "T4"
  | "T5"
  | "T6"
  | "C1"
  | "C2"
  | "C3"
  | "C4"
  | "C5"
  | "C6"
  | "C7"
  | "C8"
  | "L1"
  | "L2"
  | "L3";

/** Jepsen's names where Jepsen has one. */
export type AnomalyKind =
  | "lost-write"
  | "unseen"
  | "duplicate"
  | "inconsistent-offsets"
  | "nonmonotonic-send"
  | "key-reorder"
  | "wrong-partition"
  | "read-then-lost"
  | "ack-offset-mismatch"
  | "phantom-read"
  /** T2 (Jepsen's G1a): a poll returned a record of an aborted transaction (allowed under read_uncommitted). */
  | "aborted-read"
  /** T3: a poll returned a record before its transaction's commit was invoked, or of one that never invoked it (allowed under read_uncommitted). */
  | "precommitted-read"
  /** T1: a committed transaction some of whose records the final committed reads hold and others, read past, not. */
  | "torn-transaction"
  /** Client defect (T1): a transaction committed ok after one of its own sends completed fail or info. */
  | "commit-after-failed-send"
  /** T6: a producer session fenced by a later txn-init of its transactional id committed. */
  | "zombie-commit"
  /** T6: a read_committed poll returned a record of a fenced session's transaction. */
  | "zombie-write"
  /** T4: a data record read at an offset where a transaction marker was appended. */
  | "record-at-marker"
  /** T4: no offset left between two consecutive transactions' records of one partition for the first one's marker. */
  | "missing-marker-offset"
  | "poll-skip"
  | "nonmonotonic-poll"
  | "refused-write-appended"
  /** acks=all acknowledged while fewer than min.insync.replicas replicas were alive throughout (D5). */
  | "acknowledged-below-min-isr"
  /** A read completed before the send of its value was invoked (D9: a value from the future). */
  | "future-read"
  /** A record read in another topic than it was sent to, or with another key (D9: record identity). */
  | "wrong-topic"
  | "wrong-key"
  /** An acknowledged record lost below records that survived it in the same leader's log (D4, D7: not a truncated suffix). */
  | "lost-below-survivor"
  /** Client defect: two sends of one producer session acknowledged at one offset after a failed request (sequence reused). */
  | "sequence-reuse"
  /** C7: one group's commit set another group's committed offset (a member resumed there, or the coordinator stored it so). */
  | "cross-group-interference"
  /** C3: a commit of an ended generation (a zombie's) acknowledged or stored. */
  | "stale-commit-accepted"
  /** C3: a member committed an offset at or below a record it had already processed (the committed offset is the next to read). */
  | "commit-not-next-offset"
  /** C6: an offset only a refused (`fail`) commit asked for was stored or resumed from. */
  | "failed-commit-applied"
  /** C1: two owners of one partition in one generation of a group. */
  | "split-ownership"
  /** C2: a generation with members leaves a subscribed partition without an owner. */
  | "unowned-partition"
  /** C8: an assignment the group's assignor would not give (the assignor contract). */
  | "assignor-contract"
  /** C3: a new owner's first read is not at the committed offset. */
  | "wrong-resume-offset"
  /** C3: without a committed offset, the first read does not follow auto.offset.reset. */
  | "reset-violation"
  /** C6: the group's committed offset of a partition moved backwards. */
  | "offset-regression"
  /** C4 (at-least-once), C5 (auto commit): a record of the final reads no member of the group processed. */
  | "skipped-record"
  /** C4 (at-most-once), C5 (auto commit): a record the group processed twice. */
  | "duplicate-processing";

/**
 * holds: promised, judged on evidence, no violation. violated: a promised rule was broken here.
 * inconclusive: promised, but the history holds nothing the rule could be applied to (no final reads,
 * no records under a promising configuration, no events). not-promised: no configuration in the history
 * promises it (anomalies are observed allowed behaviour). not-checked: the model does not judge it yet.
 */
export type GuaranteeStatus = "holds" | "violated" | "inconclusive" | "not-promised" | "not-checked";

/** The verdict as a whole, in order of precedence: violated > client-defect > inconclusive > holds. */
export type VerdictOutcome = "holds" | "violated" | "client-defect" | "inconclusive";

/** Who an anomaly is charged to: a root cause reported elsewhere (a guarantee id) or a client defect. */
export type ImpliedBy = GuaranteeId | "client";

export interface ImpliedCount {
  readonly by: ImpliedBy;
  /** Anomalies of this guarantee that follow from that root cause (not counted as violations here). */
  readonly count: number;
}

export interface AnomalyRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly key?: string | null;
  readonly value?: string;
}

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly guarantee: GuaranteeId;
  /** One sentence a person can read: what happened, to which record, at which offset. */
  readonly message: string;
  readonly records: readonly AnomalyRecord[];
  /** Indexes of the history events that prove it. */
  readonly events: readonly number[];
  /** True when the configuration under which it happened does not promise the guarantee. */
  readonly allowed: boolean;
  /** The fault or election that explains an allowed loss ("leader broker-2 killed at t=1.2 s"). */
  readonly explanation?: string;
  /**
   * The configuration of the record's own producer (and topic) that decides whether it is allowed,
   * in Kafka's words ("acks=1", "acks=all, idempotence off, max.in.flight=5"): summaries group by it,
   * so one client's configuration is never attributed to another client's anomaly.
   */
  readonly configuration?: string;
  /** Other guarantees this root cause also breaks: listed there as implied, not counted again. */
  readonly implies?: readonly GuaranteeId[];
}

/** A defect of the client library, proven by the history (e.g. kafkajs reusing a sequence number). */
export interface ClientDefect extends Anomaly {
  /** The client library and version from the history header ("kafkajs 2.2.4"), or "unknown client". */
  readonly client: string;
}

export interface GuaranteeVerdict {
  readonly id: GuaranteeId;
  readonly status: GuaranteeStatus;
  /** Why it is or is not promised here, in configuration terms ("acks=1 promises D4, not D2"). */
  readonly reason: string;
  /** Anomalies that count against the guarantee (allowed ones included, marked). Capped; see counts. */
  readonly anomalies: readonly Anomaly[];
  /** promisedRecords, evidence, violations, allowed, and exact counts per anomaly kind. */
  readonly counts: Readonly<Record<string, number>>;
  /** What the rule was applied to ("412 acknowledged records checked against the final reads"); why not, when inconclusive. */
  readonly evidence: string;
  /** Anomalies of this guarantee caused by a root cause reported elsewhere. */
  readonly implied: readonly ImpliedCount[];
}

export interface Verdict {
  readonly guarantees: readonly GuaranteeVerdict[];
  /** Totals over the history: sends, acknowledged, failed, indefinite, reads, lost, duplicated, ... */
  readonly counts: Readonly<Record<string, number>>;
  /** Defects of the client library, apart from broker and protocol violations. */
  readonly clientDefects: readonly ClientDefect[];
  readonly outcome: VerdictOutcome;
  /** True when no promised guarantee is violated (client defects and inconclusive guarantees aside). */
  readonly valid: boolean;
}
