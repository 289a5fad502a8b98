/**
 * What a transaction history must show, read from the events alone (no model): the number of
 * successful commits and aborts, read_committed readers (during the workload and in the finale) never
 * returning a record of a transaction that did not commit, and each partition of the final
 * read_uncommitted read having at least as many offset gaps as transactions that ended on it (T4:
 * markers take offsets). `committedAfterFailedSend` lists the sends that failed (fail/info) inside a
 * transaction that then committed: Kafka's Java client never does that, kafkajs does. Shared by the Kafka and the engine tests of chaos/suites/transaction-suite.ts.
 */
import type { EndOffsetsValue, History, HistoryEvent, PollValue, SendValue } from "../../model/index.js";

export interface ExpectedEnds {
  readonly commits: number;
  readonly aborts: number;
}

export function transactionEventProblems(history: History, expected: ExpectedEnds): string[] {
  const problems: string[] = [];
  const events = history.events;
  const count = (f: string, type: string): number => events.filter((event) => event.f === f && event.type === type).length;
  if (count("txn-commit", "ok") !== expected.commits) problems.push(`txn-commit ok: ${count("txn-commit", "ok")}, expected ${expected.commits}`);
  if (count("txn-abort", "ok") !== expected.aborts) problems.push(`txn-abort ok: ${count("txn-abort", "ok")}, expected ${expected.aborts}`);

  // Which values each transaction sent, and whether it committed (by process, between begin and end).
  const committed = new Set<string>();
  const uncommitted = new Set<string>();
  const endedOn = new Map<string, number>();
  const open = new Map<string, { values: string[]; partitions: Set<string> }>();
  const sentPartition = new Map<string, string>();
  for (const event of events) {
    if (event.f === "send" && event.type === "ok") {
      const value = event.value as SendValue;
      if (value.partition !== undefined) sentPartition.set(value.value, `${value.topic}/${value.partition}`);
    }
  }
  const endOf = new Map<number, HistoryEvent>();
  const pendingEnds = new Map<string, HistoryEvent[]>();
  for (const event of events) {
    if (event.f !== "txn-commit" && event.f !== "txn-abort") continue;
    if (event.type === "invoke") pendingEnds.set(event.process, [...(pendingEnds.get(event.process) ?? []), event]);
    else {
      const invoke = pendingEnds.get(event.process)?.shift();
      if (invoke !== undefined) endOf.set(invoke.index, event);
    }
  }
  for (const event of events) {
    if (event.f === "txn-begin" && event.type === "ok") open.set(event.process, { values: [], partitions: new Set() });
    else if (event.f === "send" && event.type === "invoke" && open.has(event.process)) {
      const value = (event.value as SendValue).value;
      open.get(event.process)?.values.push(value);
    } else if ((event.f === "txn-commit" || event.f === "txn-abort") && event.type === "invoke") {
      const transaction = open.get(event.process);
      open.delete(event.process);
      if (transaction === undefined) continue;
      const end = endOf.get(event.index);
      const didCommit = event.f === "txn-commit" && end?.type === "ok";
      const certainlyNot = event.f === "txn-abort" || end?.type === "fail";
      for (const value of transaction.values) {
        if (didCommit) committed.add(value);
        else if (certainlyNot) uncommitted.add(value);
        const partition = sentPartition.get(value);
        if (partition !== undefined) transaction.partitions.add(partition);
      }
      if (end?.type === "ok") for (const partition of transaction.partitions) endedOn.set(partition, (endedOn.get(partition) ?? 0) + 1);
    }
  }
  for (const value of uncommitted) committed.delete(value);

  const committedReaders = new Set(Object.entries(history.header.clients).filter(([, client]) => client.config["isolation.level"] === "read_committed").map(([id]) => id));
  const offsetsByPartition = new Map<string, number[]>();
  for (const event of events) {
    if (event.f !== "poll" || event.type !== "ok") continue;
    for (const record of (event.value as PollValue).records ?? []) {
      if (committedReaders.has(event.process) && uncommitted.has(record.value)) problems.push(`${event.process} read '${record.value}' of a transaction that did not commit (event ${event.index})`);
      if (event.process === "final-reader") {
        const key = `${record.topic}/${record.partition}`;
        offsetsByPartition.set(key, [...(offsetsByPartition.get(key) ?? []), record.offset]);
      }
    }
  }
  const committedRead = new Set(events.filter((event) => event.process === "final-committed-reader" && event.f === "poll" && event.type === "ok").flatMap((event) => ((event.value as PollValue).records ?? []).map((record) => record.value)));
  // Only sends acknowledged inside a committed transaction must be there: kafkajs commits a transaction
  // after one of its sends failed (the Java client refuses), and that send's record may be missing.
  for (const value of committed) if (sentPartition.has(value) && !committedRead.has(value)) problems.push(`committed '${value}' missing from the final committed read`);

  const ends = events.find((event) => event.process === "final-reader" && event.f === "end-offsets" && event.type === "ok")?.value as EndOffsetsValue | undefined;
  for (const [partition, ended] of endedOn) {
    const entry = ends?.offsets.find((candidate) => `${candidate.topic}/${candidate.partition}` === partition);
    if (entry === undefined) {
      problems.push(`${partition}: no end offset recorded by the final reader`);
      continue;
    }
    const records = offsetsByPartition.get(partition)?.length ?? 0;
    const withoutRecord = entry.endOffset - entry.startOffset - records;
    if (withoutRecord < ended) problems.push(`${partition}: ${withoutRecord} offsets without a record below the end offset ${entry.endOffset}, ${ended} transactions ended there: markers must take offsets`);
  }
  return problems;
}

/** Values sent with a fail/info outcome inside a transaction whose commit then succeeded (the client's behaviour, not Kafka's). */
export function committedAfterFailedSend(history: History): string[] {
  const found: string[] = [];
  const failed = new Map<string, string[]>();
  const openValues = new Map<number, string>();
  for (const event of history.events) {
    if (event.f === "txn-begin" && event.type === "ok") failed.set(event.process, []);
    if (event.f === "send" && event.type === "invoke") openValues.set(event.index, (event.value as SendValue).value);
    if (event.f === "send" && (event.type === "fail" || event.type === "info")) failed.get(event.process)?.push((event.value as SendValue).value);
    if (event.f === "txn-commit" && event.type === "ok") found.push(...(failed.get(event.process) ?? []));
    if ((event.f === "txn-commit" || event.f === "txn-abort") && event.type !== "invoke") failed.delete(event.process);
  }
  return found;
}
