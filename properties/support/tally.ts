/**
 * Per-guarantee totals over many judged runs, for `verify`'s final table: in how many runs the
 * configuration promised the guarantee, how many runs violated it, and the observed allowed behaviour
 * summarised as counts with the most common explanation ("acks=1: 37 acknowledged records lost in 12
 * of 200 runs, each after leader broker-# killed").
 */
import type { AnomalyKind, GuaranteeId, Verdict } from "../../model/verdict.js";

interface KindTally {
  anomalies: number;
  runs: number;
  /** The configuration words of the first run that showed it ("acks=1"). */
  configuration: string;
  readonly explanations: Map<string, number>;
}

export interface GuaranteeTally {
  readonly id: GuaranteeId;
  runs: number;
  /** Runs in which some producer sent (a run without sends promises nothing). */
  active: number;
  promised: number;
  violations: number;
  notChecked: number;
  readonly allowed: Map<AnomalyKind, KindTally>;
}

const kindPhrases: Partial<Record<AnomalyKind, string>> = {
  "lost-write": "acknowledged records lost",
  unseen: "acknowledged records never read",
  duplicate: "records duplicated",
  "inconsistent-offsets": "offsets holding two records",
  "nonmonotonic-send": "sends landing below an earlier send",
  "key-reorder": "same-key records reordered",
  "wrong-partition": "records on an unexpected partition",
  "read-then-lost": "records read, then lost",
  "ack-offset-mismatch": "records read at another offset than acknowledged",
  "poll-skip": "polls skipping offsets",
  "nonmonotonic-poll": "polls going back",
};

/** Numbers, times and broker ids vary between runs; the shape of the explanation does not. */
function explanationShape(text: string): string {
  return text.replace(/t=[0-9.]+m?s/g, "t=…").replace(/\d+/g, "#");
}

/** Bound on distinct explanations kept per kind. */
const maxExplanations = 64;

export class VerdictTally {
  readonly guarantees = new Map<GuaranteeId, GuaranteeTally>();
  runs = 0;

  constructor(private readonly selected?: readonly GuaranteeId[]) {}

  add(verdict: Verdict): void {
    this.runs++;
    for (const guarantee of verdict.guarantees) {
      if (this.selected !== undefined && !this.selected.includes(guarantee.id)) continue;
      let tally = this.guarantees.get(guarantee.id);
      if (tally === undefined) {
        tally = { id: guarantee.id, runs: 0, active: 0, promised: 0, violations: 0, notChecked: 0, allowed: new Map() };
        this.guarantees.set(guarantee.id, tally);
      }
      tally.runs++;
      if ((verdict.counts.sends ?? 0) > 0) tally.active++;
      if (guarantee.status === "not-checked") tally.notChecked++;
      if (guarantee.status === "holds" || guarantee.status === "violated") tally.promised++;
      if (guarantee.status === "violated") tally.violations++;
      const kindsThisRun = new Set<AnomalyKind>();
      for (const anomaly of guarantee.anomalies) {
        if (!anomaly.allowed) continue;
        let kind = tally.allowed.get(anomaly.kind);
        if (kind === undefined) {
          // The reason names the configuration only where the guarantee is not promised; otherwise
          // the anomaly's own explanation says which producer's configuration allowed it.
          kind = { anomalies: 0, runs: 0, configuration: guarantee.status === "not-promised" ? configurationWords(guarantee.reason) : "", explanations: new Map() };
          tally.allowed.set(anomaly.kind, kind);
        }
        kind.anomalies++;
        if (!kindsThisRun.has(anomaly.kind)) kind.runs++;
        kindsThisRun.add(anomaly.kind);
        const shape = explanationShape(anomaly.explanation ?? "no explanation given");
        if (kind.explanations.has(shape) || kind.explanations.size < maxExplanations) kind.explanations.set(shape, (kind.explanations.get(shape) ?? 0) + 1);
      }
    }
  }

  /** "acks=1: 37 acknowledged records lost in 12 of 200 runs, each after …" per anomaly kind. */
  observedAllowed(id: GuaranteeId): string[] {
    const tally = this.guarantees.get(id);
    if (tally === undefined) return [];
    const lines: string[] = [];
    for (const [kind, entry] of tally.allowed) {
      const sorted = [...entry.explanations].sort((a, b) => b[1] - a[1]);
      const top = sorted[0];
      // An explanation that only repeats the configuration words says nothing new.
      const repeats = top !== undefined && entry.configuration !== "" && top[0].startsWith(explanationShape(entry.configuration));
      const explanation = top === undefined || repeats ? "" : sorted.length === 1 ? `, each: ${top[0]}` : `, most often (${top[1]} of ${entry.anomalies}): ${top[0]}`;
      const prefix = entry.configuration === "" ? "" : `${entry.configuration}: `;
      lines.push(`${prefix}${entry.anomalies} ${kindPhrases[kind] ?? kind} in ${entry.runs} of ${this.runs} runs${explanation}`);
    }
    return lines;
  }
}

/**
 * The configuration words of the model's reason: "not for producer-0 on 'events': acks=1: D2 needs ..."
 * gives "acks=1". Kept short for a table cell.
 */
function configurationWords(reason: string): string {
  const withoutSubject = reason.replace(/^(not )?for [^:]*: /, "").replace(/^[A-Za-z0-9_.-]+ on '[^']*': /, "");
  const first = withoutSubject.split(/: |;/)[0] ?? withoutSubject;
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}
