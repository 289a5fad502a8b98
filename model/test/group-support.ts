/** Hand-made consumer-group histories: topic `t`, producer-0, group consumers, the final reader. */
import type { ClientDescription, CommitMode, ConfigMap } from "../index.js";
import { HistoryBuilder, groupConsumer, record } from "../simulate/builder.js";
import type { GroupMember } from "../simulate/group-member.js";

export interface GroupSetup {
  readonly partitions?: number;
  /** Group consumers by id: group, commit mode, extra configuration (auto.offset.reset=earliest unless said). */
  readonly consumers: Readonly<Record<string, { readonly group: string; readonly mode: CommitMode; readonly config?: ConfigMap }>>;
  readonly broker?: ConfigMap;
  readonly topic?: ConfigMap;
}

export function groupSetup(options: GroupSetup): HistoryBuilder {
  const clients: Record<string, ClientDescription> = { "producer-0": { role: "producer", config: {} }, "final-reader": { role: "reader", config: {} } };
  for (const [id, consumer] of Object.entries(options.consumers)) clients[id] = groupConsumer(consumer.group, consumer.mode, { "auto.offset.reset": "earliest", ...consumer.config });
  return new HistoryBuilder({
    broker: options.broker ?? {},
    topics: [{ name: "t", partitions: options.partitions ?? 1, replicationFactor: 3, config: options.topic ?? { "min.insync.replicas": 2 } }],
    clients,
  });
}

/** producer-0 sends `count` records to partition `partition`, acknowledged at offsets from `from`; values `p<partition>-<offset>`. */
export function produce(builder: HistoryBuilder, count: number, partition = 0, from = 0): void {
  for (let offset = from; offset < from + count; offset++) builder.send("producer-0", "t", null, `p${partition}-${offset}`, { partition, offset });
}

/** The final reads of every partition: every acknowledged record from offset 0 to `ends[p]`. */
export function finalReads(builder: HistoryBuilder, ends: readonly number[]): void {
  const records = ends.flatMap((end, partition) => Array.from({ length: end }, (_, offset) => builder.recordAt("t", partition, offset)));
  builder.poll("final-reader", records, true);
  builder.endOffsets(ends.map((end, partition) => ({ topic: "t", partition, startOffset: 0, endOffset: end })));
}

/** A member reads and processes offsets [from, to) of one partition, then commits `to` (sync-after-processing's loop). */
export function consume(member: GroupMember, partition: number, from: number, to: number, commit: "ok" | "fail" | "info" | "none" = "ok", mode: "sync" | "async" = "sync"): void {
  const offsets = Array.from({ length: to - from }, (_, index) => from + index);
  member.poll(partition, offsets);
  member.process(partition, offsets);
  if (commit !== "none") member.commit({ [partition]: to }, commit, mode);
}

export { record };
