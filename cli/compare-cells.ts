/**
 * How one `compare` cell reads: not "allowed 100" but the real count (the verdict's exact counts, not
 * its capped list of anomalies), which anomalies, and which clients they came from, e.g.
 * "allowed 174 by producer-1: nonmonotonic-send 100, key-reorder 74".
 */
import type { History } from "../model/index.js";
import type { Anomaly, ClientDefect, GuaranteeVerdict } from "../model/index.js";
import { finalReaderProcess, nemesisProcess, observerProcess } from "../model/index.js";

/** Processes that are not clients of the workload: their events never make an anomaly a client's. */
const notClients = new Set([nemesisProcess, observerProcess, finalReaderProcess]);

/** The workload clients whose events prove the anomalies (history event indexes), sorted. */
export function clientsOf(anomalies: readonly Anomaly[], history: History | undefined): string[] {
  if (history === undefined) return [];
  const clients = new Set<string>();
  for (const anomaly of anomalies) {
    for (const index of anomaly.events) {
      const process = history.events[index]?.process;
      if (process !== undefined && !notClients.has(process)) clients.add(process);
    }
  }
  return [...clients].sort();
}

/** "nonmonotonic-send 100, key-reorder 74": exact counts per kind of the given anomalies' kinds. */
function kindsLine(guarantee: GuaranteeVerdict, anomalies: readonly Anomaly[]): string {
  const kinds = [...new Set(anomalies.map((anomaly) => anomaly.kind))];
  return kinds.map((kind) => `${kind} ${guarantee.counts[kind] ?? anomalies.filter((anomaly) => anomaly.kind === kind).length}`).join(", ");
}

/** The mark (" (planted)") follows the count, so a wrapped cell never pushes it out of sight. */
function describeGroup(label: string, total: number, mark: string, guarantee: GuaranteeVerdict, anomalies: readonly Anomaly[], history: History | undefined): string {
  const clients = clientsOf(anomalies, history);
  const by = clients.length > 0 ? ` by ${clients.join(", ")}` : "";
  const kinds = kindsLine(guarantee, anomalies);
  return `${label} ${total}${mark}${by}${kinds === "" ? "" : `: ${kinds}`}`;
}

/** The cell of one guarantee on one target; `mark` is appended to a violation (" (planted)"). */
export function guaranteeCell(guarantee: GuaranteeVerdict | undefined, mark: string, history?: History): string {
  if (guarantee === undefined) return "-";
  if (guarantee.status === "not-checked") return "not-checked";
  const allowed = guarantee.anomalies.filter((anomaly) => anomaly.allowed);
  const violating = guarantee.anomalies.filter((anomaly) => !anomaly.allowed);
  const implied = guarantee.implied.filter((entry) => entry.by === "client").reduce((sum, entry) => sum + entry.count, 0);
  const parts: string[] = [];
  if (guarantee.status === "violated") {
    const total = Math.max(guarantee.counts["violations"] ?? 0, violating.length, 1);
    parts.push(describeGroup("VIOLATED", total, mark, guarantee, violating, history));
  }
  if (allowed.length > 0) parts.push(describeGroup("allowed", Math.max(guarantee.counts["allowed"] ?? 0, allowed.length), "", guarantee, allowed, history));
  if (implied > 0) parts.push(`${implied} implied by a client defect`);
  if (parts.length > 0) return parts.join("; ");
  if (guarantee.status === "inconclusive") return "inconclusive";
  return guarantee.status === "not-promised" ? "none seen" : "holds";
}

/** "sequence-reuse 3 (kafkajs 2.2.4)": one target's client defects, by kind, naming the client library. */
export function clientDefectCell(defects: readonly ClientDefect[]): string {
  if (defects.length === 0) return "none";
  const byKind = new Map<string, number>();
  for (const defect of defects) byKind.set(defect.kind, (byKind.get(defect.kind) ?? 0) + 1);
  const clients = [...new Set(defects.map((defect) => defect.client))];
  return `DEFECT ${[...byKind].map(([kind, count]) => `${kind} ${count}`).join(", ")} (${clients.join(", ")})`;
}
