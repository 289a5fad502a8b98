/**
 * Anomalies per guarantee: exact counts (by kind, violations, allowed) and the first few anomalies
 * kept in full, so a history with a million anomalies still yields a bounded verdict.
 */
import type { Anomaly, GuaranteeId } from "../verdict.js";

export const anomaliesKeptPerGuarantee = 100;

export class GuaranteeAnomalies {
  readonly kept: Anomaly[] = [];
  keptAllowed = 0;
  violations = 0;
  allowed = 0;
  readonly byKind = new Map<string, number>();
  /** Exact counts of allowed anomalies per kind (what kept holds may be capped). */
  readonly allowedByKind = new Map<string, number>();
}

export class AnomalyLog {
  private readonly perGuarantee = new Map<GuaranteeId, GuaranteeAnomalies>();

  add(anomaly: Anomaly): void {
    const entry = this.of(anomaly.guarantee);
    if (anomaly.allowed) {
      entry.allowed++;
      entry.allowedByKind.set(anomaly.kind, (entry.allowedByKind.get(anomaly.kind) ?? 0) + 1);
    } else entry.violations++;
    entry.byKind.set(anomaly.kind, (entry.byKind.get(anomaly.kind) ?? 0) + 1);
    // Keep violations first: when the cap is reached, an allowed anomaly yields its place.
    if (entry.kept.length < anomaliesKeptPerGuarantee) {
      entry.kept.push(anomaly);
      if (anomaly.allowed) entry.keptAllowed++;
    } else if (!anomaly.allowed && entry.keptAllowed > 0) {
      const replaceable = entry.kept.findIndex((kept) => kept.allowed);
      entry.kept[replaceable] = anomaly;
      entry.keptAllowed--;
    }
  }

  of(id: GuaranteeId): GuaranteeAnomalies {
    let entry = this.perGuarantee.get(id);
    if (entry === undefined) {
      entry = new GuaranteeAnomalies();
      this.perGuarantee.set(id, entry);
    }
    return entry;
  }
}
