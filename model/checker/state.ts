/**
 * The checker's state machine: one `observe` per history event, in order, each O(1) amortised (plus
 * the records a poll returns). Everything that needs the whole history (losses, duplicates, order,
 * explanations by later faults) is decided by the judges (judge-*.ts, in rank order) once the events are exhausted.
 */
import type { AnomalyRecord } from "../verdict.js";
import type {
  EndOffsetsValue,
  History,
  HistoryEvent,
  PollValue,
  ReadRecord,
  RebalanceValue,
  SeekValue,
  SendValue,
} from "../history/event.js";
import { HistoryFormatError, lineOfEvent } from "../history/format-error.js";
import type { Pairing } from "../history/operations.js";
import { nemesisProcess, observerProcess, finalReaderProcess, finalCommittedReaderProcess } from "../history/shape.js";
import { effectiveProducer, effectiveTopic } from "../config/effective.js";
import { promiseTable } from "../config/promises.js";
import { partitionForKey } from "../partitioner/murmur2.js";
import { AnomalyLog } from "./anomaly-log.js";
import { ConsumerOrder } from "./consumer-order.js";
import { FaultTimeline } from "./fault-timeline.js";
import { GroupLog } from "./groups/group-log.js";
import { Placement, PartitionState, SendStatus, SendTable, TopicState, isPromised, offsetCode, phantomCode, sendIdOfCode, type OffsetObservation, type RuleSet, type SendRecord } from "./records.js";

export interface Inconsistency {
  readonly partitionId: number;
  readonly offset: number;
  readonly first: OffsetObservation;
  readonly second: OffsetObservation;
}

export interface PhantomCandidate {
  readonly payload: string;
  readonly partitionId: number;
  readonly offset: number;
  readonly index: number;
}

/** A read whose topic or key is not the send's: judged with the identity anomalies (D9). */
export interface IdentityCandidate {
  readonly kind: "wrong-topic" | "wrong-key";
  readonly id: number;
  readonly record: ReadRecord;
  readonly index: number;
}

/** A record at a partition it was not sent to (explicit partition: D9; murmur2: O2). */
export interface MisplacedCandidate {
  readonly id: number;
  readonly partitionId: number;
  readonly index: number;
}

/** D5: acknowledged while fewer than min.insync.replicas replicas could have held it. */
export interface BelowMinIsrCandidate {
  readonly id: number;
  readonly partitionId: number;
  readonly index: number;
  readonly copies: number;
  readonly replicas: number;
  readonly minimum: number;
  readonly why: string;
  readonly faultEvents: readonly number[];
}

/** What each rule was actually applied to: a guarantee without evidence is inconclusive. */
export interface Evidence {
  /** Consecutive reads of one partition by one consumer compared (O1). */
  orderComparisons: number;
  /** Keyed records whose partition was compared with murmur2's (O2). */
  keyPlacements: number;
  /** acks=all sends completed while a replica was down or cut off (D5's rule had teeth). */
  minIsrChecks: number;
}

/** Bound on stored anomaly candidates of each kind; counts of the dropped ones stay exact. */
const maxCandidates = 1_000_000;

export interface CheckerCounts {
  events: number;
  sends: number;
  acknowledged: number;
  failed: number;
  indefinite: number;
  polls: number;
  recordsRead: number;
  finalRecords: number;
}

export class CheckerState {
  readonly topics = new Map<string, TopicState>();
  readonly topicsByIndex: TopicState[] = [];
  readonly partitions: PartitionState[] = [];
  /** Sends in invocation order (ids): the order O3 and nonmonotonic-send compare against. */
  readonly table: SendTable;
  readonly ruleSets: RuleSet[] = [];
  private readonly ruleSetsByProcess = new Map<string, (RuleSet | undefined)[]>();
  readonly faults: FaultTimeline;
  readonly consumers: ConsumerOrder;
  /** The consumer-group rules' material; null without group consumers (producer-only histories pay nothing). */
  readonly groups: GroupLog | null;
  readonly anomalies = new AnomalyLog();
  readonly inconsistencies: Inconsistency[] = [];
  readonly phantomCandidates: PhantomCandidate[] = [];
  readonly identityCandidates: IdentityCandidate[] = [];
  readonly misplacedCandidates: MisplacedCandidate[] = [];
  readonly belowMinIsrCandidates: BelowMinIsrCandidate[] = [];
  readonly evidence: Evidence = { orderComparisons: 0, keyPlacements: 0, minIsrChecks: 0 };
  candidatesDropped = 0;
  /** Time of the last final-read event (poll or end offsets): the latest moment a loss can be proven. */
  lastFinalTime = -1;
  endOffsetsTime = -1;
  readonly counts: CheckerCounts = { events: 0, sends: 0, acknowledged: 0, failed: 0, indefinite: 0, polls: 0, recordsRead: 0, finalRecords: 0 };
  hasFinalReads = false;
  endOffsetsIndex = -1;
  /** Producer processes numbered in order of first send (RuleSet.processIndex). */
  private readonly processIndexes = new Map<string, number>();

  constructor(
    readonly history: History,
    readonly file: string,
    readonly pairing: Pairing,
  ) {
    const header = history.header;
    let partitionCount = 0;
    header.topics.forEach((topic, topicIndex) => {
      const state = new TopicState(topic.name, effectiveTopic(topic, header.broker, `topics.${topic.name}`), topicIndex, partitionCount, topic.partitions);
      this.topics.set(topic.name, state);
      this.topicsByIndex.push(state);
      for (let partition = 0; partition < topic.partitions; partition++) {
        this.partitions.push(new PartitionState(topic.name, partition, topicIndex, topic.assignment?.[partition] ?? null));
      }
      partitionCount += topic.partitions;
    });
    this.faults = new FaultTimeline(header.brokers, partitionCount, file);
    this.consumers = new ConsumerOrder(partitionCount);
    this.groups = GroupLog.of(header);
    // The pairing numbered every send (client send invocations, in order): ids are those numbers.
    this.table = new SendTable(pairing.invokeOfSend, pairing.sendByPayload.payloads, history.events, this.ruleSets);
  }

  /**
   * The send that wrote a payload, or -1: none did, or its invocation comes later in the history than
   * the events observed so far (the pairing numbered every send; ids are given in the same order).
   */
  sendIdOf(payload: string): number {
    const id = this.pairing.sendByPayload.get(payload);
    return id >= this.table.count ? -1 : id;
  }

  private bad(event: HistoryEvent, field: string, problem: string): never {
    throw new HistoryFormatError(this.file, lineOfEvent(event.index), field, problem);
  }

  partitionId(topic: string, partition: number): number {
    const state = this.topics.get(topic);
    // Shape validation guarantees both; an assertion, not input checking.
    if (state === undefined || partition >= state.partitions) throw new Error(`unvalidated topic-partition ${topic}-${partition}`);
    return state.firstPartitionId + partition;
  }

  partitionOf(partitionId: number): PartitionState {
    const partition = this.partitions[partitionId];
    if (partition === undefined) throw new Error(`partition id ${partitionId} out of range`);
    return partition;
  }

  recordOf(send: SendRecord, partitionId = send.partitionId, offset = send.knownOffset): AnomalyRecord {
    const topic = this.topicsByIndex[send.topicIndex];
    const partition = partitionId >= 0 ? this.partitions[partitionId]?.partition : undefined;
    return {
      topic: topic?.name ?? "?",
      ...(partition === undefined ? {} : { partition }),
      ...(offset >= 0 ? { offset } : {}),
      key: send.key,
      value: send.payload,
    };
  }

  private ruleSetFor(event: HistoryEvent, topic: TopicState): RuleSet {
    let byTopic = this.ruleSetsByProcess.get(event.process);
    if (byTopic === undefined) {
      byTopic = [];
      this.ruleSetsByProcess.set(event.process, byTopic);
    }
    const existing = byTopic[topic.index];
    if (existing !== undefined) return existing;
    const client = this.history.header.clients[event.process];
    if (client === undefined || client.role !== "producer") {
      this.bad(event, "process", `process '${event.process}' sends but the header does not describe it as a producer`);
    }
    const producer = effectiveProducer(client.config, `clients.${event.process}.config`);
    let processIndex = this.processIndexes.get(event.process);
    if (processIndex === undefined) {
      processIndex = this.processIndexes.size;
      this.processIndexes.set(event.process, processIndex);
    }
    const rules: RuleSet = {
      process: event.process,
      topic: topic.name,
      producer,
      effectiveTopic: topic.effective,
      table: promiseTable(producer, topic.effective, null),
      index: this.ruleSets.length,
      topicIndex: topic.index,
      processIndex,
      sends: 0,
    };
    byTopic[topic.index] = rules;
    this.ruleSets.push(rules);
    return rules;
  }

  /**
   * One event, in history order; `invokeIndex` is its invocation's index for a completion (-1 for
   * none). Only the few handlers that need the invocation load it: completions of sends invoked long
   * ago would otherwise cost a cache miss each.
   */
  observe(event: HistoryEvent, invokeIndex: number): void {
    this.counts.events++;
    const process = event.process;
    if (process === nemesisProcess) {
      this.faults.recordNemesis(event, this.eventAt(invokeIndex));
      if (this.groups !== null) this.groups.onNemesis(event, this.eventAt(invokeIndex));
      return;
    }
    if (process === observerProcess) {
      if (event.f === "txn-marker") return;
      if (event.f !== "leader-elected") {
        this.groups?.onObserver(event);
        return;
      }
      const value = event.value as { topic: string; partition: number };
      this.faults.recordElection(event, this.partitionId(value.topic, value.partition));
      return;
    }
    switch (event.f) {
      case "send":
        if (event.type === "invoke") this.onSendInvoke(event);
        else if (invokeIndex >= 0) this.onSendCompletion(event);
        return;
      case "poll":
        if (event.type === "invoke") {
          this.counts.polls++;
          if (this.isFinal(event, -1)) this.hasFinalReads = true;
        } else if (event.type === "ok") {
          this.onPoll(event, this.isFinal(event, invokeIndex));
          if (this.groups !== null) this.groups.note(event);
        }
        return;
      case "assigned":
      case "revoked":
      case "lost":
        this.onRebalance(event);
        return;
      case "process":
      case "commit":
        this.groups?.note(event);
        return;
      case "subscribe":
      case "close":
      case "unsubscribe":
        this.groups?.note(event);
        if (event.type !== "invoke") this.consumers.forget(process);
        return;
      case "assign":
      case "crash-client":
        // A new assignment (or an unknown one) makes the next position unknowable from the history.
        if (event.type !== "invoke") this.consumers.forget(process);
        return;
      case "seek":
        if (event.type === "ok" || event.type === "info") {
          const seek = (event.value ?? this.eventAt(invokeIndex)?.value) as SeekValue | undefined;
          if (seek !== undefined) {
            const partitionId = this.partitionId(seek.topic, seek.partition);
            this.consumers.seek(process, partitionId, event.type === "ok" ? seek.offset : null, event.index, event.time);
          }
        }
        return;
      case "end-offsets":
        if (event.type === "ok") this.onEndOffsets(event);
        return;
      default:
        // commit, txn-*, ...: extension points for the T*/C* checkers.
        return;
    }
  }

  /**
   * A rebalance listener call. O1: a member's position for a partition it gains restarts at its first
   * poll of it (the committed offset, or auto.offset.reset), so the expectation is forgotten for what it
   * gains or gives up; an eager `assigned` replaces the whole assignment (everything was revoked first).
   */
  private onRebalance(event: HistoryEvent): void {
    const groups = this.groups;
    if (groups === null) return;
    groups.note(event);
    const process = event.process;
    if (event.f === "assigned" && groups.memberOf(process)?.cooperative !== true) {
      this.consumers.forget(process);
      return;
    }
    for (const entry of (event.value as RebalanceValue).partitions) this.consumers.forgetPartition(process, this.partitionId(entry.topic, entry.partition));
  }

  private eventAt(index: number): HistoryEvent | undefined {
    return index >= 0 ? this.history.events[index] : undefined;
  }

  private isFinal(event: HistoryEvent, invokeIndex: number): boolean {
    if (event.process === finalReaderProcess) return true;
    // read_committed omits aborted data legitimately: never the D rules' final read.
    if (event.process === finalCommittedReaderProcess) return false;
    const own = event.value as PollValue | undefined;
    if (own?.final === true) return true;
    const invoked = this.eventAt(invokeIndex)?.value as PollValue | undefined;
    return invoked?.final === true;
  }

  private onSendInvoke(event: HistoryEvent): void {
    const value = event.value as SendValue;
    const topic = this.topics.get(value.topic);
    if (topic === undefined) throw new Error("unvalidated topic");
    const rules = this.ruleSetFor(event, topic);
    rules.sends++;
    this.counts.sends++;
    const explicitPartition = value.partition ?? -1;
    // Where it must land: its explicit partition, else O2's murmur2 partition, computed while the key
    // is at hand (keys repeat: murmur2 once per key).
    let expectedPartitionId = explicitPartition >= 0 ? topic.firstPartitionId + explicitPartition : -1;
    if (value.key !== null && explicitPartition < 0) {
      let expected = topic.keyPartitionCache.get(value.key);
      if (expected === undefined) {
        expected = partitionForKey(value.key, topic.partitions);
        topic.keyPartitionCache.set(value.key, expected);
      }
      expectedPartitionId = topic.firstPartitionId + expected;
    }
    // The table asserts that the id it gives is the pairing's number for this invocation.
    this.table.add(value.value, rules, value.key, explicitPartition, expectedPartitionId, event.index);
  }

  private onSendCompletion(event: HistoryEvent): void {
    const table = this.table;
    const id = this.pairing.sendOf[event.index] ?? -1;
    if (id < 0 || id >= table.count) throw new Error("a paired send completion without its record");
    if (event.error !== undefined) table.error.set(id, event.error);
    if (event.type === "fail") {
      table.complete(id, event.index, SendStatus.Fail);
      this.counts.failed++;
      return;
    }
    if (event.type === "info") {
      table.complete(id, event.index, SendStatus.Info);
      this.counts.indefinite++;
      return;
    }
    table.complete(id, event.index, SendStatus.Ok);
    this.counts.acknowledged++;
    const rules = table.rulesOf(id);
    const value = event.value as SendValue | undefined;
    const explicit = table.explicitPartition(id);
    const partition = value?.partition ?? (explicit >= 0 ? explicit : undefined);
    if (rules.producer.acks !== "0") {
      if (partition === undefined) this.bad(event, "value.partition", `an acknowledged send (acks=${rules.producer.acks}) must carry its partition`);
      if (value?.offset === undefined) this.bad(event, "value.offset", `an acknowledged send (acks=${rules.producer.acks}) must carry its offset`);
    }
    if (partition === undefined) return;
    const topic = this.topicsByIndex[table.topicIndex(id)];
    if (topic === undefined) throw new Error("send of an unknown topic index");
    const partitionId = topic.firstPartitionId + partition;
    table.setAckPartitionId(id, partitionId);
    this.checkPlacement(id, partitionId, event.index);
    if (rules.producer.acks !== "0" && (this.faults.downSince.size > 0 || this.faults.cutSince.size > 0)) this.checkAliveReplicas(id, partitionId, event);
    if (value?.offset === undefined) return;
    const offset = value.offset;
    table.setAckOffset(id, partitionId, offset);
    this.observeOffset(partitionId, offset, id, null, event.index, event.time, true);
  }

  private onPoll(event: HistoryEvent, final: boolean): void {
    const records = (event.value as PollValue).records ?? [];
    const process = event.process;
    const index = event.index;
    const time = event.time;
    const expectations = this.consumers.expectationsOf(process);
    const table = this.table;
    const payloads = table.payload;
    const count = records.length;
    // A poll's records usually share a topic: remember the last one instead of hashing each name.
    let topicName = "";
    let topic: TopicState | undefined;
    for (let position = 0; position < count; position++) {
      const record = records[position] as ReadRecord;
      if (record.topic !== topicName || topic === undefined) {
        topicName = record.topic;
        topic = this.topics.get(topicName);
      }
      if (topic === undefined) throw new Error("unvalidated topic");
      const partitionId = topic.firstPartitionId + record.partition;
      const partition = this.partitions[partitionId] as PartitionState;
      const offset = record.offset;
      this.consumers.read(expectations, process, partitionId, offset, index, time);
      if (final && offset + 1 > partition.finalReach) partition.reachFinally(offset + 1, time);
      // Most reads hit an offset an ack already named: compare payloads instead of hashing.
      const code = partition.offsets.get(offset);
      const known = code >= 2 ? sendIdOfCode(code) : -1;
      const value = record.value;
      const id = known >= 0 && payloads[known] === value ? known : this.sendIdOf(value);
      if (id < 0) {
        // Never sent, or sent only later in the history (a read from the future): both judged in judgeIdentity.
        this.phantomCandidates.push({ payload: value, partitionId, offset, index });
        this.observeOffset(partitionId, offset, -1, value, index, time, false);
        continue;
      }
      if (table.topicIndex(id) !== topic.index || table.key[id] !== record.key) {
        // Not the record that was sent: another topic, or another key (D9, record identity).
        this.addCandidate(this.identityCandidates, { kind: table.topicIndex(id) !== topic.index ? "wrong-topic" : "wrong-key", id, record, index });
        if (table.topicIndex(id) !== topic.index) continue;
      }
      table.recordRead(id, partitionId, offset, index, final);
      this.checkPlacement(id, partitionId, index);
      if (id !== known) this.observeOffset(partitionId, offset, id, value, index, time, false);
    }
    this.counts.recordsRead += count;
    if (final) {
      this.counts.finalRecords += count;
      this.lastFinalTime = time;
    }
  }

  private addCandidate<T>(list: T[], candidate: T): void {
    if (list.length >= maxCandidates) this.candidatesDropped++;
    else list.push(candidate);
  }

  /** O2 (murmur2) and the explicit partition, judged once per record at its first known partition. */
  private checkPlacement(id: number, partitionId: number, index: number): void {
    const placement = this.table.checkPlacement(id, partitionId);
    if (placement === Placement.Unchecked) return;
    if (placement === Placement.KeyPlaced || placement === Placement.KeyMisplaced) this.evidence.keyPlacements++;
    if (placement === Placement.KeyMisplaced || placement === Placement.ExplicitMisplaced) this.addCandidate(this.misplacedCandidates, { id, partitionId, index });
  }

  private onEndOffsets(event: HistoryEvent): void {
    this.hasFinalReads = true;
    this.endOffsetsIndex = event.index;
    this.endOffsetsTime = event.time;
    this.lastFinalTime = event.time;
    for (const entry of (event.value as EndOffsetsValue).offsets) {
      const partition = this.partitionOf(this.partitionId(entry.topic, entry.partition));
      partition.startOffset = entry.startOffset;
      partition.endOffset = entry.endOffset;
    }
  }

  /** The send an offset code names, or null for a phantom or an empty offset. */
  sendOfCode(code: number): SendRecord | null {
    return code >= 2 ? this.table.view(sendIdOfCode(code)) : null;
  }

  /** Rebuilds the first observation of an offset from its code (only when reporting). */
  observationAt(partition: PartitionState, offset: number): OffsetObservation | null {
    const code = partition.offsets.get(offset);
    if (code === 0) return null;
    if (code === phantomCode) return partition.phantoms?.get(offset) ?? null;
    const id = sendIdOfCode(code);
    const table = this.table;
    const payload = table.payload[id] as string;
    const fromAck = ((code - 2) & 1) === 1;
    if (fromAck) return { payload, index: table.completionIndex(id), time: table.ackTime(id), fromAck };
    const index = table.firstReadIndex(id);
    return { payload, index, time: table.timeOf(index), fromAck };
  }

  /**
   * D9's raw material: the first value seen at each offset; a different one later is recorded. The
   * payload is the send's (id >= 0; looked up only on a conflict, when null) or a phantom's.
   */
  private observeOffset(partitionId: number, offset: number, id: number, value: string | null, index: number, time: number, fromAck: boolean): void {
    const partition = this.partitions[partitionId] as PartitionState;
    const existing = partition.offsets.get(offset);
    const payload = (): string => value ?? (this.table.payload[id] as string);
    if (existing === 0) {
      if (id >= 0) {
        partition.offsets.set(offset, offsetCode(id, fromAck));
      } else {
        partition.offsets.set(offset, phantomCode);
        (partition.phantoms ??= new Map()).set(offset, { payload: payload(), index, time, fromAck });
      }
      return;
    }
    if (existing >= 2 && id >= 0 && sendIdOfCode(existing) === id) return;
    if (partition.inconsistent.has(offset)) return;
    const first = this.observationAt(partition, offset);
    if (first === null || first.payload === payload()) return;
    partition.inconsistent.add(offset);
    this.inconsistencies.push({ partitionId, offset, first, second: { payload: payload(), index, time, fromAck } });
  }

  /**
   * D5: an acks=all ack means at least min.insync.replicas ISR members held the record, so that many
   * replicas could reach each other at some point between invocation and ack. A replica down for that
   * whole interval cannot be one of them, nor can a replica cut off (either way) from the others: it
   * may be the leader that holds the record, but no other copy can reach it. (Unknown assignment: count
   * every broker.)
   */
  private checkAliveReplicas(id: number, partitionId: number, event: HistoryEvent): void {
    const table = this.table;
    const partition = this.partitions[partitionId] as PartitionState;
    const replicas = partition.replicas ?? this.history.header.brokers;
    const minimum = table.rulesOf(id).effectiveTopic.minInsyncReplicas;
    const invokeTime = table.invokeTime(id);
    if (isPromised(table.rulesOf(id), "D5")) this.evidence.minIsrChecks++;
    const down = this.faults.downSince;
    const alive = replicas.filter((broker) => !((down.get(broker)?.start ?? Number.POSITIVE_INFINITY) <= invokeTime));
    const cutThroughout = (from: number, to: number): boolean => (this.faults.cutSince.get(`broker-${from}>broker-${to}`) ?? Number.POSITIVE_INFINITY) <= invokeTime;
    // The largest group of alive replicas one of them could have replicated to: itself plus every alive peer it reached both ways.
    let copies = 0;
    for (const broker of alive) {
      let reached = 1;
      for (const peer of alive) if (peer !== broker && !cutThroughout(broker, peer) && !cutThroughout(peer, broker)) reached++;
      copies = Math.max(copies, reached);
    }
    if (copies >= minimum) return;
    const why: string[] = [];
    const faultEvents: number[] = [];
    for (const broker of replicas) {
      const since = down.get(broker);
      if (since !== undefined && since.start <= invokeTime) {
        why.push(since.what);
        faultEvents.push(since.index);
      }
    }
    const cutLinks: string[] = [];
    for (const broker of alive) for (const peer of alive) if (broker < peer && (cutThroughout(broker, peer) || cutThroughout(peer, broker))) cutLinks.push(`broker-${broker} and broker-${peer}`);
    if (cutLinks.length > 0) why.push(`links cut between ${cutLinks.join(", ")}`);
    this.addCandidate(this.belowMinIsrCandidates, { id, partitionId, index: event.index, copies, replicas: replicas.length, minimum, why: why.join("; "), faultEvents });
  }
}
