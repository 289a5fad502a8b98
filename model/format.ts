/** The verdict as a terminal table, then the first anomalies of every guarantee that has any. */
import type { Anomaly, Verdict } from "./verdict.js";
import { catalogueEntry } from "./catalogue.js";

const shownPerGuarantee = 5;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function describeAnomaly(anomaly: Anomaly): string {
  const mark = anomaly.allowed ? "allowed" : "VIOLATION";
  const explanation = anomaly.explanation === undefined || anomaly.explanation === "" ? "" : `\n        because: ${anomaly.explanation}`;
  return `    [${mark}] ${anomaly.kind}: ${anomaly.message} (events ${anomaly.events.join(", ")})${explanation}`;
}

export function formatVerdictTable(verdict: Verdict): string {
  const lines: string[] = [];
  lines.push(`${pad("id", 4)} ${pad("guarantee", 26)} ${pad("status", 12)} ${pad("violations", 10)} ${pad("allowed", 8)} reason`);
  for (const guarantee of verdict.guarantees) {
    const name = catalogueEntry(guarantee.id).name;
    const violations = String(guarantee.counts.violations ?? 0);
    const allowed = String(guarantee.counts.allowed ?? 0);
    const reason = guarantee.reason.length > 110 ? `${guarantee.reason.slice(0, 107)}...` : guarantee.reason;
    lines.push(`${pad(guarantee.id, 4)} ${pad(name, 26)} ${pad(guarantee.status, 12)} ${pad(violations, 10)} ${pad(allowed, 8)} ${reason}`);
  }
  for (const guarantee of verdict.guarantees) {
    if (guarantee.anomalies.length === 0) continue;
    const total = (guarantee.counts.violations ?? 0) + (guarantee.counts.allowed ?? 0);
    lines.push("");
    lines.push(`${guarantee.id} ${catalogueEntry(guarantee.id).name}: ${total} anomalies`);
    const ordered = [...guarantee.anomalies].sort((left, right) => Number(left.allowed) - Number(right.allowed));
    for (const anomaly of ordered.slice(0, shownPerGuarantee)) lines.push(describeAnomaly(anomaly));
    if (total > shownPerGuarantee) lines.push(`    ... and ${total - shownPerGuarantee} more`);
  }
  lines.push("");
  const counts = Object.entries(verdict.counts).map(([key, value]) => `${key}=${value}`).join(" ");
  lines.push(`counts: ${counts}`);
  lines.push(verdict.valid ? "verdict: every promised guarantee holds" : "verdict: VIOLATED");
  return lines.join("\n");
}
