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
  sends: number;
}

export function isPromised(rules: RuleSet, id: GuaranteeId): boolean {
  return rules.table.get(id)?.promised === true;
}

export const SendStatus = { Pending: 0, Ok: 1, Fail: 2, Info: 3 } as const;
export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];

/**
 * Every send's state, column-wise: one typed array per field, indexed by send id (invocation order),
 * allocated once for the number of sends in the history. A million records as objects cost more in
 * garbage collection than the whole state machine; columns cost nothing after allocation.
 */
export class SendTable {
  count = 0;
  readonly payload: string[] = [];
  readonly rules: RuleSet[] = [];
  readonly key: (string | null)[] = [];
  /** Error names of fail/info completions, by send id (sparse: most sends succeed). */
  readonly error = new Map<number, string>();
  readonly topicIndex: Int32Array;
  readonly explicitPartition: Int32Array;
  readonly invokeIndex: Int32Array;
  readonly invokeTime: Float64Array;
  readonly status: Uint8Array;
  readonly completionIndex: Int32Array;
  readonly ackPartitionId: Int32Array;
  readonly ackOffset: Float64Array;
  readonly ackTime: Float64Array;
  /** 1 once some read returned the record at its acknowledged position. */
  readonly ackPositionRead: Uint8Array;
  readonly readCount: Int32Array;
  readonly firstReadPartitionId: Int32Array;
  readonly firstReadOffset: Float64Array;
  readonly firstReadIndex: Int32Array;
  readonly firstReadTime: Float64Array;
  /** The first read outside the final reads (D6: read, then lost). */
  readonly nonFinalReadIndex: Int32Array;
  readonly nonFinalReadTime: Float64Array;
  readonly finalPartitionId: Int32Array;
  readonly finalOffset: Float64Array;
  readonly finalReadIndex: Int32Array;
  /** A second, different position the record was read at (a duplicate). */
  readonly duplicatePartitionId: Int32Array;
  readonly duplicateOffset: Float64Array;
  readonly duplicateIndex: Int32Array;
  readonly partitionChecked: Uint8Array;

  constructor(readonly capacity: number) {
    const ints = (): Int32Array => new Int32Array(capacity).fill(-1);
    const doubles = (): Float64Array => new Float64Array(capacity).fill(-1);
    this.topicIndex = ints();
    this.explicitPartition = ints();
    this.invokeIndex = ints();
    this.invokeTime = doubles();
    this.status = new Uint8Array(capacity);
    this.completionIndex = ints();
    this.ackPartitionId = ints();
    this.ackOffset = doubles();
    this.ackTime = doubles();
    this.ackPositionRead = new Uint8Array(capacity);
    this.readCount = new Int32Array(capacity);
    this.firstReadPartitionId = ints();
    this.firstReadOffset = doubles();
    this.firstReadIndex = ints();
    this.firstReadTime = doubles();
    this.nonFinalReadIndex = ints();
    this.nonFinalReadTime = doubles();
    this.finalPartitionId = ints();
    this.finalOffset = doubles();
    this.finalReadIndex = ints();
    this.duplicatePartitionId = ints();
    this.duplicateOffset = doubles();
    this.duplicateIndex = ints();
    this.partitionChecked = new Uint8Array(capacity);
  }

  add(payload: string, rules: RuleSet, topicIndex: number, key: string | null, explicitPartition: number, invokeIndex: number, invokeTime: number): number {
    const id = this.count;
    if (id >= this.capacity) throw new Error(`more sends than the ${this.capacity} counted`);
    this.count++;
    this.payload.push(payload);
    this.rules.push(rules);
    this.key.push(key);
    this.topicIndex[id] = topicIndex;
    this.explicitPartition[id] = explicitPartition;
    this.invokeIndex[id] = invokeIndex;
    this.invokeTime[id] = invokeTime;
    return id;
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
    return this.table.rules[this.id] as RuleSet;
  }
  get key(): string | null {
    return this.table.key[this.id] ?? null;
  }
  get error(): string | undefined {
    return this.table.error.get(this.id);
  }
  get topicIndex(): number {
    return this.table.topicIndex[this.id] as number;
  }
  get invokeIndex(): number {
    return this.table.invokeIndex[this.id] as number;
  }
  get invokeTime(): number {
    return this.table.invokeTime[this.id] as number;
  }
  get status(): SendStatus {
    return this.table.status[this.id] as SendStatus;
  }
  get completionIndex(): number {
    return this.table.completionIndex[this.id] as number;
  }
  get ackPartitionId(): number {
    return this.table.ackPartitionId[this.id] as number;
  }
  get ackOffset(): number {
    return this.table.ackOffset[this.id] as number;
  }
  get ackTime(): number {
    return this.table.ackTime[this.id] as number;
  }
  get ackPositionRead(): boolean {
    return this.table.ackPositionRead[this.id] === 1;
  }
  get readCount(): number {
    return this.table.readCount[this.id] as number;
  }
  get firstReadPartitionId(): number {
    return this.table.firstReadPartitionId[this.id] as number;
  }
  get firstReadOffset(): number {
    return this.table.firstReadOffset[this.id] as number;
  }
  get firstReadIndex(): number {
    return this.table.firstReadIndex[this.id] as number;
  }
  get firstReadTime(): number {
    return this.table.firstReadTime[this.id] as number;
  }
  get nonFinalReadIndex(): number {
    return this.table.nonFinalReadIndex[this.id] as number;
  }
  get nonFinalReadTime(): number {
    return this.table.nonFinalReadTime[this.id] as number;
  }
  get finalPartitionId(): number {
    return this.table.finalPartitionId[this.id] as number;
  }
  get finalOffset(): number {
    return this.table.finalOffset[this.id] as number;
  }
  get finalReadIndex(): number {
    return this.table.finalReadIndex[this.id] as number;
  }
  get duplicatePartitionId(): number {
    return this.table.duplicatePartitionId[this.id] as number;
  }
  get duplicateOffset(): number {
    return this.table.duplicateOffset[this.id] as number;
  }
  get duplicateIndex(): number {
    return this.table.duplicateIndex[this.id] as number;
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
  endOffset = -1;
  startOffset = 0;
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly topicIndex: number,
    /** Replica broker ids when the header says, else null (every broker is a candidate). */
    readonly replicas: readonly number[] | null,
  ) {}
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
