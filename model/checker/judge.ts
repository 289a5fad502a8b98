/**
 * End-of-history judgements: everything that needs the whole history (final reads, later faults).
 * Each pass is one walk over the sends or the recorded candidates: linear in the history.
 */
import type { AnomalyKind, GuaranteeId } from "../verdict.js";
import { explainLeaderFailure, explainUncleanOrPowerLoss, type Explanation } from "./explain.js";
import { isPromised, SendStatus, type PartitionState, type SendRecord } from "./records.js";
import type { CheckerState } from "./state.js";

export interface LossCounts {
  written: number;
  lost: number;
  unseen: number;
  readThenLost: number;
  duplicated: number;
  phantomReads: number;
  belowLogStart: number;
}

const maxOffsetsScannedPerGap = 10_000;

function explanationFields(explanation: Explanation): { explanation: string } {
  return { explanation: explanation.text };
}

function strongExplanation(state: CheckerState, send: SendRecord, partitionId: number, since: number): Explanation {
  if (partitionId < 0) return { explained: false, text: "the partition is unknown" };
  return explainUncleanOrPowerLoss(state.faults, state.partitionOf(partitionId), partitionId, send.rules.effectiveTopic, since);
}

/** Explains losing an acknowledged record according to its producer's acks. */
function lossExplanation(state: CheckerState, send: SendRecord, partitionId: number): Explanation {
  if (send.rules.producer.acks === "0") return { explained: true, text: "acks=0: nothing was acknowledged by a broker" };
  if (partitionId < 0) return { explained: false, text: "the partition is unknown" };
  const partition = state.partitionOf(partitionId);
  if (send.rules.producer.acks === "1") {
    const leader = explainLeaderFailure(state.faults, partition, partitionId, send.invokeTime);
    if (leader.explained) return leader;
  }
  return strongExplanation(state, send, partitionId, send.invokeTime);
}

function emitLoss(state: CheckerState, send: SendRecord, kind: AnomalyKind, counts: LossCounts): void {
  const partitionId = send.partitionId;
  const rules = send.rules;
  const where = send.knownOffset >= 0 ? ` at offset ${send.knownOffset}` : "";
  const what = kind === "lost-write" ? "is missing from the final reads, below offsets they reached" : "was never read by the final reads";
  const message = `'${send.payload}' (${rules.process}, acks=${rules.producer.acks}) acknowledged${where} ${what}`;
  const records = [state.recordOf(send)];
  const events = [send.invokeIndex, send.completionIndex];
  if (state.endOffsetsIndex >= 0) events.push(state.endOffsetsIndex);
  if (kind === "lost-write") counts.lost++;
  else counts.unseen++;
  const add = (guarantee: GuaranteeId, allowed: boolean, explanation: Explanation): void => {
    const proof = explanation.index === undefined ? events : [...events, explanation.index];
    state.anomalies.add({ kind, guarantee, message, records, events: proof, allowed, ...explanationFields(explanation) });
  };
  const explanation = lossExplanation(state, send, partitionId);
  if (rules.producer.acks === "0") {
    add("D2", true, explanation);
    return;
  }
  if (rules.producer.acks === "1") {
    add("D4", explanation.explained, explanation);
    add("D2", true, explanation);
    return;
  }
  add("D2", !isPromised(rules, "D2") || explanation.explained, explanation);
  if (rules.producer.idempotence) add("D3", explanation.explained, explanation);
  add("D7", explanation.explained, explanation);
  if (!explanation.explained && partitionId >= 0) {
    const partition = state.partitionOf(partitionId);
    const leaderChange = state.faults.observed
      ? state.faults.lastElection(partitionId)
      : state.faults.lastDisruption(partition.replicas);
    if (leaderChange.time >= send.invokeTime) {
      add("D8", false, { explained: false, text: `acknowledged with acks=all, then lost across ${leaderChange.what}` });
    }
  }
}

function emitReadThenLost(state: CheckerState, send: SendRecord, counts: LossCounts): void {
  counts.readThenLost++;
  const partitionId = send.firstReadPartitionId;
  const explanation = strongExplanation(state, send, partitionId, send.nonFinalReadTime);
  state.anomalies.add({
    kind: "read-then-lost",
    guarantee: "D6",
    message: `'${send.payload}' was read at offset ${send.firstReadOffset} (event ${send.nonFinalReadIndex}) and is missing from the final reads`,
    records: [state.recordOf(send, partitionId, send.firstReadOffset)],
    events: [send.invokeIndex, send.nonFinalReadIndex, ...(state.endOffsetsIndex >= 0 ? [state.endOffsetsIndex] : [])],
    allowed: explanation.explained,
    explanation: explanation.text,
  });
}

/** D2/D3/D4/D7/D8 losses and D6 read-then-lost, from the final reads. */
export function judgeLosses(state: CheckerState, counts: LossCounts): void {
  const table = state.table;
  for (let id = 0; id < table.count; id++) {
    // Written: acknowledged, or indefinite/failed but seen by a read (SendRecord.written, unboxed).
    if (table.status(id) !== SendStatus.Ok && table.readCount(id) <= 0) continue;
    counts.written++;
    // Without final reads only poll gaps prove a loss (judgeConsumerOrder); never claim `unseen`.
    if (!state.hasFinalReads || table.finalOffset(id) >= 0) continue;
    const send = table.view(id);
    const partitionId = send.partitionId;
    const offset = send.knownOffset;
    const partition: PartitionState | undefined = partitionId >= 0 ? state.partitionOf(partitionId) : undefined;
    if (partition !== undefined && offset >= 0 && offset < partition.startOffset) {
      // Retention moved the log start past it: L1's business, not a loss.
      counts.belowLogStart++;
      continue;
    }
    if (send.nonFinalReadIndex >= 0) emitReadThenLost(state, send, counts);
    if (send.status !== SendStatus.Ok) continue;
    const reach = partition === undefined ? 0 : Math.max(partition.finalReach, partition.endOffset);
    emitLoss(state, send, offset >= 0 && offset < reach ? "lost-write" : "unseen", counts);
  }
}

/** D1/D3: one value at two positions. */
export function judgeDuplicates(state: CheckerState, counts: LossCounts): void {
  // In send order, as a walk over every send would find them (the map is in order of detection).
  const ids = [...state.table.duplicates.keys()].sort((left, right) => left - right);
  for (const id of ids) {
    const send = state.table.view(id);
    counts.duplicated++;
    const guarantee: GuaranteeId = send.rules.producer.idempotence ? "D3" : "D1";
    const explanation = strongExplanation(state, send, send.firstReadPartitionId, send.invokeTime);
    const first = state.recordOf(send, send.firstReadPartitionId, send.firstReadOffset);
    const second = state.recordOf(send, send.duplicatePartitionId, send.duplicateOffset);
    state.anomalies.add({
      kind: "duplicate",
      guarantee,
      message: `'${send.payload}' (${send.rules.process}) appears at offset ${send.firstReadOffset} and at offset ${send.duplicateOffset}`,
      records: [first, second],
      events: [send.invokeIndex, send.firstReadIndex, send.duplicateIndex],
      allowed: !isPromised(send.rules, guarantee) || explanation.explained,
      explanation: explanation.explained ? explanation.text : send.rules.table.get(guarantee)?.reason ?? "",
    });
  }
}

/** D5: a definitely failed send must never be read. D10: the acknowledged offset is where it is read. */
export function judgeAcknowledgements(state: CheckerState): void {
  const table = state.table;
  for (let id = 0; id < table.count; id++) {
    // Only sends that were read can be judged here.
    if (table.readCount(id) <= 0) continue;
    const send = table.view(id);
    if (send.status === SendStatus.Fail && send.readCount > 0) {
      const refused = send.error === "NOT_ENOUGH_REPLICAS";
      state.anomalies.add({
        kind: refused ? "refused-write-appended" : "aborted-read",
        guarantee: "D5",
        message: `'${send.payload}' failed${send.error === undefined ? "" : ` with ${send.error}`} (nothing appended) yet was read at offset ${send.firstReadOffset}`,
        records: [state.recordOf(send, send.firstReadPartitionId, send.firstReadOffset)],
        events: [send.invokeIndex, send.completionIndex, send.firstReadIndex],
        allowed: false,
      });
    }
    if (send.status === SendStatus.Ok && send.ackOffset >= 0 && send.readCount > 0 && !send.ackPositionRead) {
      const explanation = lossExplanation(state, send, send.ackPartitionId);
      state.anomalies.add({
        kind: "ack-offset-mismatch",
        guarantee: "D10",
        message: `'${send.payload}' was acknowledged at offset ${send.ackOffset} but read at offset ${send.firstReadOffset}`,
        records: [state.recordOf(send, send.ackPartitionId, send.ackOffset), state.recordOf(send, send.firstReadPartitionId, send.firstReadOffset)],
        events: [send.invokeIndex, send.completionIndex, send.firstReadIndex],
        allowed: !isPromised(send.rules, "D10") || explanation.explained,
        explanation: explanation.text,
      });
    }
  }
}

/** D9: one offset, two values; and values read that no send wrote. */
export function judgeOffsets(state: CheckerState, counts: LossCounts): void {
  for (const candidate of state.phantomCandidates) {
    if (state.sendIdOf(candidate.payload) >= 0) continue;
    counts.phantomReads++;
    const partition = state.partitionOf(candidate.partitionId);
    state.anomalies.add({
      kind: "phantom-read",
      guarantee: "D9",
      message: `'${candidate.payload}' was read at ${partition.topic}-${partition.partition} offset ${candidate.offset} but was never sent`,
      records: [{ topic: partition.topic, partition: partition.partition, offset: candidate.offset, value: candidate.payload }],
      events: [candidate.index],
      allowed: false,
    });
  }
  for (const { partitionId, offset, first, second } of state.inconsistencies) {
    const partition = state.partitionOf(partitionId);
    const firstId = state.sendIdOf(first.payload);
    const firstSend = firstId < 0 ? undefined : state.table.view(firstId);
    // The displaced observation is the one the final log does not hold (the first, when unknown).
    const firstKept = firstSend !== undefined && firstSend.finalPartitionId === partitionId && firstSend.finalOffset === offset;
    const displaced = firstKept ? second : first;
    const displacedId = state.sendIdOf(displaced.payload);
    const displacedSend = displacedId < 0 ? undefined : state.table.view(displacedId);
    let explanation: Explanation = { explained: false, text: `'${displaced.payload}' was never sent` };
    if (displacedSend !== undefined) {
      explanation = displaced.fromAck
        ? lossExplanation(state, displacedSend, partitionId)
        : strongExplanation(state, displacedSend, partitionId, displaced.time);
    }
    const source = (observation: typeof first): string => (observation.fromAck ? "acknowledged" : "read");
    state.anomalies.add({
      kind: "inconsistent-offsets",
      guarantee: "D9",
      message: `offset ${offset} of ${partition.topic}-${partition.partition} held '${first.payload}' (${source(first)}, event ${first.index}) and '${second.payload}' (${source(second)}, event ${second.index})`,
      records: [
        { topic: partition.topic, partition: partition.partition, offset, value: first.payload },
        { topic: partition.topic, partition: partition.partition, offset, value: second.payload },
      ],
      events: [first.index, second.index],
      allowed: explanation.explained,
      explanation: explanation.text,
    });
  }
}

interface KeyOrder {
  /** The send with the highest offset so far for the key, and where it sits. */
  id: number;
  partitionId: number;
  offset: number;
}

interface ProducerOrder {
  /** Per partition id: the send with the highest offset so far (-1 none), and that offset. */
  readonly highestByPartition: Int32Array;
  readonly highestOffsetByPartition: Float64Array;
  /** Per key: the send with the highest offset so far. */
  readonly highestByKey: Map<string, KeyOrder>;
}

/** O3 per-key order and nonmonotonic-send, per producer, in send-invocation order. */
export function judgeSendOrder(state: CheckerState): void {
  const table = state.table;
  const final = state.hasFinalReads;
  const producers: (ProducerOrder | undefined)[] = [];
  for (let id = 0; id < table.count; id++) {
    // Where the record sits for order checks: in the final reads when there are any, else where it
    // was acknowledged, else where it was first read; records not (known to be) in the log are skipped.
    let partitionId: number;
    let offset: number;
    if (final) {
      offset = table.finalOffset(id);
      if (offset < 0) continue;
      partitionId = table.finalPartitionId(id);
    } else if (table.ackOffset(id) >= 0) {
      offset = table.ackOffset(id);
      partitionId = table.ackPartitionId(id);
    } else {
      offset = table.firstReadOffset(id);
      if (offset < 0) continue;
      partitionId = table.firstReadPartitionId(id);
    }
    if (partitionId < 0) continue;
    const rules = table.rulesOf(id);
    let order = producers[rules.processIndex];
    if (order === undefined) {
      order = {
        highestByPartition: new Int32Array(state.partitions.length).fill(-1),
        highestOffsetByPartition: new Float64Array(state.partitions.length).fill(-1),
        highestByKey: new Map(),
      };
      producers[rules.processIndex] = order;
    }
    const previousId = order.highestByPartition[partitionId] as number;
    const previousOffset = previousId >= 0 ? (order.highestOffsetByPartition[partitionId] as number) : -1;
    if (previousId >= 0 && offset < previousOffset) {
      const previous = table.view(previousId);
      const send = table.view(id);
      const guarantee: GuaranteeId = rules.producer.idempotence ? "D3" : "O3";
      state.anomalies.add({
        kind: "nonmonotonic-send",
        guarantee,
        message: `${rules.process} sent '${previous.payload}' before '${send.payload}', but they sit at offsets ${previousOffset} and ${offset}`,
        records: [state.recordOf(previous, partitionId, previousOffset), state.recordOf(send, partitionId, offset)],
        events: [previous.invokeIndex, send.invokeIndex],
        allowed: !isPromised(rules, guarantee),
        explanation: rules.table.get("O3")?.reason ?? "",
      });
    }
    if (previousId < 0 || offset > previousOffset) {
      order.highestByPartition[partitionId] = id;
      order.highestOffsetByPartition[partitionId] = offset;
    }
    const key = table.key[id] ?? null;
    if (key === null) continue;
    const previousOfKey = order.highestByKey.get(key);
    if (previousOfKey === undefined) {
      order.highestByKey.set(key, { id, partitionId, offset });
      continue;
    }
    const samePartition = previousOfKey.partitionId === partitionId;
    if (samePartition && offset < previousOfKey.offset) {
      const previous = table.view(previousOfKey.id);
      const send = table.view(id);
      state.anomalies.add({
        kind: "key-reorder",
        guarantee: "O3",
        message: `${rules.process} sent '${previous.payload}' before '${send.payload}' with key '${key}', but they sit at offsets ${previousOfKey.offset} and ${offset}`,
        records: [state.recordOf(previous, partitionId, previousOfKey.offset), state.recordOf(send, partitionId, offset)],
        events: [previous.invokeIndex, send.invokeIndex],
        allowed: !isPromised(rules, "O3"),
        explanation: rules.table.get("O3")?.reason ?? "",
      });
    }
    if (!samePartition || offset > previousOfKey.offset) {
      previousOfKey.id = id;
      previousOfKey.partitionId = partitionId;
      previousOfKey.offset = offset;
    }
  }
}

function sortedOffsets(cache: Map<number, number[]>, state: CheckerState, partitionId: number): number[] {
  let offsets = cache.get(partitionId);
  if (offsets === undefined) {
    offsets = state.partitionOf(partitionId).offsets.sortedOffsets();
    cache.set(partitionId, offsets);
  }
  return offsets;
}

function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** O1: poll-skip (a gap over a known record) and nonmonotonic-poll; without final reads, lost-write. */
export function judgeConsumerOrder(state: CheckerState, counts: LossCounts): void {
  const offsetCache = new Map<number, number[]>();
  const lostReported = new Set<SendRecord>();
  for (const backwards of state.consumers.backwards) {
    const partition = state.partitionOf(backwards.partitionId);
    const topic = state.topicsByIndex[partition.topicIndex];
    const explanation = topic === undefined
      ? { explained: false, text: "" }
      : explainUncleanOrPowerLoss(state.faults, partition, backwards.partitionId, topic.effective, backwards.previousTime);
    state.anomalies.add({
      kind: "nonmonotonic-poll",
      guarantee: "O1",
      message: `${backwards.process} read ${partition.topic}-${partition.partition} offset ${backwards.offset} after offset ${backwards.expected - 1} with no reassignment`,
      records: [{ topic: partition.topic, partition: partition.partition, offset: backwards.offset }],
      events: [backwards.previousIndex, backwards.index],
      allowed: explanation.explained,
      explanation: explanation.text,
    });
  }
  for (const skip of state.consumers.skips) {
    const sorted = sortedOffsets(offsetCache, state, skip.partitionId);
    const first = firstAtLeast(sorted, skip.from);
    const skipped = sorted[first];
    if (skipped === undefined || skipped >= skip.to) continue;
    const partition = state.partitionOf(skip.partitionId);
    const topic = state.topicsByIndex[partition.topicIndex];
    const explanation = topic === undefined
      ? { explained: false, text: "" }
      : explainUncleanOrPowerLoss(state.faults, partition, skip.partitionId, topic.effective, skip.previousTime);
    const observation = state.observationAt(partition, skipped);
    state.anomalies.add({
      kind: "poll-skip",
      guarantee: "O1",
      message: `${skip.process} jumped from offset ${skip.from - 1} to ${skip.to} of ${partition.topic}-${partition.partition}, skipping offset ${skipped} which holds '${observation?.payload ?? "?"}'`,
      records: [{ topic: partition.topic, partition: partition.partition, offset: skipped, ...(observation === null ? {} : { value: observation.payload }) }],
      events: [skip.previousIndex, skip.index],
      allowed: explanation.explained,
      explanation: explanation.text,
    });
    if (state.hasFinalReads) continue;
    // No final reads: an acknowledged record inside a gap that no read ever returned is lost.
    for (let position = first, scanned = 0; position < sorted.length && scanned < maxOffsetsScannedPerGap; position++, scanned++) {
      const offset = sorted[position] as number;
      if (offset >= skip.to) break;
      const send = state.sendOfCode(partition.offsets.get(offset));
      if (send === null || send.readCount > 0 || send.status !== SendStatus.Ok || lostReported.has(send)) continue;
      lostReported.add(send);
      emitLoss(state, send, "lost-write", counts);
    }
  }
}
