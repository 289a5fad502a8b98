/**
 * Which guarantees of the catalogue a configuration promises, and which it explicitly does not, with
 * the reason in configuration terms. The checker asks this per producer and topic, so every record is
 * judged by ITS producer's, topic's and broker's configuration. model/README.md's table is tested
 * against this function.
 */
import type { CommitMode, ConfigMap } from "../history/event.js";
import type { GuaranteeId } from "../verdict.js";
import { guaranteeCatalogue } from "../catalogue.js";
import { effectiveConsumer, effectiveProducer, effectiveTopic, type EffectiveConsumer, type EffectiveProducer, type EffectiveTopic } from "./effective.js";

export interface GuaranteeConfiguration {
  readonly kafkaVersion?: string;
  readonly broker?: ConfigMap;
  readonly topic: { readonly partitions: number; readonly replicationFactor: number; readonly config: ConfigMap };
  readonly producer?: ConfigMap;
  readonly consumer?: ConfigMap;
  /** The consumer's commit mode (a group consumer's header `commitMode`). */
  readonly commitMode?: CommitMode;
}

export interface PromiseEntry {
  readonly id: GuaranteeId;
  readonly reason: string;
}

export interface Promises {
  readonly promised: readonly PromiseEntry[];
  readonly notPromised: readonly PromiseEntry[];
}

export interface GuaranteePromise {
  readonly promised: boolean;
  readonly reason: string;
}

const yes = (reason: string): GuaranteePromise => ({ promised: true, reason });
const no = (reason: string): GuaranteePromise => ({ promised: false, reason });

/** The rule per guarantee, on effective settings. Consumer settings matter only for groups (C*). */
export function promiseTable(producer: EffectiveProducer, topic: EffectiveTopic, consumer: EffectiveConsumer | null): ReadonlyMap<GuaranteeId, GuaranteePromise> {
  const table = new Map<GuaranteeId, GuaranteePromise>();
  const acks = `acks=${producer.acks}`;
  const atMostOnce = producer.acks === "0" || (producer.retries === 0 && !producer.idempotence);
  table.set("D1", atMostOnce ? yes(producer.acks === "0" ? "acks=0: a record is sent once, never retried" : "retries=0 without idempotence: never retried") : no(`${acks}, retries=${producer.retries}${producer.idempotence ? ", idempotent" : ""}: retries may duplicate, so D1 is not promised`));

  const d2Missing: string[] = [];
  if (producer.acks !== "all") d2Missing.push(acks);
  if (topic.replicationFactor < 2) d2Missing.push(`replication factor ${topic.replicationFactor}`);
  if (topic.minInsyncReplicas < 2) d2Missing.push(`min.insync.replicas=${topic.minInsyncReplicas}`);
  if (topic.uncleanElection) d2Missing.push("unclean.leader.election.enable=true");
  if (producer.retries === 0) d2Missing.push("retries=0");
  table.set("D2", d2Missing.length === 0 ? yes(`acks=all, RF=${topic.replicationFactor}, min.insync.replicas=${topic.minInsyncReplicas}, clean elections, retries>0`) : no(`${d2Missing.join(", ")}: D2 needs acks=all, RF>=2, min.insync.replicas>=2, clean elections, retries>0${producer.acks === "1" ? " (acks=1 promises D4's bounded loss)" : ""}`));

  table.set("D3", producer.idempotence ? yes("enable.idempotence=true: no duplicates within a producer session") : no(`idempotence off (${acks}, retries=${producer.retries}, max.in.flight=${producer.maxInFlight})`));
  table.set("D4", producer.acks === "1" ? yes("acks=1: acknowledged records may be lost only when the leader fails before followers fetched them") : no(`${acks}: the acks=1 window does not apply`));
  table.set("D5", producer.acks === "all" ? yes(`acks=all: a produce below min.insync.replicas=${topic.minInsyncReplicas} is refused and appends nothing`) : no(`${acks}: min.insync.replicas is not consulted`));
  table.set("D6", yes("any configuration: a record read below the high watermark is never lost without an unclean election"));
  table.set("D7", producer.acks === "all" ? yes(topic.uncleanElection ? "acks=all with unclean elections: every loss must follow an unclean election" : "acks=all with clean elections: no acknowledged record is lost") : no(`${acks}: losses are bounded by D4/D1 instead`));
  table.set("D8", producer.acks === "all" ? yes("acks=all: a deposed leader cannot acknowledge, so no acknowledged record is lost across a leader change") : no(`${acks}: writes to a deposed leader may be acknowledged and lost`));
  table.set("D9", yes(topic.uncleanElection ? "each offset holds one record, except after an unclean election" : "each offset holds one record"));
  table.set("D10", producer.acks === "0" ? no("acks=0: no offset is acknowledged") : yes(`${acks}: the acknowledged offset is where the record is read`));
  table.set("O1", yes("any configuration: a consumer reads a partition in offset order"));
  table.set("O2", producer.keyHashing ? yes(`built-in partitioner: murmur2(key) % ${topic.partitions}`) : no("a custom partitioner or partitioner.ignore.keys=true"));
  const ordered = producer.idempotence || producer.maxInFlight === 1 || producer.retries === 0;
  table.set("O3", ordered ? yes(producer.idempotence ? "idempotence keeps per-partition order" : producer.maxInFlight === 1 ? "max.in.flight.requests.per.connection=1" : "retries=0: nothing is retried out of order") : no(`max.in.flight=${producer.maxInFlight}, retries>0, no idempotence: retries may reorder`));
  table.set("O4", no("a non-promise: Kafka orders nothing across partitions, and no rule of this model compares offsets of different partitions"));

  for (const [id, promise] of transactionPromiseTable(producer, consumer)) table.set(id, promise);
  for (const [id, promise] of groupPromiseTable(consumer)) table.set(id, promise);
  table.set("L1", topic.cleanupPolicy.includes("delete") ? yes(`cleanup.policy=${topic.cleanupPolicy}`) : no(`cleanup.policy=${topic.cleanupPolicy}`));
  table.set("L2", topic.cleanupPolicy.includes("compact") ? yes(`cleanup.policy=${topic.cleanupPolicy}`) : no(`cleanup.policy=${topic.cleanupPolicy}`));
  table.set("L3", yes("partitions can be added, never removed"));
  return table;
}

/**
 * T1-T6 for a producer and the reader of its records: a transactional producer is promised markers
 * (T4), fencing (T6) and, with a consumer-transform-producer loop, T5; atomicity (T1), aborted records
 * unseen (T2) and nothing past the last stable offset (T3) are promises to a read_committed reader. A
 * read_uncommitted one (Kafka's default) returns records of open and aborted transactions: what it
 * observes there is allowed behaviour.
 */
export function transactionPromiseTable(producer: EffectiveProducer, consumer: EffectiveConsumer | null): ReadonlyMap<GuaranteeId, GuaranteePromise> {
  const table = new Map<GuaranteeId, GuaranteePromise>();
  const id = producer.transactionalId;
  if (id === null) {
    for (const guarantee of ["T1", "T2", "T3", "T4", "T5", "T6"] as const) table.set(guarantee, no("no transactional.id"));
    return table;
  }
  const transactional = `transactional.id=${id}`;
  const committed = consumer?.isolationLevel === "read_committed";
  const reader = consumer === null ? "no reader" : `isolation.level=${consumer.isolationLevel}`;
  table.set("T1", committed ? yes(`${transactional}, isolation.level=read_committed: a committed transaction is visible whole`) : no(`${transactional}, ${reader}: atomicity is promised to read_committed readers`));
  table.set("T2", committed ? yes(`${transactional}, isolation.level=read_committed: records of aborted transactions are never returned`) : no(`${transactional}, ${reader}: read_uncommitted returns aborted records`));
  table.set("T3", committed ? yes(`${transactional}, isolation.level=read_committed: nothing past the last stable offset is returned`) : no(`${transactional}, ${reader}: read_uncommitted reads past the last stable offset`));
  table.set("T4", yes(`${transactional}: every transaction's marker takes an offset of each of its partitions`));
  table.set("T5", yes(transactional));
  table.set("T6", yes(`${transactional}: a producer session fenced by a later txn-init of its id cannot commit`));
  return table;
}

/**
 * C1-C8 for one consumer: the group rules are promised to every group member; processing (C4) and
 * regression (C6) depend on its commit mode (event.ts), auto commit's bounds (C5) on auto commit.
 */
export function groupPromiseTable(consumer: EffectiveConsumer | null): ReadonlyMap<GuaranteeId, GuaranteePromise> {
  const table = new Map<GuaranteeId, GuaranteePromise>();
  if (consumer === null || consumer.groupId === null) {
    for (const id of ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"] as const) table.set(id, no("no consumer group"));
    return table;
  }
  const group = `group.id=${consumer.groupId}`;
  table.set("C1", yes(`${group}: one owner per partition in each generation`));
  table.set("C2", yes(`${group}: every subscribed partition has an owner after a rebalance`));
  table.set("C3", yes(`${group}: a new owner resumes at the committed offset, else auto.offset.reset=${consumer.autoOffsetReset}`));
  table.set("C7", yes(`${group}: its committed offsets are its own`));
  table.set("C8", yes(`${group}: the assignor's documented assignment`));
  const mode = consumer.commitMode;
  const modeWords = `commitMode=${mode ?? "unknown"}`;
  switch (mode) {
    case "sync-after-processing":
    case "async-after-processing":
      table.set("C4", yes(`${modeWords}: commits follow processing, so no record is skipped (at-least-once processing)`));
      break;
    case "sync-before-processing":
      table.set("C4", yes(`${modeWords}: processing follows a successful commit, so no record is processed twice (at-most-once processing)`));
      break;
    case "auto":
      table.set("C4", no(`${modeWords}: enable.auto.commit commits positions, not processing; C5 bounds its skips and repeats`));
      break;
    default:
      table.set("C4", no(`${modeWords}: no commit follows or precedes processing`));
  }
  table.set("C5", mode === "auto" ? yes("enable.auto.commit=true: records are skipped or repeated only where an automatic commit explains it") : no(`${modeWords}: no automatic commits`));
  if (mode === "sync-after-processing" || mode === "sync-before-processing") table.set("C6", yes(`${modeWords}: synchronous commits never move the committed offset backwards`));
  else if (mode === "async-after-processing") table.set("C6", no(`${modeWords}: commitAsync is not retried in order, a late commit may move the offset back (the 1-2-3 example; allowed when explained)`));
  else if (mode === "auto") table.set("C6", no(`${modeWords}: automatic commits are asynchronous and may land out of order`));
  else table.set("C6", no(`${modeWords}: nothing is committed`));
  return table;
}

export function promises(configuration: GuaranteeConfiguration): Promises {
  const producer = effectiveProducer(configuration.producer ?? {});
  const topic = effectiveTopic(configuration.topic, configuration.broker ?? {});
  const consumer = configuration.consumer === undefined ? null : effectiveConsumer(configuration.consumer, "consumer", configuration.commitMode);
  const table = promiseTable(producer, topic, consumer);
  const promised: PromiseEntry[] = [];
  const notPromised: PromiseEntry[] = [];
  for (const { id } of guaranteeCatalogue) {
    const entry = table.get(id);
    if (entry === undefined) throw new Error(`promiseTable has no rule for ${id}`);
    (entry.promised ? promised : notPromised).push({ id, reason: entry.reason });
  }
  return { promised, notPromised };
}
