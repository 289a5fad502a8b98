/**
 * The finale's reads (process `final-reader`): after every link healed and every node runs again, read
 * every partition from its log start to its end offset (read_uncommitted: everything replicated below
 * the high watermark). Harness-side: attempts retry with p-retry, each bounded in time. A partition
 * whose end could not be reached is recorded as `info` with what was read, never as a complete read.
 */
import pRetry from "p-retry";
import type { Kafka } from "kafkajs";
import type { EndOffsetsValue, PollValue, ReadRecord } from "../../model/index.js";
import type { HarnessAdmin, PartitionOffsets } from "./harness-admin.js";
import { PartitionReader } from "./partition-reader.js";
import type { HistoryRecorder } from "../protocol/recorder.js";
import { finalCommittedReaderProcess, finalReaderProcess } from "../protocol/processes.js";

/** Which of the finale's readers: the D rules' (read_uncommitted, records end-offsets) or the T rules' (read_committed). */
export interface FinalReader {
  readonly process: string;
  readonly readUncommitted: boolean;
  readonly recordsEndOffsets: boolean;
}

export const uncommittedFinalReader: FinalReader = { process: finalReaderProcess, readUncommitted: true, recordsEndOffsets: true };
/** Its position passes markers and aborted records (kafkajs's lastOffset counts them), so it reaches the end offsets too. */
export const committedFinalReader: FinalReader = { process: finalCommittedReaderProcess, readUncommitted: false, recordsEndOffsets: false };


export interface FinalReadTopic {
  readonly name: string;
  readonly physical: string;
  readonly partitions: number;
}

export interface FinalReadOptions {
  readonly kafka: Kafka;
  readonly admin: HarnessAdmin;
  readonly recorder: HistoryRecorder;
  readonly topics: readonly FinalReadTopic[];
  readonly runTag: string;
  /** Bound on one attempt, ms. */
  readonly attemptMs: number;
  readonly attempts: number;
  readonly signal?: AbortSignal;
  readonly reader: FinalReader;
}

interface ReadOutcome {
  readonly records: Map<string, ReadRecord[]>;
  readonly complete: Set<string>;
}

function key(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

async function readOnce(options: FinalReadOptions, ends: Map<string, PartitionOffsets & { topic: FinalReadTopic }>, attempt: number): Promise<ReadOutcome> {
  const byPhysical = new Map(options.topics.map((topic) => [topic.physical, topic.name]));
  const reader = new PartitionReader({
    kafka: options.kafka,
    groupId: `${options.reader.process}-${options.runTag}-${attempt}`,
    readUncommitted: options.reader.readUncommitted,
    fromBeginning: true,
    scenarioTopic: (physical) => byPhysical.get(physical) ?? physical,
  });
  const records = new Map<string, ReadRecord[]>();
  const complete = new Set<string>();
  const isComplete = (entry: PartitionOffsets & { topic: FinalReadTopic }): boolean => {
    if (entry.endOffset <= entry.startOffset) return true;
    const position = reader.position(entry.topic.physical, entry.partition);
    return position !== undefined && position >= entry.endOffset;
  };
  try {
    await reader.assign([...ends.values()].map((entry) => ({ topic: entry.topic.physical, partition: entry.partition })));
    const deadline = performance.now() + options.attemptMs;
    const maximumRounds = Math.ceil(options.attemptMs / 100) + 1;
    for (let round = 0; round < maximumRounds; round += 1) {
      for (const record of reader.drain(Number.MAX_SAFE_INTEGER)) {
        const list = records.get(key(record.topic, record.partition)) ?? [];
        list.push(record);
        records.set(key(record.topic, record.partition), list);
      }
      for (const [name, entry] of ends) if (isComplete(entry)) complete.add(name);
      if (complete.size === ends.size || performance.now() >= deadline) break;
      if (options.signal?.aborted) throw new Error("aborted");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await reader.close();
  }
  return { records, complete };
}

export async function finalRead(options: FinalReadOptions): Promise<{ complete: boolean; records: number }> {
  const { recorder, reader } = options;
  const offsetsOperation = reader.recordsEndOffsets ? recorder.invoke(reader.process, "end-offsets", {}) : null;
  const ends = new Map<string, PartitionOffsets & { topic: FinalReadTopic }>();
  const reported: EndOffsetsValue["offsets"][number][] = [];
  try {
    for (const topic of options.topics) {
      for (const entry of await options.admin.offsets(topic.physical)) {
        ends.set(key(topic.name, entry.partition), { ...entry, topic });
        reported.push({ topic: topic.name, partition: entry.partition, startOffset: entry.startOffset, endOffset: entry.endOffset });
      }
    }
    offsetsOperation?.complete("ok", { offsets: reported } satisfies EndOffsetsValue);
  } catch (error) {
    offsetsOperation?.complete("info", { offsets: reported } satisfies EndOffsetsValue, error instanceof Error ? error.name : "UNKNOWN_ERROR");
    return { complete: false, records: 0 };
  }

  let best: ReadOutcome = { records: new Map(), complete: new Set() };
  let attempt = 0;
  await pRetry(
    async () => {
      attempt += 1;
      const outcome = await readOnce(options, ends, attempt);
      if (outcome.complete.size >= best.complete.size) best = outcome;
      if (outcome.complete.size < ends.size) throw new Error(`final read reached the end of ${outcome.complete.size} of ${ends.size} partitions`);
    },
    { retries: options.attempts - 1, minTimeout: 500, maxTimeout: 2000, signal: options.signal },
  ).catch(() => undefined);

  let total = 0;
  for (const [name, entry] of ends) {
    const operation = recorder.invoke(reader.process, "poll", { final: true } satisfies PollValue);
    const records = (best.records.get(name) ?? []).sort((a, b) => a.offset - b.offset);
    total += records.length;
    const value: PollValue = { records, final: true };
    if (best.complete.has(name)) operation.complete("ok", value);
    else operation.complete("info", value, `FINAL_READ_INCOMPLETE below end offset ${entry.endOffset}`);
  }
  return { complete: best.complete.size === ends.size, records: total };
}
