/**
 * Where each record sits, judged after losses (rank order, root-causes.ts): duplicates (D1 / D3), the
 * acknowledged offset (D10), offsets holding two values (D9), acknowledgements below min ISR (D5), and
 * records at a partition they were not sent to (explicit partition: D9; murmur2: O2).
 */
import type { GuaranteeId } from "../verdict.js";
import type { Explanation } from "./explain.js";
import { formatTime } from "./fault-timeline.js";
import { isPromised } from "./records.js";
import { configurationWords, type Judging } from "./judging.js";

export function judgeRecords(judging: Judging): void {
  judgeDuplicates(judging);
  judgeAcknowledgedOffsets(judging);
  judgeInconsistentOffsets(judging);
  judgeBelowMinIsr(judging);
  judgeMisplaced(judging);
}

/** D1/D3: one value at two positions. */
function judgeDuplicates(judging: Judging): void {
  const state = judging.state;
  // In send order, as a walk over every send would find them (the map is in order of detection).
  const ids = [...state.table.duplicates.keys()].sort((left, right) => left - right);
  for (const id of ids) {
    const send = state.table.view(id);
    judging.counts.duplicated++;
    const guarantee: GuaranteeId = send.rules.producer.idempotence ? "D3" : "D1";
    const seen = Math.max(send.firstReadTime, state.table.timeOf(send.duplicateIndex));
    const explanation = judging.strongExplanation(send, send.firstReadPartitionId, { after: send.invokeTime, before: seen });
    const first = state.recordOf(send, send.firstReadPartitionId, send.firstReadOffset);
    const second = state.recordOf(send, send.duplicatePartitionId, send.duplicateOffset);
    const promised = isPromised(send.rules, guarantee);
    judging.roots.emit(
      {
        kind: "duplicate",
        guarantee,
        message: `'${send.payload}' (${send.rules.process}) appears at ${first.topic}-${first.partition ?? "?"} offset ${send.firstReadOffset} and at ${second.topic}-${second.partition ?? "?"} offset ${send.duplicateOffset}`,
        records: [first, second],
        events: [send.invokeIndex, send.firstReadIndex, send.duplicateIndex],
        allowed: !promised || explanation.explained,
        explanation: explanation.explained || promised ? explanation.text : notPromisedBecause(send.rules.table.get(guarantee)?.reason ?? `${guarantee} is not promised`),
        configuration: configurationWords(send.rules),
      },
      [send.payload],
    );
  }
}

/** The why of a "not promised" reason, without the configuration words the anomaly carries anyway. */
function notPromisedBecause(reason: string): string {
  const colon = reason.lastIndexOf(": ");
  return colon < 0 ? reason : reason.slice(colon + 2);
}

/** D10: the acknowledged offset is where the record is read. */
function judgeAcknowledgedOffsets(judging: Judging): void {
  const state = judging.state;
  const table = state.table;
  for (let id = 0; id < table.count; id++) {
    if (table.readCount(id) <= 0 || table.ackOffset(id) < 0 || table.ackPositionRead(id)) continue;
    const send = table.view(id);
    if (send.ackTime < 0) continue;
    const explanation = judging.lossExplanation(send, send.ackPartitionId, { after: send.invokeTime, before: send.firstReadTime });
    judging.roots.emit(
      {
        kind: "ack-offset-mismatch",
        guarantee: "D10",
        message: `'${send.payload}' was acknowledged at offset ${send.ackOffset} but read at offset ${send.firstReadOffset}`,
        records: [state.recordOf(send, send.ackPartitionId, send.ackOffset), state.recordOf(send, send.firstReadPartitionId, send.firstReadOffset)],
        events: [send.invokeIndex, send.completionIndex, send.firstReadIndex],
        allowed: !isPromised(send.rules, "D10") || explanation.explained,
        explanation: explanation.text,
        configuration: configurationWords(send.rules),
      },
      [send.payload],
    );
  }
}

/** D9: one offset, two values. */
function judgeInconsistentOffsets(judging: Judging): void {
  const state = judging.state;
  for (const { partitionId, offset, first, second } of state.inconsistencies) {
    const partition = state.partitionOf(partitionId);
    const firstId = state.sendIdOf(first.payload);
    const firstSend = firstId < 0 ? undefined : state.table.view(firstId);
    // The displaced observation is the one the final log does not hold (the first, when unknown).
    const firstKept = firstSend !== undefined && firstSend.finalPartitionId === partitionId && firstSend.finalOffset === offset;
    const displaced = firstKept ? second : first;
    const displacedId = state.sendIdOf(displaced.payload);
    const displacedSend = displacedId < 0 ? undefined : state.table.view(displacedId);
    const window = { after: displaced.time, before: Math.max(first.time, second.time) };
    let explanation: Explanation = { explained: false, text: `'${displaced.payload}' was never sent` };
    if (displacedSend !== undefined) {
      explanation = displaced.fromAck ? judging.lossExplanation(displacedSend, partitionId, { ...window, after: displacedSend.invokeTime }) : judging.strongExplanation(displacedSend, partitionId, window);
    }
    const source = (observation: typeof first): string => (observation.fromAck ? "acknowledged" : "read");
    judging.roots.emit(
      {
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
        ...(displacedSend === undefined ? {} : { configuration: configurationWords(displacedSend.rules) }),
      },
      [first.payload, second.payload],
    );
  }
}

/** D5: acknowledged while fewer than min.insync.replicas replicas could have held the record. */
function judgeBelowMinIsr(judging: Judging): void {
  const state = judging.state;
  for (const candidate of state.belowMinIsrCandidates) {
    const send = state.table.view(candidate.id);
    const partition = state.partitionOf(candidate.partitionId);
    judging.roots.emit(
      {
        kind: "acknowledged-below-min-isr",
        guarantee: "D5",
        message: `'${send.payload}' was acknowledged with acks=${send.rules.producer.acks} at t=${formatTime(send.ackTime)} while at most ${candidate.copies} of ${candidate.replicas} replicas of ${partition.topic}-${partition.partition} could hold it (min.insync.replicas=${candidate.minimum})`,
        records: [state.recordOf(send, candidate.partitionId, -1)],
        events: [...candidate.faultEvents, send.invokeIndex, candidate.index],
        allowed: !isPromised(send.rules, "D5"),
        explanation: candidate.why,
        configuration: configurationWords(send.rules),
      },
      [send.payload],
    );
  }
}

/** A record at a partition other than its explicit one (D9) or murmur2's for its key (O2). */
function judgeMisplaced(judging: Judging): void {
  const state = judging.state;
  const table = state.table;
  for (const candidate of state.misplacedCandidates) {
    const send = table.view(candidate.id);
    const topic = state.topicsByIndex[send.topicIndex];
    if (topic === undefined) throw new Error("a send of an unknown topic");
    const expected = table.expectedPartitionId(candidate.id) - topic.firstPartitionId;
    const actual = candidate.partitionId - topic.firstPartitionId;
    const explicit = table.explicitPartition(candidate.id) >= 0;
    judging.roots.emit(
      {
        kind: "wrong-partition",
        guarantee: explicit ? "D9" : "O2",
        message: explicit
          ? `'${send.payload}' was sent to ${topic.name}-${expected} explicitly but sits in ${topic.name}-${actual}`
          : `key '${send.key}' of '${send.payload}' went to ${topic.name}-${actual}; murmur2 over ${topic.partitions} partitions gives ${topic.name}-${expected}`,
        records: [state.recordOf(send, candidate.partitionId, -1)],
        events: [send.invokeIndex, candidate.index],
        allowed: explicit ? false : !isPromised(send.rules, "O2"),
        configuration: configurationWords(send.rules),
      },
      [send.payload],
    );
  }
}
