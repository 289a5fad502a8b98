/**
 * Per-guarantee totals over many judged runs, for `verify`'s final table: in how many runs the
 * configuration promised the guarantee, in how many the rule was actually exercised (a run without
 * evidence is inconclusive, not a pass), how many runs violated it, what other root causes implied
 * for it, and the observed allowed behaviour as facts: grouped by the anomaly's kind and its own
 * producer's configuration, with exact counts and one real explanation ("acks=1: 37 acknowledged
 * records lost in 12 of 200 runs; most often (30 of 37) after a fault like: kill of broker-2 at
 * t=1.2 s").
 */
import type { AnomalyKind, GuaranteeId, ImpliedBy, Verdict, VerdictOutcome } from "../model/index.js";

interface AllowedGroup {
  readonly kind: AnomalyKind;
  readonly configuration: string;
  /** Anomalies counted from the verdicts' kept lists (exact unless `capped`). */
  anomalies: number;
  runs: number;
  /** A verdict kept fewer anomalies of this kind than it counted: the count is a lower bound. */
  capped: boolean;
  /** Explanations by shape (numbers and times folded), each with its first real text. */
  readonly explanations: Map<string, { count: number; example: string; varied: boolean }>;
}

export interface GuaranteeTally {
  readonly id: GuaranteeId;
  runs: number;
  /** Runs in which some producer sent (a run without sends exercises little). */
  active: number;
  /** Runs whose configuration promised it (holds, violated or inconclusive). */
  promised: number;
  /** Runs in which the rule was applied to evidence (holds or violated). */
  exercised: number;
  violations: number;
  inconclusive: number;
  notChecked: number;
  /** Anomalies implied by a root cause reported under another guarantee (or a client defect). */
  readonly implied: Map<ImpliedBy, { runs: number; anomalies: number }>;
  readonly allowed: Map<string, AllowedGroup>;
  /** Why it was inconclusive, most recent run's words (for the table). */
  lastMissing: string;
}

const kindPhrases: Partial<Record<AnomalyKind, string>> = {
  "lost-write": "acknowledged records lost",
  unseen: "acknowledged records never read",
  "lost-below-survivor": "acknowledged records lost below survivors",
  duplicate: "records duplicated",
  "inconsistent-offsets": "offsets holding two records",
  "nonmonotonic-send": "sends landing below an earlier send",
  "key-reorder": "same-key records reordered",
  "wrong-partition": "records on an unexpected partition",
  "read-then-lost": "records read, then lost",
  "ack-offset-mismatch": "records read at another offset than acknowledged",
  "poll-skip": "polls skipping offsets",
  "nonmonotonic-poll": "polls going back",
  "acknowledged-below-min-isr": "records acknowledged below min.insync.replicas",
};

/** Numbers, times and broker ids vary between runs; the shape of the explanation does not. */
function explanationShape(text: string): string {
  return text.replace(/t=[0-9.e-]+ s/g, "t=…").replace(/\d+/g, "#");
}

/** Bounds on what is kept: distinct explanations per group, groups per guarantee. */
const maxExplanations = 64;
const maxGroups = 64;

export interface ClientDefectTally {
  readonly client: string;
  readonly kind: AnomalyKind;
  runs: number;
  defects: number;
  example: string;
}

export class VerdictTally {
  readonly guarantees = new Map<GuaranteeId, GuaranteeTally>();
  readonly clientDefects = new Map<string, ClientDefectTally>();
  runs = 0;
  /** Runs with a violation of a selected guarantee. */
  violatingRuns = 0;

  constructor(private readonly selected?: readonly GuaranteeId[]) {}

  add(verdict: Verdict): void {
    this.runs++;
    let violated = false;
    for (const guarantee of verdict.guarantees) {
      if (this.selected !== undefined && !this.selected.includes(guarantee.id)) continue;
      const tally = this.tallyOf(guarantee.id);
      tally.runs++;
      if ((verdict.counts.sends ?? 0) > 0) tally.active++;
      const status = guarantee.status;
      if (status === "not-checked") tally.notChecked++;
      if (status === "holds" || status === "violated" || status === "inconclusive") tally.promised++;
      if (status === "holds" || status === "violated") tally.exercised++;
      if (status === "inconclusive") {
        tally.inconclusive++;
        tally.lastMissing = guarantee.evidence;
      }
      if (status === "violated") {
        tally.violations++;
        violated = true;
      }
      for (const implied of guarantee.implied) {
        const entry = tally.implied.get(implied.by) ?? { runs: 0, anomalies: 0 };
        entry.runs++;
        entry.anomalies += implied.count;
        tally.implied.set(implied.by, entry);
      }
      this.addAllowed(tally, guarantee.anomalies, guarantee.counts);
    }
    if (violated) this.violatingRuns++;
    const seen = new Set<string>();
    for (const defect of verdict.clientDefects) {
      // A defect counts when it breaks, or implies a break of, a selected guarantee.
      const selected = this.selected;
      if (selected !== undefined && !selected.includes(defect.guarantee) && !(defect.implies ?? []).some((id) => selected.includes(id))) continue;
      const key = `${defect.client}\u0000${defect.kind}`;
      const entry = this.clientDefects.get(key) ?? { client: defect.client, kind: defect.kind, runs: 0, defects: 0, example: defect.message };
      entry.defects++;
      if (!seen.has(key)) entry.runs++;
      seen.add(key);
      this.clientDefects.set(key, entry);
    }
  }

  private tallyOf(id: GuaranteeId): GuaranteeTally {
    let tally = this.guarantees.get(id);
    if (tally === undefined) {
      tally = { id, runs: 0, active: 0, promised: 0, exercised: 0, violations: 0, inconclusive: 0, notChecked: 0, implied: new Map(), allowed: new Map(), lastMissing: "" };
      this.guarantees.set(id, tally);
    }
    return tally;
  }

  private addAllowed(tally: GuaranteeTally, anomalies: Verdict["guarantees"][number]["anomalies"], counts: Readonly<Record<string, number>>): void {
    const groupsThisRun = new Set<string>();
    const keptByKind = new Map<AnomalyKind, number>();
    for (const anomaly of anomalies) {
      if (!anomaly.allowed) continue;
      keptByKind.set(anomaly.kind, (keptByKind.get(anomaly.kind) ?? 0) + 1);
      const configuration = anomaly.configuration ?? "";
      const key = `${anomaly.kind}\u0000${configuration}`;
      let group = tally.allowed.get(key);
      if (group === undefined) {
        if (tally.allowed.size >= maxGroups) continue;
        group = { kind: anomaly.kind, configuration, anomalies: 0, runs: 0, capped: false, explanations: new Map() };
        tally.allowed.set(key, group);
      }
      group.anomalies++;
      if (!groupsThisRun.has(key)) group.runs++;
      groupsThisRun.add(key);
      const text = anomaly.explanation ?? "no explanation given";
      const shape = explanationShape(text);
      const explanation = group.explanations.get(shape);
      if (explanation !== undefined) {
        explanation.count++;
        if (text !== explanation.example) explanation.varied = true;
      } else if (group.explanations.size < maxExplanations) group.explanations.set(shape, { count: 1, example: text, varied: false });
    }
    // The verdict keeps a bounded number of anomalies; its counts are exact. Say so where they differ.
    for (const [kind, kept] of keptByKind) {
      if ((counts[`allowed:${kind}`] ?? kept) <= kept) continue;
      for (const group of tally.allowed.values()) if (group.kind === kind) group.capped = true;
    }
  }

  /**
   * The outcome over every run, per selected guarantee: violated if any run violated one; a client
   * defect if any run showed one (and nothing was violated); inconclusive if some promised guarantee
   * was exercised in no run at all; otherwise every promised guarantee held on evidence.
   */
  outcome(): VerdictOutcome {
    if (this.runs === 0) return "inconclusive";
    const tallies = [...this.guarantees.values()];
    if (tallies.some((tally) => tally.violations > 0)) return "violated";
    if (this.clientDefects.size > 0) return "client-defect";
    if (tallies.some((tally) => tally.promised > 0 && tally.exercised === 0)) return "inconclusive";
    return "holds";
  }

  /** Promised guarantees that no run exercised. */
  unexercised(): GuaranteeId[] {
    return [...this.guarantees.values()].filter((tally) => tally.promised > 0 && tally.exercised === 0).map((tally) => tally.id);
  }

  /** Per anomaly kind and producer configuration: "acks=1: 37 acknowledged records lost in 12 of 200 runs; ...". */
  observedAllowed(id: GuaranteeId): string[] {
    const tally = this.guarantees.get(id);
    if (tally === undefined) return [];
    const lines: string[] = [];
    for (const group of tally.allowed.values()) {
      const sorted = [...group.explanations.values()].sort((a, b) => b.count - a.count);
      const top = sorted[0];
      const count = group.capped ? `at least ${group.anomalies}` : String(group.anomalies);
      const prefix = group.configuration === "" ? "" : `${group.configuration}: `;
      let explanation = "";
      // Facts, not templates: the explanation shown is a real one, and "each" only when every one said it.
      if (top !== undefined) {
        if (sorted.length > 1 || group.capped) explanation = `; most often (${top.count} of ${group.anomalies}${group.capped ? " kept" : ""}), e.g. ${top.example}`;
        else explanation = top.varied ? `; each after a like cause, e.g. ${top.example}` : `; each: ${top.example}`;
      }
      lines.push(`${prefix}${count} ${kindPhrases[group.kind] ?? group.kind} in ${group.runs} of ${this.runs} runs${explanation}`);
    }
    return lines;
  }

  /** "implied by D2 in 3 runs (5 anomalies, not counted here)" per root cause. */
  impliedNotes(id: GuaranteeId): string[] {
    const tally = this.guarantees.get(id);
    if (tally === undefined) return [];
    return [...tally.implied].map(([by, entry]) => `implied by ${by === "client" ? "a client defect" : by} in ${entry.runs} of ${this.runs} runs (${entry.anomalies} anomalies, counted there)`);
  }

  /** One line per client defect: "kafkajs 2.2.4: sequence-reuse in 3 of 10 runs (4 defects), e.g. ...". */
  clientDefectLines(): string[] {
    return [...this.clientDefects.values()].map((entry) => `${entry.client}: ${entry.kind} in ${entry.runs} of ${this.runs} runs (${entry.defects} defects), e.g. ${entry.example}`);
  }
}
