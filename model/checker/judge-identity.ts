/**
 * Record identity (D9), judged before losses: a read must return what some send wrote, after it was
 * sent, in the topic it was sent to, with its key; and a send that definitely failed (D5's refusal, or
 * any other `fail`) must never be read. A read that breaks identity explains what follows for that
 * record (it may then look lost or duplicated), so these come first.
 */
import { formatTime } from "./fault-timeline.js";
import { SendStatus } from "./records.js";
import { configurationWords, type Judging } from "./judging.js";

export function judgeIdentity(judging: Judging): void {
  const state = judging.state;
  const roots = judging.roots;
  for (const candidate of state.phantomCandidates) {
    const partition = state.partitionOf(candidate.partitionId);
    const where = `${partition.topic}-${partition.partition} offset ${candidate.offset}`;
    const record = { topic: partition.topic, partition: partition.partition, offset: candidate.offset, value: candidate.payload };
    const sendId = state.pairing.sendByPayload.get(candidate.payload);
    if (sendId >= 0) {
      // The send exists, but its invocation comes after this read completed: a value from the future.
      judging.counts.futureReads++;
      const invokeIndex = state.pairing.invokeOfSend[sendId] as number;
      const readTime = state.table.timeOf(candidate.index);
      roots.emit(
        {
          kind: "future-read",
          guarantee: "D9",
          message: `'${candidate.payload}' was read at ${where} (event ${candidate.index}, t=${formatTime(readTime)}) before it was sent (event ${invokeIndex}, t=${formatTime(state.table.timeOf(invokeIndex))})`,
          records: [record],
          events: [candidate.index, invokeIndex],
          allowed: false,
        },
        [candidate.payload],
      );
      continue;
    }
    judging.counts.phantomReads++;
    roots.emit({ kind: "phantom-read", guarantee: "D9", message: `'${candidate.payload}' was read at ${where} but was never sent`, records: [record], events: [candidate.index], allowed: false }, [candidate.payload]);
  }
  for (const candidate of state.identityCandidates) {
    const send = state.table.view(candidate.id);
    const read = candidate.record;
    const sentTopic = send.rules.topic;
    const message =
      candidate.kind === "wrong-topic"
        ? `'${send.payload}' was sent to topic '${sentTopic}' but read from ${read.topic}-${read.partition} offset ${read.offset}`
        : `'${send.payload}' was sent with key ${JSON.stringify(send.key)} but read at ${read.topic}-${read.partition} offset ${read.offset} with key ${JSON.stringify(read.key)}`;
    roots.emit(
      {
        kind: candidate.kind,
        guarantee: "D9",
        message,
        records: [state.recordOf(send, -1, -1), { topic: read.topic, partition: read.partition, offset: read.offset, key: read.key, value: read.value }],
        events: [send.invokeIndex, candidate.index],
        allowed: false,
        configuration: configurationWords(send.rules),
      },
      [send.payload],
    );
  }
  judgeFailedButRead(judging);
}

/** D5: a definitely failed send must never be read (NOT_ENOUGH_REPLICAS means nothing was appended). */
function judgeFailedButRead(judging: Judging): void {
  const state = judging.state;
  const table = state.table;
  for (let id = 0; id < table.count; id++) {
    if (table.status(id) !== SendStatus.Fail) continue;
    const rules = table.rulesOf(id);
    if (state.hasFinalReads) judging.evidenceOf(rules).refusedJudged++;
    if (table.readCount(id) <= 0) continue;
    const send = table.view(id);
    const refused = send.error === "NOT_ENOUGH_REPLICAS";
    judging.roots.emit(
      {
        kind: refused ? "refused-write-appended" : "aborted-read",
        guarantee: "D5",
        message: `'${send.payload}' failed${send.error === undefined ? "" : ` with ${send.error}`} (nothing appended) yet was read at offset ${send.firstReadOffset}`,
        records: [state.recordOf(send, send.firstReadPartitionId, send.firstReadOffset)],
        events: [send.invokeIndex, send.completionIndex, send.firstReadIndex],
        allowed: false,
        configuration: configurationWords(rules),
      },
      [send.payload],
    );
  }
}
