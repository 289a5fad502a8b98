/**
 * The first observation of every offset of one partition, without an object per offset: offsets are
 * dense from 0 in practice, so a growable Int32Array indexed by offset holds a small code; offsets
 * beyond the dense bound (or a history that starts high) fall back to a Map. Code 0 means empty.
 */
const denseLimit = 1 << 26;
const initialCapacity = 1024;

export class OffsetTable {
  private dense = new Int32Array(initialCapacity);
  private sparse: Map<number, number> | null = null;
  size = 0;

  get(offset: number): number {
    if (offset < denseLimit) return offset < this.dense.length ? (this.dense[offset] as number) : 0;
    return this.sparse?.get(offset) ?? 0;
  }

  /** Sets the code for an offset that has none yet. */
  set(offset: number, code: number): void {
    this.size++;
    if (offset < denseLimit) {
      if (offset >= this.dense.length) {
        let capacity = this.dense.length;
        while (capacity <= offset) capacity *= 2;
        const grown = new Int32Array(Math.min(capacity, denseLimit));
        grown.set(this.dense);
        this.dense = grown;
      }
      this.dense[offset] = code;
      return;
    }
    this.sparse ??= new Map();
    this.sparse.set(offset, code);
  }

  /** Every offset with an observation, ascending (for gap queries at the end). */
  sortedOffsets(): number[] {
    const offsets: number[] = [];
    const dense = this.dense;
    for (let offset = 0; offset < dense.length; offset++) if (dense[offset] !== 0) offsets.push(offset);
    if (this.sparse !== null) offsets.push(...[...this.sparse.keys()].sort((left, right) => left - right));
    return offsets;
  }
}
