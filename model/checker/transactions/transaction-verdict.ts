/**
 * T1-T4 and T6 in the verdict: promised by the header's transactional producers and readers
 * (promises.ts, transactionPromiseTable: T1-T3 with a read_committed reader, T4 and T6 with a
 * transactional producer), judged on what each rule was applied to. "holds" needs evidence like every
 * other guarantee; a promised rule with nothing to apply to is inconclusive, and says why.
 */
import type { HistoryHeader } from "../../history/event.js";
import type { GuaranteeId } from "../../verdict.js";
import { effectiveConsumer, effectiveProducer } from "../../config/effective.js";
import { transactionPromiseTable } from "../../config/promises.js";
import type { GuaranteeEvidence } from "../evidence.js";
import type { TransactionJudging } from "./transaction-judging.js";

export const transactionGuarantees: ReadonlySet<GuaranteeId> = new Set(["T1", "T2", "T3", "T4", "T6"]);

export const noTransactionReason = "no transactional producer in the history";

export interface TransactionPromise {
  readonly promised: boolean;
  readonly reason: string;
}

export function transactionPromises(header: HistoryHeader): ReadonlyMap<GuaranteeId, TransactionPromise> {
  const producers: { label: string; producer: ReturnType<typeof effectiveProducer> }[] = [];
  const readers: { label: string; consumer: ReturnType<typeof effectiveConsumer> }[] = [];
  for (const [process, client] of Object.entries(header.clients)) {
    if (client.role === "producer") {
      const producer = effectiveProducer(client.config, `clients.${process}.config`);
      if (producer.transactionalId !== null) producers.push({ label: process, producer });
    } else if (client.role === "consumer" || client.role === "reader") {
      readers.push({ label: process, consumer: effectiveConsumer(client.config, `clients.${process}.config`, client.commitMode) });
    }
  }
  const result = new Map<GuaranteeId, TransactionPromise>();
  for (const id of transactionGuarantees) {
    let promisedReason: string | undefined;
    let refusedReason: string | undefined;
    for (const { label, producer } of producers) {
      for (const reader of readers.length === 0 ? [null] : readers) {
        const entry = transactionPromiseTable(producer, reader?.consumer ?? null).get(id);
        if (entry === undefined) continue;
        const who = reader === null ? label : `${label} read by ${reader.label}`;
        if (entry.promised) promisedReason ??= `${who}: ${entry.reason}`;
        else refusedReason ??= `not for ${who}: ${entry.reason}`;
      }
    }
    const reason = [promisedReason, refusedReason].filter((part) => part !== undefined).join("; ");
    result.set(id, { promised: promisedReason !== undefined, reason: producers.length === 0 ? noTransactionReason : reason });
  }
  return result;
}

function described(count: number, what: string, missing: string): GuaranteeEvidence {
  return { count, text: count > 0 ? `${count} ${what}` : missing };
}

export function transactionEvidenceFor(transactions: TransactionJudging | null, id: GuaranteeId): GuaranteeEvidence {
  if (transactions === null) return { count: 0, text: noTransactionReason };
  const evidence = transactions.evidence;
  switch (id) {
    case "T1": {
      const uncovered = evidence.atomicUncovered > 0 ? ` (${evidence.atomicUncovered} records above what the final committed reads reached: not judged)` : "";
      return described(evidence.atomicTransactions, `committed transactions whose acknowledged records were looked for in the final committed reads${uncovered}`, `no committed transaction had an acknowledged record the final committed reads reached${uncovered}`);
    }
    case "T2":
      return described(evidence.abortedChecks, "records of aborted transactions a read_committed poll returned or read past", "no read_committed poll returned or read past a record of an aborted transaction");
    case "T3":
      return described(evidence.committedReads, "read_committed reads of transactional records (compared with their transaction's commit invocation)", "no read_committed poll returned a record of a transaction");
    case "T4": {
      const uncovered = evidence.markerGapsUncovered > 0 ? ` (${evidence.markerGapsUncovered} pairs above what the final read reached: not judged)` : "";
      return described(
        evidence.markersChecked + evidence.markerGaps,
        `markers and gaps (${evidence.markersChecked} observed markers compared with the reads at their offset, ${evidence.markerGaps} gaps between consecutive transactions looked for a free offset in the final read)${uncovered}`,
        `no observed marker was read past, and no two consecutive transactions of one transactional.id wrote to one partition within the final read${uncovered}`,
      );
    }
    case "T6":
      return described(evidence.fencingChecks, "transactions of a transactional.id with several producer sessions (commits and read_committed reads checked against fencing)", "no transactional.id had two producer sessions: nothing was fenced");
    default:
      return { count: 0, text: "not judged by the transaction rules" };
  }
}
