/**
 * Losses, from the final reads: a record read and then lost (D6, first: it points at the high
 * watermark), an acknowledged record the final reads do not hold (lost-write below what they reached,
 * unseen above it), and without final reads the acknowledged records a consumer's gap jumped over. Each loss is charged to the one guarantee whose
 * rule it breaks, by its own producer's and topic's configuration:
 * - acks=0: D1 (loss allowed, nothing was acknowledged by a broker);
 * - acks=1: D4, allowed when a leader change explains it;
 * - acks=all with unclean elections enabled: D7, allowed when an unclean election (or power loss) does;
 * - acks=all otherwise: D2 where promised, else D7 (clean elections: no acknowledged record is lost).
 * What it also implies (D3 for an idempotent producer, D8 across a leader change) is listed there, not
 * counted again.
 *
 * A truncation removes a suffix of the log: an allowed-looking loss at offset o is a violation when a
 * record acknowledged at a higher offset of the same partition, sent after it and acknowledged before
 * anything could have truncated the log, survived where it was acknowledged (lost-below-survivor).
 */
import type { AnomalyKind, GuaranteeId } from "../verdict.js";
import type { Explanation, Window } from "./explain.js";
import { formatTime } from "./fault-timeline.js";
import { SendStatus, type PartitionState, type SendRecord } from "./records.js";
import { configurationWords, promisedBy, type Judging } from "./judging.js";
import { skippedLegitimately } from "./transactions/committed-skips.js";

/** Survivors looked at above a lost record: the one that proves a hole sits close above it. */
const maxSurvivorsScanned = 256;
const maxOffsetsScannedPerGap = 10_000;

export function judgeLosses(judging: Judging): void {
  const state = judging.state;
  const table = state.table;
  const counts = judging.counts;
  const lost: number[] = [];
  const readThenLost: number[] = [];
  for (let id = 0; id < table.count; id++) {
    const status = table.status(id);
    const readCount = table.readCount(id);
    if (readCount > 0) {
      const evidence = judging.evidenceOf(table.rulesOf(id));
      evidence.read++;
      if (status === SendStatus.Ok && table.ackOffset(id) >= 0) evidence.ackRead++;
      if (state.hasFinalReads && table.nonFinalReadIndex(id) >= 0) judging.readBeforeFinal++;
    }
    // Written: acknowledged, or indefinite/failed but seen by a read (SendRecord.written, unboxed).
    if (status !== SendStatus.Ok && readCount <= 0) continue;
    counts.written++;
    // Without final reads only poll gaps prove a loss (below); never claim `unseen`.
    if (!state.hasFinalReads) continue;
    if (status === SendStatus.Ok) {
      const evidence = judging.evidenceOf(table.rulesOf(id));
      evidence.judged++;
      if (judging.disturbedAfter(table.ackPartitionId(id), table.invokeTime(id))) evidence.disturbed++;
    }
    if (table.finalOffset(id) >= 0) continue;
    const send = table.view(id);
    const partitionId = send.partitionId;
    const offset = send.knownOffset;
    if (partitionId >= 0 && offset >= 0 && offset < state.partitionOf(partitionId).startOffset) {
      // Retention moved the log start past it: L1's business, not a loss.
      counts.belowLogStart++;
      continue;
    }
    if (status === SendStatus.Ok) lost.push(id);
    if (send.nonFinalReadIndex >= 0) readThenLost.push(id);
  }
  for (const id of readThenLost) emitReadThenLost(judging, table.view(id));
  const survivors = new SurvivorIndex(judging);
  for (const id of lost) {
    const send = table.view(id);
    const partition = send.partitionId >= 0 ? state.partitionOf(send.partitionId) : undefined;
    const reach = partition === undefined ? 0 : Math.max(partition.finalReach, partition.endOffset);
    const offset = send.knownOffset;
    const proof = partition === undefined ? state.lastFinalTime : judging.proofTime(partition, offset);
    emitLoss(judging, send, offset >= 0 && offset < reach ? "lost-write" : "unseen", proof, survivors);
  }
  if (!state.hasFinalReads) judgeGapLosses(judging, survivors);
}

/** The guarantee whose rule an acknowledged record's loss breaks (see the file comment). */
function lossGuarantee(send: SendRecord): GuaranteeId {
  const rules = send.rules;
  if (rules.producer.acks === "0") return "D1";
  if (rules.producer.acks === "1") return "D4";
  if (rules.effectiveTopic.uncleanElection) return "D7";
  return promisedBy(rules, "D2") ? "D2" : "D7";
}

function emitLoss(judging: Judging, send: SendRecord, kind: AnomalyKind, proof: number, survivors: SurvivorIndex): void {
  const state = judging.state;
  const partitionId = send.partitionId;
  const rules = send.rules;
  const window: Window = { after: send.invokeTime, before: proof };
  let explanation: Explanation = judging.lossExplanation(send, partitionId, window);
  let anomalyKind = kind;
  const events = [send.invokeIndex, send.completionIndex];
  if (explanation.explained && rules.producer.acks !== "0") {
    const survivor = survivors.holeAbove(send);
    if (survivor !== null) {
      anomalyKind = "lost-below-survivor";
      explanation = {
        explained: false,
        text: `'${survivor.payload}' acknowledged at offset ${survivor.ackOffset} (sent after it, acknowledged at t=${formatTime(survivor.ackTime)} before anything could truncate the log) survived: a truncation removes a suffix, not a hole (${explanation.text} does not explain it)`,
        index: survivor.completionIndex,
      };
    }
  }
  if (kind === "lost-write") judging.counts.lost++;
  else judging.counts.unseen++;
  const where = send.knownOffset >= 0 ? ` at offset ${send.knownOffset}` : "";
  const partition = partitionId >= 0 ? state.partitionOf(partitionId) : undefined;
  const place = partition === undefined ? "" : ` of ${partition.topic}-${partition.partition}`;
  const what =
    anomalyKind === "lost-below-survivor"
      ? "is missing from the final reads, below a record that survived"
      : anomalyKind === "lost-write"
        ? "is missing from the final reads, below offsets they reached"
        : "was never read by the final reads";
  if (state.endOffsetsIndex >= 0) events.push(state.endOffsetsIndex);
  if (explanation.index !== undefined) events.push(explanation.index);
  const guarantee = lossGuarantee(send);
  // An unexplained loss also breaks the idempotent session's promise (D3) and, after a fault or leader
  // change, the deposed leader's (D8): listed there as implied, not counted again.
  const implies: GuaranteeId[] = [];
  if (!explanation.explained && rules.producer.idempotence) implies.push("D3");
  if (!explanation.explained && rules.producer.acks === "all" && judging.disturbedAfter(partitionId, send.invokeTime)) implies.push("D8");
  judging.roots.emit(
    {
      kind: anomalyKind,
      guarantee,
      message: `'${send.payload}' (${rules.process}, acks=${rules.producer.acks}) acknowledged${where}${place} ${what}`,
      records: [state.recordOf(send)],
      events,
      allowed: rules.producer.acks === "0" || explanation.explained,
      explanation: explanation.text,
      configuration: configurationWords(rules),
    },
    [send.payload],
    implies,
  );
}

function emitReadThenLost(judging: Judging, send: SendRecord): void {
  const state = judging.state;
  judging.counts.readThenLost++;
  const partitionId = send.firstReadPartitionId;
  const partition = state.partitionOf(partitionId);
  const window: Window = { after: send.nonFinalReadTime, before: judging.proofTime(partition, send.firstReadOffset) };
  const explanation = judging.strongExplanation(send, partitionId, window);
  judging.roots.emit(
    {
      kind: "read-then-lost",
      guarantee: "D6",
      message: `'${send.payload}' was read at ${partition.topic}-${partition.partition} offset ${send.firstReadOffset} (event ${send.nonFinalReadIndex}) and is missing from the final reads`,
      records: [state.recordOf(send, partitionId, send.firstReadOffset)],
      events: [send.invokeIndex, send.nonFinalReadIndex, ...(state.endOffsetsIndex >= 0 ? [state.endOffsetsIndex] : []), ...(explanation.index === undefined ? [] : [explanation.index])],
      allowed: explanation.explained,
      explanation: explanation.text,
      configuration: configurationWords(send.rules),
    },
    [send.payload],
  );
}

/** No final reads: an acknowledged record inside a gap a consumer jumped over, that no read ever returned, is lost. */
function judgeGapLosses(judging: Judging, survivors: SurvivorIndex): void {
  const state = judging.state;
  const reported = new Set<number>();
  for (const skip of state.consumers.skips) {
    const partition = state.partitionOf(skip.partitionId);
    const sorted = judging.sortedOffsets(skip.partitionId);
    for (let position = firstAtLeast(sorted, skip.from), scanned = 0; position < sorted.length && scanned < maxOffsetsScannedPerGap; position++, scanned++) {
      const offset = sorted[position] as number;
      if (offset >= skip.to) break;
      const send = state.sendOfCode(partition.offsets.get(offset));
      if (send === null || send.readCount > 0 || send.status !== SendStatus.Ok || reported.has(send.id)) continue;
      // A read_committed consumer passes over records of transactions that did not commit: not lost.
      if (skippedLegitimately(judging, skip.process, skip.partitionId, offset)) continue;
      reported.add(send.id);
      emitLoss(judging, send, "lost-write", state.table.timeOf(skip.index), survivors);
    }
  }
}

export function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Per partition, the acknowledged records that survived at the offset they were acknowledged at,
 * sorted by offset; built on the first question about a partition, in one pass over the sends.
 */
class SurvivorIndex {
  private byPartition: Map<number, number[]> | null = null;

  constructor(private readonly judging: Judging) {}

  /** A record that proves `send`'s loss is a hole, not a truncated suffix; null when none does. */
  holeAbove(send: SendRecord): SendRecord | null {
    const state = this.judging.state;
    const table = state.table;
    const partitionId = send.ackPartitionId;
    const offset = send.ackOffset;
    if (partitionId < 0 || offset < 0) return null;
    const partition: PartitionState = state.partitionOf(partitionId);
    const cause = state.faults.firstTruncationCause(partitionId, partition.replicas, send.invokeTime);
    const causeStart = cause?.start ?? Number.POSITIVE_INFINITY;
    // Acknowledged after something could truncate: its append may belong to another leader's log.
    if (send.ackTime >= causeStart) return null;
    const survivors = this.survivorsOf(partitionId);
    let low = 0;
    let high = survivors.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (table.ackOffset(survivors[middle] as number) <= offset) low = middle + 1;
      else high = middle;
    }
    for (let position = low, scanned = 0; position < survivors.length && scanned < maxSurvivorsScanned; position++, scanned++) {
      const id = survivors[position] as number;
      // Sent after the lost record and acknowledged before any possible truncation: one leader appended both, in this order.
      if (table.invokeTime(id) >= send.invokeTime && table.ackTime(id) < causeStart) return table.view(id);
    }
    return null;
  }

  private survivorsOf(partitionId: number): readonly number[] {
    if (this.byPartition === null) {
      const byPartition = new Map<number, number[]>();
      const table = this.judging.state.table;
      for (let id = 0; id < table.count; id++) {
        if (table.status(id) !== SendStatus.Ok || table.ackOffset(id) < 0) continue;
        if (table.finalPartitionId(id) !== table.ackPartitionId(id) || table.finalOffset(id) !== table.ackOffset(id)) continue;
        let list = byPartition.get(table.ackPartitionId(id));
        if (list === undefined) {
          list = [];
          byPartition.set(table.ackPartitionId(id), list);
        }
        list.push(id);
      }
      for (const list of byPartition.values()) list.sort((left, right) => table.ackOffset(left) - table.ackOffset(right));
      this.byPartition = byPartition;
    }
    return this.byPartition.get(partitionId) ?? [];
  }
}
