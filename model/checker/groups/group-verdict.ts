/**
 * C1-C8 in the verdict: which group consumers of the header are promised each guarantee (by their
 * group and commit mode), and what each rule was applied to. "holds" needs evidence like every other
 * guarantee: generations compared, hand-overs checked, records checked for processing, stored offsets
 * compared; a promised rule with nothing to apply to is inconclusive, and says why.
 */
import type { HistoryHeader } from "../../history/event.js";
import type { GuaranteeId } from "../../verdict.js";
import { effectiveConsumer } from "../../config/effective.js";
import { groupPromiseTable } from "../../config/promises.js";
import type { GuaranteeEvidence } from "../evidence.js";
import type { Judging } from "../judging.js";

export const groupGuarantees: ReadonlySet<GuaranteeId> = new Set(["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"]);

export interface GroupPromise {
  readonly promised: boolean;
  readonly reason: string;
  /** Group consumers promised it. */
  readonly consumers: number;
}

export const noGroupReason = "no consumer group in the history";

export function groupPromises(header: HistoryHeader): ReadonlyMap<GuaranteeId, GroupPromise> {
  const tables: { label: string; table: ReturnType<typeof groupPromiseTable> }[] = [];
  for (const [process, client] of Object.entries(header.clients)) {
    if (client.role !== "consumer") continue;
    const consumer = effectiveConsumer(client.config, `clients.${process}.config`, client.commitMode);
    if (consumer.groupId === null) continue;
    tables.push({ label: process, table: groupPromiseTable(consumer) });
  }
  const result = new Map<GuaranteeId, GroupPromise>();
  for (const id of groupGuarantees) {
    let promisedReason: string | undefined;
    let refusedReason: string | undefined;
    let consumers = 0;
    for (const { label, table } of tables) {
      const entry = table.get(id);
      if (entry === undefined) continue;
      if (entry.promised) {
        consumers++;
        promisedReason ??= `${label}: ${entry.reason}`;
      } else refusedReason ??= `not for ${label}: ${entry.reason}`;
    }
    const reason = [promisedReason, refusedReason].filter((part) => part !== undefined).join("; ");
    result.set(id, { promised: consumers > 0, reason: tables.length === 0 ? noGroupReason : reason, consumers });
  }
  return result;
}

function described(count: number, what: string, missing: string): GuaranteeEvidence {
  return { count, text: count > 0 ? `${count} ${what}` : missing };
}

export function groupEvidenceFor(judging: Judging, id: GuaranteeId): GuaranteeEvidence {
  const groups = judging.groups;
  if (groups === null) return { count: 0, text: noGroupReason };
  const evidence = groups.evidence;
  const final = judging.state.hasFinalReads;
  switch (id) {
    case "C1":
      return described(evidence.claimedPairs, `(generation, partition) ownerships compared (${evidence.claims} claims of members and the coordinator)`, "no member was assigned a partition");
    case "C2": {
      const unknown = evidence.coverageUnknown.join("; ");
      const counted = described(evidence.generationsCovered, "generations (an owner of every subscribed partition looked for)", unknown === "" ? "no generation with a member could be judged" : unknown);
      return evidence.generationsCovered > 0 && unknown !== "" ? { count: counted.count, text: `${counted.text} (not judged: ${unknown})` } : counted;
    }
    case "C3":
      return described(evidence.resumes + evidence.commitsChecked, `hand-overs and commits (${evidence.resumes} first reads of a new owner compared with the committed offset or auto.offset.reset, ${evidence.commitsChecked} commits with the group's generation and the committer's processing)`, "no member took a partition and read it, and none committed");
    case "C4": {
      const total = evidence.atLeastOnceRecords + evidence.atMostOnceRecords;
      const unknown = evidence.processingUnknown.join("; ");
      const missing = unknown !== "" ? unknown : final ? "no record was processed by a group committing after (or before) processing" : "no final reads to look for skipped records, and no record processed by a group committing before processing";
      return described(total, `records (${evidence.atLeastOnceRecords} of the final reads looked for among the processed, ${evidence.atMostOnceRecords} processed records looked at for repeats)`, missing);
    }
    case "C5":
      return described(evidence.autoCommitRecords, "records of auto-commit groups (skips and repeats looked for, each explained by an automatic commit)", final ? "no record was processed by an auto-commit group" : "no final reads, and no record processed by an auto-commit group");
    case "C6":
      return described(evidence.offsetStepsSync, `changes of a committed offset under synchronous commits (compared with the previous one)${evidence.offsetStepsOther > 0 ? ` (and ${evidence.offsetStepsOther} under the others)` : ""}`, evidence.offsetStepsOther > 0 ? `only ${evidence.offsetStepsOther} changes under asynchronous or automatic commits` : "fewer than two stored offsets of one partition: nothing could regress");
    case "C7":
      return evidence.sharingGroups < 2
        ? { count: 0, text: "no partition is read by two groups: nothing could interfere" }
        : described(evidence.crossGroupChecks, `hand-overs and stored offsets of ${evidence.sharingGroups} groups sharing partitions (compared with the other groups' commits)`, "no hand-over or stored offset of a shared partition");
    case "C8": {
      const unknown = evidence.assignorUnknown.join("; ");
      const counted = described(evidence.assignorGenerations, "generations of the coordinator compared with their assignor's contract", unknown === "" ? "no generation with a member was observed" : unknown);
      return evidence.assignorGenerations > 0 && unknown !== "" ? { count: counted.count, text: `${counted.text} (not judged: ${unknown})` } : counted;
    }
    default:
      return { count: 0, text: "not judged by the group rules" };
  }
}
