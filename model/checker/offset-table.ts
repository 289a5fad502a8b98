/**
 * The first observation of every offset of one partition, without an object per offset. Offsets of
 * a partition are dense in practice but need not start at 0 (a history may begin at offset 67,000,000),
 * so a growable Int32Array covers a window [base, base + length) holding a small code; the window grows
 * only while it stays within a constant factor of the offsets it holds, and everything outside it goes
 * to a Map. Memory and time follow the number of observations, never the offsets' magnitude.
 * Code 0 means empty.
 */
const initialCapacity = 1024;
/** The dense window may be at most this many times larger than the offsets it holds (plus the initial capacity). */
const maxSpread = 4;

export class OffsetTable {
  private dense: Int32Array | null = null;
  /** The offset stored at dense[0]. */
  private base = 0;
  private denseCount = 0;
  private sparse: Map<number, number> | null = null;
  size = 0;

  get(offset: number): number {
    const dense = this.dense;
    if (dense !== null) {
      const position = offset - this.base;
      if (position >= 0 && position < dense.length) return dense[position] as number;
    }
    return this.sparse?.get(offset) ?? 0;
  }

  /** Sets the code for an offset that has none yet. */
  set(offset: number, code: number): void {
    if (code === 0) throw new Error("code 0 means empty");
    this.size++;
    if (this.dense === null) {
      // Start the window a little below the first offset: reads and acks arrive slightly out of order.
      this.base = Math.max(0, offset - initialCapacity / 4);
      this.dense = new Int32Array(initialCapacity);
    }
    const position = offset - this.base;
    if (position >= 0 && position < this.dense.length) {
      this.dense[position] = code;
      this.denseCount++;
      return;
    }
    if (this.grow(offset)) {
      (this.dense as Int32Array)[offset - this.base] = code;
      this.denseCount++;
      return;
    }
    this.sparse ??= new Map();
    this.sparse.set(offset, code);
  }

  /** Widens the window to cover `offset` when it stays within maxSpread of what it holds; false otherwise. */
  private grow(offset: number): boolean {
    const dense = this.dense as Int32Array;
    const low = Math.min(this.base, offset);
    const high = Math.max(this.base + dense.length, offset + 1);
    let capacity = dense.length;
    while (capacity < high - low) capacity *= 2;
    if (capacity > maxSpread * (this.denseCount + 1) + initialCapacity) return false;
    // Growing downwards leaves room below as well, so a slowly descending run does not re-copy each time.
    const base = offset < this.base ? Math.max(0, high - capacity) : this.base;
    const grown = new Int32Array(capacity);
    grown.set(dense, this.base - base);
    this.dense = grown;
    this.base = base;
    // Offsets that lived outside the old window and fall inside the new one move in: get() looks in the window first.
    if (this.sparse !== null) {
      for (const [sparseOffset, code] of this.sparse) {
        const position = sparseOffset - base;
        if (position < 0 || position >= capacity) continue;
        grown[position] = code;
        this.denseCount++;
        this.sparse.delete(sparseOffset);
      }
    }
    return offset - base < capacity;
  }

  /** Every offset with an observation, ascending (for gap queries at the end). */
  sortedOffsets(): number[] {
    const offsets: number[] = [];
    const dense = this.dense;
    if (dense !== null) for (let position = 0; position < dense.length; position++) if (dense[position] !== 0) offsets.push(this.base + position);
    if (this.sparse === null) return offsets;
    const sparse = [...this.sparse.keys()].sort((left, right) => left - right);
    // Merge: sparse offsets lie outside the window, below or above it.
    const below = sparse.filter((offset) => offset < this.base);
    const above = sparse.filter((offset) => offset >= this.base);
    return [...below, ...offsets, ...above];
  }
}
