/**
 * O1, partition order, per consumer process and partition: each record read must be at the expected
 * next offset (one past the previous read). Going back is a `nonmonotonic-poll` at once; jumping
 * ahead is only a candidate `poll-skip`, decided at the end when every known offset is at hand (a gap
 * is a skip only if some ack or read proves a record sits inside it; transaction markers leave gaps).
 * `assign`, `subscribe`, `close` and a client crash forget the expectations; `seek` sets one; a group
 * rebalance forgets the partitions it moves (a new owner starts where the committed offset says).
 */
export class Expectation {
  constructor(
    public next: number,
    public lastIndex: number,
    public lastTime: number,
  ) {}
}

export interface SkipCandidate {
  readonly process: string;
  readonly partitionId: number;
  /** The skipped range is [from, to). */
  readonly from: number;
  readonly to: number;
  readonly previousIndex: number;
  readonly previousTime: number;
  readonly index: number;
}

export interface BackwardsPoll {
  readonly process: string;
  readonly partitionId: number;
  readonly expected: number;
  readonly offset: number;
  readonly previousIndex: number;
  readonly previousTime: number;
  readonly index: number;
}

/** Bounds the stored candidates; counts stay exact (see `dropped`). */
const maxStored = 1_000_000;

/** One consumer's expectations, by partition id (a dense array: partition ids are small). */
export type Expectations = (Expectation | undefined)[];

export class ConsumerOrder {
  private readonly byProcess = new Map<string, Expectations>();
  readonly skips: SkipCandidate[] = [];
  readonly backwards: BackwardsPoll[] = [];
  dropped = 0;
  /** Reads compared with the consumer's expected next offset: O1's evidence. */
  comparisons = 0;

  constructor(private readonly partitionCount: number) {}

  expectationsOf(process: string): Expectations {
    let expectations = this.byProcess.get(process);
    if (expectations === undefined) {
      expectations = new Array<Expectation | undefined>(this.partitionCount).fill(undefined);
      this.byProcess.set(process, expectations);
    }
    return expectations;
  }

  forget(process: string): void {
    this.byProcess.delete(process);
  }

  /** A partition the consumer gained or gave up (a group rebalance): its next read sets a new expectation. */
  forgetPartition(process: string, partitionId: number): void {
    const expectations = this.byProcess.get(process);
    if (expectations !== undefined) expectations[partitionId] = undefined;
  }

  seek(process: string, partitionId: number, offset: number | null, index: number, time: number): void {
    this.expectationsOf(process)[partitionId] = offset === null ? undefined : new Expectation(offset, index, time);
  }

  /** One record returned by a poll, in the order returned. */
  read(expectations: Expectations, process: string, partitionId: number, offset: number, index: number, time: number): void {
    const expectation = expectations[partitionId];
    if (expectation === undefined) {
      expectations[partitionId] = new Expectation(offset + 1, index, time);
      return;
    }
    this.comparisons++;
    if (offset !== expectation.next) {
      if (this.skips.length + this.backwards.length >= maxStored) {
        this.dropped++;
      } else if (offset > expectation.next) {
        this.skips.push({ process, partitionId, from: expectation.next, to: offset, previousIndex: expectation.lastIndex, previousTime: expectation.lastTime, index });
      } else {
        this.backwards.push({ process, partitionId, expected: expectation.next, offset, previousIndex: expectation.lastIndex, previousTime: expectation.lastTime, index });
      }
    }
    expectation.next = offset + 1;
    expectation.lastIndex = index;
    expectation.lastTime = time;
  }
}
