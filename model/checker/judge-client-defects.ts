/**
 * Client defects, judged first: they are the root of what follows. One rule today, the defect the
 * harness found in kafkajs 2.2.4's idempotent producer (it gives sequence numbers back after a failed
 * or timed-out request, so a later batch reuses a sequence the broker already appended):
 *
 *   sequence-reuse: records X and Y of one idempotent producer; X is acknowledged at an offset where a
 *   read returns Y, Y was sent first, X is never read anywhere (the final reads looked), and the
 *   history shows Y's request going wrong: Y appended twice, Y acknowledged at another offset, or some
 *   send of that producer failing or timing out between Y's send and X's acknowledgement.
 *
 * The records sent between Y and X (the given-back request's) are the defect's too: re-sent with new
 * sequence numbers, they land late, and their order anomalies are listed as implied by it.
 *
 * A correct broker acknowledges X at Y's offset only when X's batch carries Y's producer id, epoch and
 * sequence (it takes X for Y's retry). A correct client never gives Y's sequence to other data, and a
 * retry of Y carries Y's own sequence, so Y could not be appended twice. Broker bugs look different: one
 * that acknowledges the wrong offset still appends X (X is read), one that ignores sequences duplicates
 * without hiding X. The rule names the client from the history header; it cannot see sequence numbers,
 * which is why it asks for all of these together.
 */
import type { ClientDefect } from "../verdict.js";
import type { Inconsistency } from "./state.js";
import { SendStatus } from "./records.js";
import { formatTime } from "./fault-timeline.js";
import { configurationWords, type Judging } from "./judging.js";

/** Bound on the in-flight records one defect is the root of (a producer has at most 5 requests in flight). */
const maxInFlightSubjects = 1_000;

export function judgeClientDefects(judging: Judging): void {
  const state = judging.state;
  if (!state.hasFinalReads || state.inconsistencies.length === 0) return;
  const header = state.history.header;
  const client = header.client === undefined ? "unknown client" : `${header.client.name} ${header.client.version}`;
  const errorTimes = new Map<string, number[]>();
  for (const inconsistency of state.inconsistencies) {
    const defect = sequenceReuse(judging, inconsistency, client, errorTimes);
    if (defect !== null) judging.roots.emitClientDefect(defect.defect, defect.subjects);
  }
}

function sequenceReuse(judging: Judging, inconsistency: Inconsistency, client: string, errorTimes: Map<string, number[]>): { defect: ClientDefect; subjects: string[] } | null {
  const state = judging.state;
  const table = state.table;
  const { first, second, offset, partitionId } = inconsistency;
  // X: acknowledged here, never read. Y: the record a read found here.
  const [acknowledged, read] = first.fromAck && !second.fromAck ? [first, second] : second.fromAck && !first.fromAck ? [second, first] : first.fromAck ? [second, first] : [null, null];
  if (acknowledged === null || read === null) return null;
  const xId = state.sendIdOf(acknowledged.payload);
  const yId = state.sendIdOf(read.payload);
  if (xId < 0 || yId < 0 || xId === yId) return null;
  const x = table.view(xId);
  const y = table.view(yId);
  if (x.rules.process !== y.rules.process || !x.rules.producer.idempotence) return null;
  if (x.status !== SendStatus.Ok || x.readCount > 0 || y.readCount === 0) return null;
  if (y.invokeIndex > x.invokeIndex) return null;
  const yReadHere = (y.firstReadPartitionId === partitionId && y.firstReadOffset === offset) || (y.finalPartitionId === partitionId && y.finalOffset === offset) || (y.duplicatePartitionId === partitionId && y.duplicateOffset === offset);
  if (!yReadHere) return null;
  const evidence: string[] = [];
  const events = [y.invokeIndex, x.invokeIndex, x.completionIndex, read.index];
  if (y.duplicateIndex >= 0) {
    evidence.push(`'${y.payload}' was appended twice (offsets ${y.firstReadOffset} and ${y.duplicateOffset})`);
    events.push(y.duplicateIndex);
  } else if (y.status === SendStatus.Ok && y.ackOffset >= 0 && (y.ackPartitionId !== partitionId || y.ackOffset !== offset)) {
    evidence.push(`'${y.payload}' was acknowledged at offset ${y.ackOffset}, not here`);
    events.push(y.completionIndex);
  }
  const failed = failureBetween(judging, errorTimes, x.rules.process, y.invokeTime, x.ackTime);
  if (failed >= 0) {
    evidence.push(`a send of ${x.rules.process} failed or timed out at t=${formatTime(table.timeOf(failed))} (${table.error.get(state.pairing.sendOf[failed] ?? -1) ?? "no error name"})`);
    events.push(failed);
  }
  if (evidence.length === 0) return null;
  const partition = state.partitionOf(partitionId);
  // The records the producer sent between Y and X went out in the request that was given back: when
  // they land late (re-sent with new sequence numbers), that is the same defect, not Kafka's reorder.
  const inFlight: string[] = [];
  for (let id = yId + 1; id < xId && inFlight.length < maxInFlightSubjects; id++) {
    if (table.rulesOf(id).process === x.rules.process && table.view(id).partitionId === partitionId) inFlight.push(table.payload[id] as string);
  }
  return {
    subjects: [x.payload, y.payload, ...inFlight],
    defect: {
      kind: "sequence-reuse",
      guarantee: "D3",
      client,
      message: `${client}: '${x.payload}' of ${x.rules.process} was acknowledged at ${partition.topic}-${partition.partition} offset ${offset}, which holds its earlier '${y.payload}', and was never written: the broker took it for a retry of '${y.payload}' (a reused sequence number); ${evidence.join("; ")}`,
      records: [state.recordOf(x, partitionId, offset), state.recordOf(y, partitionId, offset)],
      events: [...new Set(events)].sort((left, right) => left - right),
      allowed: false,
      configuration: configurationWords(x.rules),
    },
  };
}

/** The first completion (index) of a failed or indefinite send of `process` in the window, or -1. */
function failureBetween(judging: Judging, cache: Map<string, number[]>, process: string, after: number, before: number): number {
  let failures = cache.get(process);
  if (failures === undefined) {
    failures = [];
    const table = judging.state.table;
    for (let id = 0; id < table.count; id++) {
      const status = table.status(id);
      if ((status === SendStatus.Fail || status === SendStatus.Info) && table.rulesOf(id).process === process) failures.push(table.completionIndex(id));
    }
    cache.set(process, failures);
  }
  // Completions are in history order, so their times only grow: the first at or after `after`.
  const table = judging.state.table;
  let low = 0;
  let high = failures.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (table.timeOf(failures[middle] as number) < after) low = middle + 1;
    else high = middle;
  }
  const found = failures[low];
  return found !== undefined && table.timeOf(found) <= before ? found : -1;
}
