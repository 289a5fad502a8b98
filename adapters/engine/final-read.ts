/**
 * The final reads after the cluster healed: process `final-reader` records the end offsets, assigns
 * every partition, seeks each to its log start, and polls (value `{final: true}`) until every
 * partition's end offset is reached. Bounded in polls and in simulated time: a partition that stays
 * offline or a reader that stops making progress ends the reads, and the checker sees what was read.
 *
 * With transactions a second reader, `final-committed-reader` (read_committed), reads the same way for
 * the T rules. It cannot go by the end offsets alone: the last offsets of a partition may be markers or
 * aborted records it never returns, so it also stops after a run of empty polls (nothing is written
 * any more at this point, so an empty poll means it has read what it ever will).
 */
import type { EndOffsetsValue, TopicPartition } from "../../model/index.js";
import type { Simulation } from "../../engine/api.js";
import type { TopicSpec } from "../../chaos/scenario.js";
import type { ClientDriver } from "./clients.js";
import type { HistoryRecorder } from "../protocol/recorder.js";
import { finalCommittedReaderProcess, finalReaderProcess } from "../protocol/processes.js";

export interface FinalReader {
  readonly process: string;
  /** Stop after this many empty polls in a row (0: only when every end offset was reached). */
  readonly idlePollsToStop: number;
  /** Whether it records `end-offsets` (only the D rules' final reader does: the model reads one set). */
  readonly recordsEndOffsets: boolean;
}

export const uncommittedFinalReader: FinalReader = { process: finalReaderProcess, idlePollsToStop: 0, recordsEndOffsets: true };
export const committedFinalReader: FinalReader = { process: finalCommittedReaderProcess, idlePollsToStop: 5, recordsEndOffsets: false };


export interface FinalReadBounds {
  /** Simulated ms to wait for every partition to report offsets (an elected leader). */
  readonly offsetsWaitMs: number;
  readonly maxPolls: number;
  /** Simulated ms one poll may take before the reader gives up on it. */
  readonly pollWaitMs: number;
}

export const defaultFinalReadBounds: FinalReadBounds = { offsetsWaitMs: 30_000, maxPolls: 2_000, pollWaitMs: 10_000 };

type Offsets = EndOffsetsValue["offsets"][number];

function readOffsets(simulation: Simulation, topics: readonly TopicSpec[]): { offsets: Offsets[]; offline: TopicPartition[] } {
  const offsets: Offsets[] = [];
  const offline: TopicPartition[] = [];
  for (const topic of topics) {
    const reported = simulation.endOffsets(topic.name);
    for (let partition = 0; partition < topic.partitions; partition++) {
      const entry = reported[partition];
      if (entry === null || entry === undefined) offline.push({ topic: topic.name, partition });
      else offsets.push({ topic: topic.name, partition, startOffset: entry.startOffset, endOffset: entry.endOffset });
    }
  }
  return { offsets, offline };
}

export function finalRead(
  simulation: Simulation,
  recorder: HistoryRecorder,
  driver: ClientDriver,
  topics: readonly TopicSpec[],
  consumerConfig: Readonly<Record<string, string | number | boolean>>,
  bounds: FinalReadBounds = defaultFinalReadBounds,
  reader: FinalReader = uncommittedFinalReader,
): void {
  const process = reader.process;
  simulation.runUntilCondition(() => readOffsets(simulation, topics).offline.length === 0, bounds.offsetsWaitMs);
  const { offsets, offline } = readOffsets(simulation, topics);
  if (reader.recordsEndOffsets) {
    const operation = recorder.invoke(process, "end-offsets");
    const value: EndOffsetsValue = { offsets };
    if (offline.length === 0) operation.complete("ok", value);
    else operation.complete("info", value, "LEADER_NOT_AVAILABLE");
  }

  const consumer = simulation.consumer(process, consumerConfig);
  driver.addConsumer(process, consumer);
  const partitions = offsets.map(({ topic, partition }) => ({ topic, partition }));
  driver.apply({ at: 0, op: "assign", client: process, partitions });
  const position = new Map<string, number>();
  const keyOf = (topic: string, partition: number): string => `${topic}/${partition}`;
  for (const entry of offsets) {
    driver.apply({ at: 0, op: "seek", client: process, topic: entry.topic, partition: entry.partition, offset: entry.startOffset });
    position.set(keyOf(entry.topic, entry.partition), entry.startOffset);
  }
  const done = (): boolean => offsets.every((entry) => (position.get(keyOf(entry.topic, entry.partition)) ?? 0) >= entry.endOffset);

  let idlePolls = 0;
  for (let poll = 0; poll < bounds.maxPolls && !done(); poll++) {
    if (reader.idlePollsToStop > 0 && idlePolls >= reader.idlePollsToStop) break;
    idlePolls++;
    const started = driver.poll(process, true, (records) => {
      if (records.length > 0) idlePolls = 0;
      for (const record of records) {
        const key = keyOf(record.topic, record.partition);
        position.set(key, Math.max(position.get(key) ?? 0, record.offset + 1));
      }
    });
    // The reader polls serially; a refused start means the previous poll is still out: wait for it.
    const waited = simulation.runUntilCondition(() => driver.outstandingCount === 0, bounds.pollWaitMs);
    if (!started || !waited) break;
  }
}
