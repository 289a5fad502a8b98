/**
 * T4, markers take offsets. Every transaction's end writes a control record (the marker) into each of
 * its partitions; consumers never return it, but it occupies an offset.
 * - record-at-marker: with the observer's `txn-marker` events (the engine), a data record some poll
 *   returned at a marker's partition and offset;
 * - missing-marker-offset: without markers on a partition (real Kafka has no observer), a transaction
 *   that ended ok (commit ok or abort ok) whose last acknowledged record there sits at x, and the next
 *   transaction of the same transactional.id whose first acknowledged record there sits at y: the
 *   marker is somewhere in (x, y), so the read_uncommitted final read must find some offset of (x, y)
 *   without a data record. Pairs above what the final read reached are not judged (the evidence says
 *   how many).
 */
import type { TransactionJudging } from "./transaction-judging.js";
import type { Transaction } from "./transaction-model.js";
import { SendStatus } from "../records.js";
import { firstAtLeast } from "../judge-losses.js";

export function judgeMarkers(judging: TransactionJudging): void {
  judgeObservedMarkers(judging);
  judgeMarkerGaps(judging);
}

function judgeObservedMarkers(judging: TransactionJudging): void {
  const model = judging.model;
  if (model.markers.size === 0) return;
  const reach = new Map<number, number>();
  const reported = new Set<number>();
  model.forEachRead((poll, record, partitionId) => {
    reach.set(partitionId, Math.max(reach.get(partitionId) ?? -1, record.offset));
    const marker = model.markers.get(partitionId)?.get(record.offset);
    if (marker === undefined || reported.has(marker)) return;
    reported.add(marker);
    judging.emit(
      {
        kind: "record-at-marker",
        guarantee: "T4",
        message: `${poll.process} read the data record '${record.value}' at ${record.topic}-${record.partition} offset ${record.offset}, where a transaction marker was appended (event ${marker})`,
        records: [judging.recordAt(partitionId, record.offset, record.value)],
        events: [Math.min(marker, poll.index), Math.max(marker, poll.index)],
        allowed: false,
      },
      [record.value, `marker@${marker}`],
    );
  });
  for (const [partitionId, byOffset] of model.markers) {
    const reached = reach.get(partitionId) ?? -1;
    for (const offset of byOffset.keys()) if (offset <= reached) judging.evidence.markersChecked++;
  }
}

/** The acknowledged offsets of a transaction's records on each partition: the first and the last. */
function spans(judging: TransactionJudging, transaction: Transaction): Map<number, { first: number; firstId: number; last: number; lastId: number }> {
  const table = judging.judging.state.table;
  const result = new Map<number, { first: number; firstId: number; last: number; lastId: number }>();
  for (const id of transaction.sends) {
    if (table.status(id) !== SendStatus.Ok || table.ackOffset(id) < 0) continue;
    const partitionId = table.ackPartitionId(id);
    const offset = table.ackOffset(id);
    const span = result.get(partitionId);
    if (span === undefined) result.set(partitionId, { first: offset, firstId: id, last: offset, lastId: id });
    else {
      if (offset < span.first) Object.assign(span, { first: offset, firstId: id });
      if (offset > span.last) Object.assign(span, { last: offset, lastId: id });
    }
  }
  return result;
}

function endedOk(transaction: Transaction): boolean {
  return transaction.endType === "ok";
}

function judgeMarkerGaps(judging: TransactionJudging): void {
  const model = judging.model;
  const state = judging.judging.state;
  const table = state.table;
  // The read_uncommitted final read: which offsets of each partition hold a data record.
  const finalOffsets = new Map<number, number[]>();
  let firstFinalPoll = -1;
  model.forEachRead((poll, record, partitionId) => {
    if (!poll.final || poll.readCommitted) return;
    if (firstFinalPoll < 0) firstFinalPoll = poll.index;
    let offsets = finalOffsets.get(partitionId);
    if (offsets === undefined) finalOffsets.set(partitionId, (offsets = []));
    offsets.push(record.offset);
  });
  for (const offsets of finalOffsets.values()) offsets.sort((left, right) => left - right);
  /** Per transactional id and partition: the last transaction seen there that ended ok, and its last record. */
  const previous = new Map<string, { transaction: Transaction; last: number; lastId: number } | null>();
  for (const transaction of model.transactions) {
    for (const [partitionId, span] of spans(judging, transaction)) {
      if (model.markers.has(partitionId)) continue;
      const key = `${transaction.transactionalId}\u0000${partitionId}`;
      const before = previous.get(key);
      previous.set(key, endedOk(transaction) ? { transaction, last: span.last, lastId: span.lastId } : null);
      if (before === undefined || before === null) continue;
      const offsets = finalOffsets.get(partitionId) ?? [];
      const reached = offsets.length === 0 ? -1 : (offsets[offsets.length - 1] as number);
      if (offsets.length === 0 || reached < span.first - 1) {
        judging.evidence.markerGapsUncovered++;
        continue;
      }
      judging.evidence.markerGaps++;
      const x = before.last;
      const y = span.first;
      const dataInside = firstAtLeast(offsets, y) - firstAtLeast(offsets, x + 1);
      if (y > x && dataInside < y - x - 1) continue;
      const partition = state.partitionOf(partitionId);
      judging.emit(
        {
          kind: "missing-marker-offset",
          guarantee: "T4",
          message: `${transaction.process}'s transaction ended at event ${before.transaction.endCompletion} with its last record on ${partition.topic}-${partition.partition} at offset ${x}, and the next one of transactional.id=${transaction.transactionalId} has its first record there at offset ${y}: ${y > x + 1 ? `the final read holds data records at every offset between` : "no offset lies between"}, so the first transaction's marker has no offset`,
          records: [judging.recordOfSend(before.lastId), judging.recordOfSend(span.firstId)],
          events: [table.completionIndex(before.lastId), before.transaction.endCompletion, table.completionIndex(span.firstId), firstFinalPoll].sort((left, right) => left - right),
          allowed: false,
        },
        [`marker@${partitionId}/${x}`],
      );
    }
  }
}
