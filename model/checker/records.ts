/**
 * The checker's per-record and per-partition state. Classes with every field set in the constructor
 * keep V8's object shapes stable, which matters at a million events per second.
 */
import type { GuaranteeId } from "../verdict.js";
import type { EffectiveProducer, EffectiveTopic } from "../config/effective.js";
import type { GuaranteePromise } from "../config/promises.js";
import { OffsetTable } from "./offset-table.js";

/** The rules one producer's records on one topic are judged by. */
export interface RuleSet {
  readonly process: string;
  readonly topic: string;
  readonly producer: EffectiveProducer;
  readonly effectiveTopic: EffectiveTopic;
  readonly table: ReadonlyMap<GuaranteeId, GuaranteePromise>;
  /** Position in CheckerState.ruleSets (a send's row names its rules by this number). */
  readonly index: number;
  /** The topic's index in the header (CheckerState.topicsByIndex). */
  readonly topicIndex: number;
  /** The producer process's number, in order of first send (per-producer judgements index by it). */
  readonly processIndex: number;
  sends: number;
}

export function isPromised(rules: RuleSet, id: GuaranteeId): boolean {
  return rules.table.get(id)?.promised === true;
}

/** The outcome of SendTable.checkPlacement. */
export const Placement = { Unchecked: 0, ExplicitPlaced: 1, KeyPlaced: 2, ExplicitMisplaced: 3, KeyMisplaced: 4 } as const;
export type Placement = (typeof Placement)[keyof typeof Placement];

export const SendStatus = { Pending: 0, Ok: 1, Fail: 2, Info: 3 } as const;
export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];

/** A second, different position a record was read at (rare: kept apart from the rows). */
export interface DuplicateRead {
  readonly partitionId: number;
  readonly offset: number;
  readonly index: number;
}

/*
 * Row layout. Every send owns one row of 12 Int32 fields and one row of 3 Float64 fields (offsets,
 * which may exceed 2^31). A read or an acknowledgement of a send invoked long ago then touches two or
 * three cache lines instead of one per field, which is what a column per field cost: at a million
 * events the checker is bound by memory latency, not arithmetic. The rows are kept small on purpose:
 * V8 starts a full marking of the heap (the whole parsed history) once 64 MB of typed arrays were
 * allocated since the last one. What is cheap to find elsewhere is not stored: the invocation's index
 * (the pairing's invokeOfSend), times (of the events whose indexes are stored), the topic (the rules').
 */
const intFields = 12;
/** Status (bits 0-1), ackPositionRead (bit 2), partitionChecked (bit 3). */
const flagsAt = 0;
const explicitPartitionAt = 1;
const completionIndexAt = 2;
const ackPartitionIdAt = 3;
const readCountAt = 4;
const firstReadPartitionIdAt = 5;
const firstReadIndexAt = 6;
/** The first read outside the final reads (D6: read, then lost). */
const nonFinalReadIndexAt = 7;
const finalPartitionIdAt = 8;
const finalReadIndexAt = 9;
const ruleSetAt = 10;
/** The partition id the send must land in: its explicit partition, else murmur2's for a keyed send; -1 when neither applies. */
const expectedPartitionIdAt = 11;

const statusMask = 3;
/** Some read returned the record at its acknowledged position. */
const ackPositionReadFlag = 4;
/** Its placement (explicit partition, or O2's key to partition) was judged for the record. */
const partitionCheckedFlag = 8;

const floatFields = 3;
const ackOffsetAt = 0;
const firstReadOffsetAt = 1;
const finalOffsetAt = 2;

/**
 * Every send's state, one row per send id (invocation order), allocated once for the number of sends
 * in the history. A million records as objects cost more in garbage collection than the whole state
 * machine; typed rows cost nothing after allocation.
 */
export class SendTable {
  count = 0;
  readonly key: (string | null)[] = [];
  /** Error names of fail/info completions, by send id (sparse: most sends succeed). */
  readonly error = new Map<number, string>();
  /** Second positions of records read at two positions, by send id (sparse). */
  readonly duplicates = new Map<number, DuplicateRead>();
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  readonly capacity: number;

  constructor(
    /** Each send's invocation index, by send id (the pairing's); its length is the number of sends. */
    private readonly invokeOfSend: Int32Array,
    /** Each send's payload, by send id (the pairing's list: ids below `count` are the sends seen so far). */
    readonly payload: readonly string[],
    /** The history's events: times are read from the events the rows point at. */
    private readonly events: readonly { readonly time: number }[],
    /** Rule sets by index (CheckerState.ruleSets; rows store the index). */
    private readonly ruleSets: readonly RuleSet[],
  ) {
    this.capacity = invokeOfSend.length;
    this.ints = new Int32Array(this.capacity * intFields);
    this.floats = new Float64Array(this.capacity * floatFields);
  }

  add(payload: string, rules: RuleSet, key: string | null, explicitPartition: number, expectedPartitionId: number, invokeIndex: number): number {
    const id = this.count;
    if (id >= this.capacity) throw new Error(`more sends than the ${this.capacity} counted`);
    if (this.invokeOfSend[id] !== invokeIndex || this.payload[id] !== payload) {
      throw new Error(`send ${id} is invoked at ${this.invokeOfSend[id]} with '${this.payload[id]}', not at ${invokeIndex} with '${payload}'`);
    }
    this.count++;
    this.key.push(key);
    const ints = this.ints;
    const row = id * intFields;
    ints[row + flagsAt] = SendStatus.Pending;
    ints[row + explicitPartitionAt] = explicitPartition;
    ints[row + completionIndexAt] = -1;
    ints[row + ackPartitionIdAt] = -1;
    ints[row + readCountAt] = 0;
    ints[row + firstReadPartitionIdAt] = -1;
    ints[row + firstReadIndexAt] = -1;
    ints[row + nonFinalReadIndexAt] = -1;
    ints[row + finalPartitionIdAt] = -1;
    ints[row + finalReadIndexAt] = -1;
    ints[row + ruleSetAt] = rules.index;
    ints[row + expectedPartitionIdAt] = expectedPartitionId;
    const floats = this.floats;
    const floatRow = id * floatFields;
    floats[floatRow + ackOffsetAt] = -1;
    floats[floatRow + firstReadOffsetAt] = -1;
    floats[floatRow + finalOffsetAt] = -1;
    return id;
  }

  /** A completion: its event index and status (ok, fail, info). */
  complete(id: number, completionIndex: number, status: SendStatus): void {
    const row = id * intFields;
    this.ints[row + completionIndexAt] = completionIndex;
    this.ints[row + flagsAt] = ((this.ints[row + flagsAt] as number) & ~statusMask) | status;
  }

  setAckPartitionId(id: number, partitionId: number): void {
    this.ints[id * intFields + ackPartitionIdAt] = partitionId;
  }

  /** The acknowledged offset; notes whether a read already returned the record there. */
  setAckOffset(id: number, partitionId: number, offset: number): void {
    const ints = this.ints;
    const floats = this.floats;
    const row = id * intFields;
    const floatRow = id * floatFields;
    floats[floatRow + ackOffsetAt] = offset;
    const duplicate = this.duplicates.size > 0 ? this.duplicates.get(id) : undefined;
    if (
      (ints[row + firstReadPartitionIdAt] === partitionId && floats[floatRow + firstReadOffsetAt] === offset) ||
      (duplicate !== undefined && duplicate.partitionId === partitionId && duplicate.offset === offset) ||
      (ints[row + finalPartitionIdAt] === partitionId && floats[floatRow + finalOffsetAt] === offset)
    ) {
      ints[row + flagsAt] = (ints[row + flagsAt] as number) | ackPositionReadFlag;
    }
  }

  /** One read of the record at a position, by the event at `index`. */
  recordRead(id: number, partitionId: number, offset: number, index: number, final: boolean): void {
    const ints = this.ints;
    const floats = this.floats;
    const row = id * intFields;
    const floatRow = id * floatFields;
    ints[row + readCountAt] = (ints[row + readCountAt] as number) + 1;
    if ((ints[row + firstReadPartitionIdAt] as number) < 0) {
      ints[row + firstReadPartitionIdAt] = partitionId;
      floats[floatRow + firstReadOffsetAt] = offset;
      ints[row + firstReadIndexAt] = index;
    } else if ((ints[row + firstReadPartitionIdAt] !== partitionId || floats[floatRow + firstReadOffsetAt] !== offset) && !this.duplicates.has(id)) {
      this.duplicates.set(id, { partitionId, offset, index });
    }
    if (final) {
      if ((floats[floatRow + finalOffsetAt] as number) < 0) {
        ints[row + finalPartitionIdAt] = partitionId;
        floats[floatRow + finalOffsetAt] = offset;
        ints[row + finalReadIndexAt] = index;
      }
    } else if ((ints[row + nonFinalReadIndexAt] as number) < 0) {
      ints[row + nonFinalReadIndexAt] = index;
    }
    if (ints[row + ackPartitionIdAt] === partitionId && floats[floatRow + ackOffsetAt] === offset) ints[row + flagsAt] = (ints[row + flagsAt] as number) | ackPositionReadFlag;
  }

  /**
   * Where the record landed, judged once per record at its first known partition: against its explicit
   * partition when the client chose one (record identity, D9), else against murmur2's for a keyed
   * record (O2). The caller reports a misplacement.
   */
  checkPlacement(id: number, partitionId: number): Placement {
    const ints = this.ints;
    const row = id * intFields;
    const flags = ints[row + flagsAt] as number;
    if ((flags & partitionCheckedFlag) !== 0) return Placement.Unchecked;
    ints[row + flagsAt] = flags | partitionCheckedFlag;
    const expected = ints[row + expectedPartitionIdAt] as number;
    if (expected < 0) return Placement.Unchecked;
    const explicit = (ints[row + explicitPartitionAt] as number) >= 0;
    if (expected === partitionId) return explicit ? Placement.ExplicitPlaced : Placement.KeyPlaced;
    return explicit ? Placement.ExplicitMisplaced : Placement.KeyMisplaced;
  }

  rulesOf(id: number): RuleSet {
    return this.ruleSets[this.ints[id * intFields + ruleSetAt] as number] as RuleSet;
  }
  topicIndex(id: number): number {
    return this.rulesOf(id).topicIndex;
  }
  explicitPartition(id: number): number {
    return this.ints[id * intFields + explicitPartitionAt] as number;
  }
  expectedPartitionId(id: number): number {
    return this.ints[id * intFields + expectedPartitionIdAt] as number;
  }
  invokeIndex(id: number): number {
    return this.invokeOfSend[id] as number;
  }
  invokeTime(id: number): number {
    return this.timeOf(this.invokeIndex(id));
  }
  status(id: number): SendStatus {
    return ((this.ints[id * intFields + flagsAt] as number) & statusMask) as SendStatus;
  }
  completionIndex(id: number): number {
    return this.ints[id * intFields + completionIndexAt] as number;
  }
  ackPartitionId(id: number): number {
    return this.ints[id * intFields + ackPartitionIdAt] as number;
  }
  ackOffset(id: number): number {
    return this.floats[id * floatFields + ackOffsetAt] as number;
  }
  /** The ack's time, -1 unless acknowledged. */
  ackTime(id: number): number {
    return this.status(id) === SendStatus.Ok ? this.timeOf(this.completionIndex(id)) : -1;
  }
  ackPositionRead(id: number): boolean {
    return ((this.ints[id * intFields + flagsAt] as number) & ackPositionReadFlag) !== 0;
  }
  readCount(id: number): number {
    return this.ints[id * intFields + readCountAt] as number;
  }
  firstReadPartitionId(id: number): number {
    return this.ints[id * intFields + firstReadPartitionIdAt] as number;
  }
  firstReadOffset(id: number): number {
    return this.floats[id * floatFields + firstReadOffsetAt] as number;
  }
  firstReadIndex(id: number): number {
    return this.ints[id * intFields + firstReadIndexAt] as number;
  }
  nonFinalReadIndex(id: number): number {
    return this.ints[id * intFields + nonFinalReadIndexAt] as number;
  }
  finalPartitionId(id: number): number {
    return this.ints[id * intFields + finalPartitionIdAt] as number;
  }
  finalOffset(id: number): number {
    return this.floats[id * floatFields + finalOffsetAt] as number;
  }
  finalReadIndex(id: number): number {
    return this.ints[id * intFields + finalReadIndexAt] as number;
  }

  /** Time of the event at `index`, -1 for none. */
  timeOf(index: number): number {
    return index >= 0 ? (this.events[index]?.time ?? -1) : -1;
  }

  view(id: number): SendRecord {
    if (id < 0 || id >= this.count) throw new RangeError(`send id ${id} out of range`);
    return new SendRecord(this, id);
  }
}

/** A read-only view of one send, for the end-of-history judgements (not used on hot paths). */
export class SendRecord {
  constructor(
    private readonly table: SendTable,
    readonly id: number,
  ) {}

  get payload(): string {
    return this.table.payload[this.id] as string;
  }
  get rules(): RuleSet {
    return this.table.rulesOf(this.id);
  }
  get key(): string | null {
    return this.table.key[this.id] ?? null;
  }
  get error(): string | undefined {
    return this.table.error.get(this.id);
  }
  get topicIndex(): number {
    return this.table.topicIndex(this.id);
  }
  get invokeIndex(): number {
    return this.table.invokeIndex(this.id);
  }
  get invokeTime(): number {
    return this.table.invokeTime(this.id);
  }
  get status(): SendStatus {
    return this.table.status(this.id);
  }
  get completionIndex(): number {
    return this.table.completionIndex(this.id);
  }
  get ackPartitionId(): number {
    return this.table.ackPartitionId(this.id);
  }
  get ackOffset(): number {
    return this.table.ackOffset(this.id);
  }
  get ackTime(): number {
    return this.table.ackTime(this.id);
  }
  get ackPositionRead(): boolean {
    return this.table.ackPositionRead(this.id);
  }
  get readCount(): number {
    return this.table.readCount(this.id);
  }
  get firstReadPartitionId(): number {
    return this.table.firstReadPartitionId(this.id);
  }
  get firstReadOffset(): number {
    return this.table.firstReadOffset(this.id);
  }
  get firstReadIndex(): number {
    return this.table.firstReadIndex(this.id);
  }
  get firstReadTime(): number {
    return this.table.timeOf(this.firstReadIndex);
  }
  get nonFinalReadIndex(): number {
    return this.table.nonFinalReadIndex(this.id);
  }
  get nonFinalReadTime(): number {
    return this.table.timeOf(this.nonFinalReadIndex);
  }
  get finalPartitionId(): number {
    return this.table.finalPartitionId(this.id);
  }
  get finalOffset(): number {
    return this.table.finalOffset(this.id);
  }
  get finalReadIndex(): number {
    return this.table.finalReadIndex(this.id);
  }
  get duplicatePartitionId(): number {
    return this.table.duplicates.get(this.id)?.partitionId ?? -1;
  }
  get duplicateOffset(): number {
    return this.table.duplicates.get(this.id)?.offset ?? -1;
  }
  get duplicateIndex(): number {
    return this.table.duplicates.get(this.id)?.index ?? -1;
  }

  /** Written as far as the history proves: acknowledged, or indefinite/failed but seen by a read. */
  get written(): boolean {
    return this.status === SendStatus.Ok || this.readCount > 0;
  }

  /** The partition the record landed in, from the ack or else from a read; -1 when unknown. */
  get partitionId(): number {
    return this.ackPartitionId >= 0 ? this.ackPartitionId : this.firstReadPartitionId;
  }

  /** The offset the record is known at: acknowledged, else first read; -1 when unknown. */
  get knownOffset(): number {
    return this.ackOffset >= 0 ? this.ackOffset : this.firstReadOffset;
  }
}

/** An observation (ack or read) of an offset, materialised only when two disagree (D9). */
export interface OffsetObservation {
  readonly payload: string;
  readonly index: number;
  readonly time: number;
  readonly fromAck: boolean;
}

/** Offset codes: 0 empty, 1 a value no send wrote (kept in `phantoms`), else 2 + 2 * send id + (1 if from an ack). */
export const phantomCode = 1;

export function offsetCode(sendId: number, fromAck: boolean): number {
  return 2 + sendId * 2 + (fromAck ? 1 : 0);
}

export function sendIdOfCode(code: number): number {
  return (code - 2) >> 1;
}

export class PartitionState {
  /** The first observation of each offset, as a code (see offsetCode). */
  readonly offsets = new OffsetTable();
  /** First observations of values no send wrote, by offset (rare: kept apart). */
  phantoms: Map<number, OffsetObservation> | null = null;
  readonly inconsistent = new Set<number>();
  /** One past the highest offset the final reads returned. */
  finalReach = 0;
  /** Each time the final reads reached further: one past the offset, and when (to date the proof of a loss). */
  private readonly reachOffsets: number[] = [];
  private readonly reachTimes: number[] = [];
  endOffset = -1;
  startOffset = 0;
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly topicIndex: number,
    /** Replica broker ids when the header says, else null (every broker is a candidate). */
    readonly replicas: readonly number[] | null,
  ) {}

  reachFinally(reach: number, time: number): void {
    if (reach <= this.finalReach) throw new Error(`final reach ${reach} does not grow past ${this.finalReach}`);
    this.finalReach = reach;
    this.reachOffsets.push(reach);
    this.reachTimes.push(time);
  }

  /** When the final reads first went past `offset` (proving a record there missing), or -1 when they never did. */
  timeReachedPast(offset: number): number {
    const offsets = this.reachOffsets;
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((offsets[middle] as number) <= offset) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length ? (this.reachTimes[low] as number) : -1;
  }
}

export class TopicState {
  /** murmur2 partitions by key: keys repeat, so hashing each once keeps O2 cheap. */
  readonly keyPartitionCache = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly effective: EffectiveTopic,
    readonly index: number,
    /** Partition ids of this topic are firstPartitionId .. firstPartitionId + partitions - 1. */
    readonly firstPartitionId: number,
    readonly partitions: number,
  ) {}
}
