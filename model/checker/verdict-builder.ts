/**
 * Turns the anomaly log, the evidence and the configuration into the Verdict contract, per guarantee:
 * `violated` if one of its own anomalies is not allowed; `not-promised` if no configuration in the
 * history promises it; `holds` if promised and its rule was applied to something; `inconclusive` if
 * promised and it was not; `not-checked` for the families still to come. O4 is a non-promise. The group
 * guarantees (C*) are promised by the header's group consumers and judged on the group rules' evidence;
 * the transaction guarantees (T1-T4, T6) by its transactional producers and readers, on the transaction rules'.
 */
import type { GuaranteeId, GuaranteeVerdict, ImpliedCount, Verdict, VerdictOutcome } from "../verdict.js";
import { guaranteeCatalogue } from "../catalogue.js";
import { effectiveProducer, effectiveTopic } from "../config/effective.js";
import { promiseTable, type GuaranteePromise } from "../config/promises.js";
import type { CheckerState } from "./state.js";
import type { Judging } from "./judging.js";
import type { ExtensionPromise } from "./extension.js";
import { evidenceFor } from "./evidence.js";
import { groupEvidenceFor, groupGuarantees, groupPromises } from "./groups/group-verdict.js";
import { transactionEvidenceFor, transactionGuarantees, transactionPromises } from "./transactions/transaction-verdict.js";

/** Guarantees about reads and the log itself: promised by every configuration. */
const everyConfiguration = new Set<GuaranteeId>(["D6", "D9", "O1"]);

const o4Reason = "a non-promise: Kafka orders nothing across partitions, and no rule of this model compares offsets of different partitions";

interface ConfiguredPromise {
  readonly promised: boolean;
  readonly reason: string;
}

/**
 * Whether any producer of the header, on any topic, is promised the guarantee (the configuration
 * promises it whether or not the producer then sent anything), and why or why not in Kafka's terms.
 */
function configuredPromises(state: CheckerState): ReadonlyMap<GuaranteeId, ConfiguredPromise> {
  const header = state.history.header;
  const tables: { label: string; table: ReadonlyMap<GuaranteeId, GuaranteePromise> }[] = [];
  for (const rules of state.ruleSets) tables.push({ label: `${rules.process} on '${rules.topic}'`, table: rules.table });
  const sent = new Set(state.ruleSets.map((rules) => `${rules.process}\u0000${rules.topic}`));
  for (const [process, client] of Object.entries(header.clients)) {
    if (client.role !== "producer") continue;
    const producer = effectiveProducer(client.config, `clients.${process}.config`);
    for (const topic of header.topics) {
      if (sent.has(`${process}\u0000${topic.name}`)) continue;
      tables.push({ label: `${process} on '${topic.name}'`, table: promiseTable(producer, effectiveTopic(topic, header.broker, `topics.${topic.name}`), null) });
    }
  }
  const result = new Map<GuaranteeId, ConfiguredPromise>();
  for (const { id } of guaranteeCatalogue) {
    let promisedReason: string | undefined;
    let refusedReason: string | undefined;
    for (const { label, table } of tables) {
      const entry = table.get(id);
      if (entry === undefined) continue;
      if (entry.promised) promisedReason ??= `${label}: ${entry.reason}`;
      else refusedReason ??= `not for ${label}: ${entry.reason}`;
      if (promisedReason !== undefined && refusedReason !== undefined) break;
    }
    const reason = [promisedReason, refusedReason].filter((part) => part !== undefined).join("; ");
    result.set(id, { promised: promisedReason !== undefined, reason: reason.length > 0 ? reason : "no producer in the history" });
  }
  return result;
}

function impliedOf(judging: Judging, id: GuaranteeId): ImpliedCount[] {
  const byCause = judging.roots.implied.get(id);
  return byCause === undefined ? [] : [...byCause].map(([by, count]) => ({ by, count }));
}

export function buildVerdict(judging: Judging, extended: ReadonlyMap<GuaranteeId, ExtensionPromise> = new Map()): Verdict {
  const state = judging.state;
  const configured = configuredPromises(state);
  const grouped = groupPromises(state.history.header);
  const transactional = transactionPromises(state.history.header);
  const guarantees: GuaranteeVerdict[] = guaranteeCatalogue.map((entry) => {
    const log = state.anomalies.of(entry.id);
    const counts: Record<string, number> = { violations: log.violations, allowed: log.allowed };
    for (const [kind, count] of log.byKind) counts[kind] = count;
    for (const [kind, count] of log.allowedByKind) counts[`allowed:${kind}`] = count;
    const implied = impliedOf(judging, entry.id);
    const extension = extended.get(entry.id);
    if (extension !== undefined) {
      counts.promisedRecords = extension.promisedRecords;
      counts.evidence = extension.evidence.count;
      const status = log.violations > 0 ? "violated" : extension.promisedRecords === 0 ? "not-promised" : extension.evidence.count > 0 ? "holds" : "inconclusive";
      return { id: entry.id, status, reason: extension.reason, anomalies: [...log.kept], counts, evidence: extension.evidence.text, implied };
    }
    if (!entry.checked) {
      return { id: entry.id, status: "not-checked", reason: `${entry.family} guarantees are not judged yet`, anomalies: [], counts: {}, evidence: "", implied: [] };
    }
    if (groupGuarantees.has(entry.id)) {
      const promise = grouped.get(entry.id) ?? { promised: false, reason: "", consumers: 0 };
      const evidence = groupEvidenceFor(judging, entry.id);
      counts.evidence = evidence.count;
      counts.promisedConsumers = promise.consumers;
      const status = log.violations > 0 ? "violated" : !promise.promised ? "not-promised" : evidence.count > 0 ? "holds" : "inconclusive";
      return { id: entry.id, status, reason: promise.reason, anomalies: [...log.kept], counts, evidence: evidence.text, implied };
    }
    if (transactionGuarantees.has(entry.id)) {
      const promise = transactional.get(entry.id) ?? { promised: false, reason: "" };
      const evidence = transactionEvidenceFor(judging.transactions, entry.id);
      counts.evidence = evidence.count;
      counts.promisedRecords = promise.promised ? state.ruleSets.filter((rules) => rules.producer.transactionalId !== null).reduce((total, rules) => total + rules.sends, 0) : 0;
      const status = log.violations > 0 ? "violated" : !promise.promised ? "not-promised" : evidence.count > 0 ? "holds" : "inconclusive";
      return { id: entry.id, status, reason: promise.reason, anomalies: [...log.kept], counts, evidence: evidence.text, implied };
    }
    if (entry.id === "O4") return { id: entry.id, status: "not-promised", reason: o4Reason, anomalies: [], counts, evidence: "nothing to check: no order across partitions is promised", implied: [] };
    const universal = everyConfiguration.has(entry.id);
    const promise = configured.get(entry.id) ?? { promised: false, reason: "" };
    const promised = universal || promise.promised;
    const evidence = evidenceFor(judging, entry.id);
    counts.evidence = evidence.count;
    counts.promisedRecords = state.ruleSets.filter((rules) => universal || rules.table.get(entry.id)?.promised === true).reduce((total, rules) => total + rules.sends, 0);
    const status = log.violations > 0 ? "violated" : !promised ? "not-promised" : evidence.count > 0 ? "holds" : "inconclusive";
    const reason = universal ? (state.ruleSets[0]?.table.get(entry.id)?.reason ?? "promised by every configuration") : promise.reason;
    return { id: entry.id, status, reason, anomalies: [...log.kept], counts, evidence: evidence.text, implied };
  });
  const losses = judging.counts;
  const counts: Record<string, number> = {
    ...state.counts,
    unfinished: state.counts.sends - state.counts.acknowledged - state.counts.failed - state.counts.indefinite,
    ...losses,
    faults: state.faults.faults,
    elections: state.faults.elections,
    clientDefects: judging.roots.clientDefectCount,
  };
  const dropped = state.consumers.dropped + state.candidatesDropped;
  if (dropped > 0) counts.candidatesDropped = dropped;
  const valid = guarantees.every((guarantee) => guarantee.status !== "violated");
  const outcome: VerdictOutcome = !valid
    ? "violated"
    : judging.roots.clientDefectCount > 0
      ? "client-defect"
      : guarantees.some((guarantee) => guarantee.status === "inconclusive")
        ? "inconclusive"
        : "holds";
  return { guarantees, counts, clientDefects: [...judging.roots.clientDefects], outcome, valid };
}
