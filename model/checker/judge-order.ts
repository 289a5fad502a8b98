/**
 * Order, judged last (rank order, root-causes.ts): a producer's sends in invocation order against
 * their offsets (nonmonotonic-send: D3 for an idempotent producer, else O3; key-reorder: O3; each
 * reported once per record that landed late, the later sends below it counted in
 * `belowSameLateSend`), and each
 * consumer's reads of a partition in offset order (O1: poll-skip over a known record, nonmonotonic-poll;
 * a read_committed consumer's jump over records of transactions that did not commit is no skip).
 * Only offsets of one partition are ever compared: nothing is promised across partitions (O4).
 */
import type { GuaranteeId } from "../verdict.js";
import { isPromised } from "./records.js";
import { configurationWords, type Judging } from "./judging.js";
import { firstAtLeast } from "./judge-losses.js";
import { explainUncleanOrPowerLoss } from "./explain.js";
import { skippedLegitimately } from "./transactions/committed-skips.js";

/** Known offsets looked at inside one gap for the first a consumer should have returned. */
const maxOffsetsScannedPerSkip = 10_000;

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

/** Where a record sits for order checks: in the final reads when there are any, else where acknowledged, else where first read. */
function positionOf(judging: Judging, id: number): { partitionId: number; offset: number } | null {
  const table = judging.state.table;
  if (judging.state.hasFinalReads) {
    const offset = table.finalOffset(id);
    return offset < 0 ? null : { partitionId: table.finalPartitionId(id), offset };
  }
  if (table.ackOffset(id) >= 0) return { partitionId: table.ackPartitionId(id), offset: table.ackOffset(id) };
  const offset = table.firstReadOffset(id);
  return offset < 0 ? null : { partitionId: table.firstReadPartitionId(id), offset };
}

export function judgeSendOrder(judging: Judging): void {
  const state = judging.state;
  const table = state.table;
  const producers: (ProducerOrder | undefined)[] = [];
  // One record that landed late puts every later send below it: one root cause, reported once per
  // late record (the first send found below it), the others counted.
  const lateReported = new Set<number>();
  const lateKeyReported = new Set<number>();
  for (let id = 0; id < table.count; id++) {
    const position = positionOf(judging, id);
    if (position === null || position.partitionId < 0) continue;
    const { partitionId, offset } = position;
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
    if (previousId >= 0) {
      if (rules.producer.idempotence) judging.evidenceOf(rules).orderPairs++;
      if (offset < previousOffset && lateReported.has(previousId)) judging.counts.belowSameLateSend++;
      else if (offset < previousOffset) {
        lateReported.add(previousId);
        const previous = table.view(previousId);
        const send = table.view(id);
        const guarantee: GuaranteeId = rules.producer.idempotence ? "D3" : "O3";
        judging.roots.emit(
          {
            kind: "nonmonotonic-send",
            guarantee,
            message: `${rules.process} sent '${previous.payload}' before '${send.payload}', but they sit at offsets ${previousOffset} and ${offset}`,
            records: [state.recordOf(previous, partitionId, previousOffset), state.recordOf(send, partitionId, offset)],
            events: [previous.invokeIndex, send.invokeIndex],
            allowed: !isPromised(rules, guarantee),
            explanation: rules.table.get(guarantee)?.reason ?? "",
            configuration: configurationWords(rules),
          },
          [previous.payload, send.payload],
        );
      }
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
    if (samePartition && !rules.producer.idempotence) judging.evidenceOf(rules).orderPairs++;
    if (samePartition && offset < previousOfKey.offset && lateKeyReported.has(previousOfKey.id)) judging.counts.belowSameLateSend++;
    else if (samePartition && offset < previousOfKey.offset) {
      lateKeyReported.add(previousOfKey.id);
      const previous = table.view(previousOfKey.id);
      const send = table.view(id);
      judging.roots.emit(
        {
          kind: "key-reorder",
          guarantee: "O3",
          message: `${rules.process} sent '${previous.payload}' before '${send.payload}' with key '${key}', but they sit at offsets ${previousOfKey.offset} and ${offset}`,
          records: [state.recordOf(previous, partitionId, previousOfKey.offset), state.recordOf(send, partitionId, offset)],
          events: [previous.invokeIndex, send.invokeIndex],
          allowed: !isPromised(rules, "O3"),
          explanation: rules.table.get("O3")?.reason ?? "",
          configuration: configurationWords(rules),
        },
        [previous.payload, send.payload],
      );
    }
    if (!samePartition || offset > previousOfKey.offset) {
      previousOfKey.id = id;
      previousOfKey.partitionId = partitionId;
      previousOfKey.offset = offset;
    }
  }
}

/** O1: poll-skip (a gap over a known record) and nonmonotonic-poll, each allowed only after an unclean election or power loss. */
export function judgeConsumerOrder(judging: Judging): void {
  const state = judging.state;
  for (const backwards of state.consumers.backwards) {
    const partition = state.partitionOf(backwards.partitionId);
    const topic = state.topicsByIndex[partition.topicIndex];
    const window = { after: backwards.previousTime, before: state.table.timeOf(backwards.index) };
    const explanation = topic === undefined ? { explained: false, text: "" } : explainUncleanOrPowerLoss(state.faults, partition, backwards.partitionId, topic.effective, window);
    const observation = state.observationAt(partition, backwards.offset);
    judging.roots.emit(
      {
        kind: "nonmonotonic-poll",
        guarantee: "O1",
        message: `${backwards.process} read ${partition.topic}-${partition.partition} offset ${backwards.offset} after offset ${backwards.expected - 1} with no reassignment`,
        records: [{ topic: partition.topic, partition: partition.partition, offset: backwards.offset, ...(observation === null ? {} : { value: observation.payload }) }],
        events: [backwards.previousIndex, backwards.index],
        allowed: explanation.explained,
        explanation: explanation.text,
      },
      observation === null ? [] : [observation.payload],
    );
  }
  for (const skip of state.consumers.skips) {
    const sorted = judging.sortedOffsets(skip.partitionId);
    // A read_committed consumer jumps over aborted records and markers: the skip is over the first other one.
    let skipped: number | undefined;
    for (let position = firstAtLeast(sorted, skip.from), scanned = 0; position < sorted.length && scanned < maxOffsetsScannedPerSkip; position++, scanned++) {
      const offset = sorted[position] as number;
      if (offset >= skip.to) break;
      if (skippedLegitimately(judging, skip.process, skip.partitionId, offset)) continue;
      skipped = offset;
      break;
    }
    if (skipped === undefined) continue;
    const partition = state.partitionOf(skip.partitionId);
    const topic = state.topicsByIndex[partition.topicIndex];
    const window = { after: skip.previousTime, before: state.table.timeOf(skip.index) };
    const explanation = topic === undefined ? { explained: false, text: "" } : explainUncleanOrPowerLoss(state.faults, partition, skip.partitionId, topic.effective, window);
    const observation = state.observationAt(partition, skipped);
    judging.roots.emit(
      {
        kind: "poll-skip",
        guarantee: "O1",
        message: `${skip.process} jumped from offset ${skip.from - 1} to ${skip.to} of ${partition.topic}-${partition.partition}, skipping offset ${skipped} which holds '${observation?.payload ?? "?"}'`,
        records: [{ topic: partition.topic, partition: partition.partition, offset: skipped, ...(observation === null ? {} : { value: observation.payload }) }],
        events: [skip.previousIndex, skip.index],
        allowed: explanation.explained,
        explanation: explanation.text,
      },
      observation === null ? [] : [observation.payload],
    );
  }
}
