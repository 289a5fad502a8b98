/**
 * The verdict contract (docs/architecture.md): per guarantee id, holds / violated / not-promised,
 * with anomalies and counts. Violations of a guarantee the configuration does not promise are still
 * reported, marked `allowed`: that is observed allowed behaviour, how real and modelled Kafka compare.
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
  | "aborted-read"
  | "poll-skip"
  | "nonmonotonic-poll"
  | "refused-write-appended"
  /** acks=all acknowledged while fewer than min.insync.replicas replicas were alive throughout (D5). */
  | "acknowledged-below-min-isr";

export type GuaranteeStatus = "holds" | "violated" | "not-promised" | "not-checked";

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
  /** The fault or election that explains an allowed loss ("leader broker-2 killed at t=1.2s"). */
  readonly explanation?: string;
}

export interface GuaranteeVerdict {
  readonly id: GuaranteeId;
  readonly status: GuaranteeStatus;
  /** Why it is or is not promised here, in configuration terms ("acks=1 promises D4, not D2"). */
  readonly reason: string;
  /** Anomalies that count against the guarantee (allowed ones included, marked). Capped; see counts. */
  readonly anomalies: readonly Anomaly[];
  readonly counts: Readonly<Record<string, number>>;
}

export interface Verdict {
  readonly guarantees: readonly GuaranteeVerdict[];
  /** Totals over the history: sends, acknowledged, failed, indefinite, reads, lost, duplicated, ... */
  readonly counts: Readonly<Record<string, number>>;
  /** True when every promised guarantee holds. */
  readonly valid: boolean;
}
