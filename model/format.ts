/**
 * The verdict for a person: one row per judged guarantee (status, counts, what it was checked on or why
 * it could not be), the families not judged yet in one line, then the first anomalies of every
 * guarantee that has any (violations first, each with what it implies elsewhere), client defects
 * apart, the counts, and the outcome. Fits 120 columns.
 */
import type { Anomaly, GuaranteeVerdict, Verdict, VerdictOutcome } from "./verdict.js";
import { catalogueEntry } from "./catalogue.js";
import { formatTable, tableWidth, wrap } from "./table.js";
import { noGroupReason } from "./checker/groups/group-verdict.js";
import { noTransactionReason } from "./checker/transactions/transaction-verdict.js";

const shownPerGuarantee = 5;

const statusWords: Readonly<Record<GuaranteeVerdict["status"], string>> = {
  holds: "holds",
  violated: "VIOLATED",
  inconclusive: "inconclusive",
  "not-promised": "not promised",
  "not-checked": "not checked",
};

export const outcomeSentences: Readonly<Record<VerdictOutcome, string>> = {
  holds: "every promised guarantee was judged on evidence and holds",
  violated: "VIOLATED: a promised guarantee is broken",
  "client-defect": "no violation by Kafka; the client library showed defects (above)",
  inconclusive: "no violation, but INCONCLUSIVE: some promised guarantee had no evidence (above)",
};

function indented(text: string, indent: string): string[] {
  return wrap(text, tableWidth - indent.length).map((line) => `${indent}${line}`);
}

function describeAnomaly(anomaly: Anomaly): string[] {
  const mark = anomaly.allowed ? "allowed" : "VIOLATION";
  const lines = indented(`[${mark}] ${anomaly.kind}: ${anomaly.message} (events ${anomaly.events.join(", ")})`, "    ");
  if (anomaly.explanation !== undefined && anomaly.explanation !== "") lines.push(...indented(`because: ${anomaly.explanation}`, "        "));
  if (anomaly.implies !== undefined && anomaly.implies.length > 0) lines.push(...indented(`also breaks (not counted again): ${anomaly.implies.join(", ")}`, "        "));
  return lines;
}

function impliedText(guarantee: GuaranteeVerdict): string {
  return guarantee.implied.map((implied) => `${implied.count} implied by ${implied.by === "client" ? "a client defect" : implied.by}`).join(", ");
}

/** Ranges of consecutive ids of one letter: T1-T6, C1-C8. */
function idRanges(ids: readonly string[]): string {
  const ranges: string[] = [];
  let start = 0;
  for (let index = 1; index <= ids.length; index++) {
    const previous = ids[index - 1] as string;
    const current = ids[index];
    const continues = current !== undefined && current[0] === previous[0] && Number(current.slice(1)) === Number(previous.slice(1)) + 1;
    if (continues) continue;
    const first = ids[start] as string;
    ranges.push(first === previous ? first : `${first}-${previous}`);
    start = index;
  }
  return ranges.join(", ");
}

/** Reasons that say no client of the history belongs to the family (no consumer group, no transactional producer). */
const absentReasons: readonly string[] = [noGroupReason, noTransactionReason];

/** A guarantee of a family no client of the history belongs to: folded into one line per family. */
function absentFamily(guarantee: GuaranteeVerdict): boolean {
  return guarantee.status === "not-promised" && absentReasons.includes(guarantee.reason) && (guarantee.counts.violations ?? 0) + (guarantee.counts.allowed ?? 0) === 0;
}

export function formatVerdictTable(verdict: Verdict): string {
  const judged = verdict.guarantees.filter((guarantee) => guarantee.status !== "not-checked" && !absentFamily(guarantee));
  const absent = verdict.guarantees.filter(absentFamily);
  const notChecked = verdict.guarantees.filter((guarantee) => guarantee.status === "not-checked");
  const rows = judged.map((guarantee) => {
    const detail =
      guarantee.status === "not-promised"
        ? guarantee.reason
        : guarantee.status === "inconclusive"
          ? `no evidence: ${guarantee.evidence}`
          : `checked on ${guarantee.evidence}`;
    const implied = impliedText(guarantee);
    return [[guarantee.id], [catalogueEntry(guarantee.id).name], [statusWords[guarantee.status]], [String(guarantee.counts.violations ?? 0)], [String(guarantee.counts.allowed ?? 0)], [implied === "" ? detail : `${detail}; ${implied}`]];
  });
  const lines: string[] = [formatTable(["id", "guarantee", "status", "violations", "allowed", "evidence, or why not"], rows)];
  for (const reason of absentReasons) {
    const ids = absent.filter((guarantee) => guarantee.reason === reason).map((guarantee) => guarantee.id);
    if (ids.length > 0) lines.push(`not promised: ${idRanges(ids)} (${reason})`);
  }
  if (notChecked.length > 0) {
    const families = [...new Set(notChecked.map((guarantee) => catalogueEntry(guarantee.id).family))];
    lines.push(`not checked: ${idRanges(notChecked.map((guarantee) => guarantee.id))} (${families.join(", ")}: not judged by the model yet)`);
  }
  for (const guarantee of judged) {
    if (guarantee.anomalies.length === 0) continue;
    const total = (guarantee.counts.violations ?? 0) + (guarantee.counts.allowed ?? 0);
    lines.push("", `${guarantee.id} ${catalogueEntry(guarantee.id).name}: ${total} anomalies`);
    const ordered = [...guarantee.anomalies].sort((left, right) => Number(left.allowed) - Number(right.allowed));
    for (const anomaly of ordered.slice(0, shownPerGuarantee)) lines.push(...describeAnomaly(anomaly));
    if (total > shownPerGuarantee) lines.push(`    ... and ${total - shownPerGuarantee} more`);
  }
  if (verdict.clientDefects.length > 0) {
    const total = verdict.counts.clientDefects ?? verdict.clientDefects.length;
    lines.push("", `client defects (the client library's, not Kafka's): ${total}`);
    for (const defect of verdict.clientDefects.slice(0, shownPerGuarantee)) lines.push(...describeAnomaly(defect));
    if (total > shownPerGuarantee) lines.push(`    ... and ${total - shownPerGuarantee} more`);
  }
  lines.push("");
  lines.push(...wrap(`counts: ${Object.entries(verdict.counts).map(([key, value]) => `${key}=${value}`).join(" ")}`, tableWidth));
  lines.push(`verdict: ${outcomeSentences[verdict.outcome]}`);
  return lines.join("\n");
}
