/**
 * Java's HashMap/HashSet iteration order, emulated. Java's sticky assignors iterate hash maps of member
 * ids (which member keeps its extra partition, which claim wins a tie) and take "the first" element of
 * a HashSet of partitions when undoing a movement, so matching Java's result needs Java's order:
 * buckets in index order (index = spread hash & (capacity - 1)), entries within a bucket in insertion
 * order (Java appends at the bin's tail and a resize split keeps relative order). Capacity starts at 16,
 * doubles when the size passes 3/4 of it, and also doubles when a bin of 8 gets a ninth entry below
 * capacity 64; tree bins (9+ in one bin at capacity 64+) are not emulated and refused.
 */

/** java.lang.String.hashCode over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash;
}

/** org.apache.kafka.common.TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(). */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31 + partition, 31) + javaStringHash(topic)) | 0;
}

const initialCapacity = 16;
const treeifyThreshold = 8;
const minimumTreeifyCapacity = 64;

interface Slot<K> {
  readonly key: K;
  readonly hash: number;
  readonly sequence: number;
}

/** A default-constructed java.util.HashMap's key order, under puts and removes. `identity` makes keys comparable. */
export class JavaHashOrder<K> {
  private capacity = initialCapacity;
  private sequence = 0;
  private readonly slots = new Map<string, Slot<K>>();

  constructor(
    private readonly hashOf: (key: K) => number,
    private readonly identity: (key: K) => string,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  has(key: K): boolean {
    return this.slots.has(this.identity(key));
  }

  add(key: K): void {
    const id = this.identity(key);
    if (this.slots.has(id)) return; // a put on an existing key keeps its place
    const hash = this.hashOf(key);
    const binSize = [...this.slots.values()].filter((slot) => this.bucket(slot.hash) === this.bucket(hash)).length;
    if (binSize >= treeifyThreshold) {
      if (this.capacity >= minimumTreeifyCapacity) {
        throw new Error(`java-hash: ${treeifyThreshold + 1} keys share a hash bin at capacity ${this.capacity}; Java's tree bins are not emulated`);
      }
      this.capacity *= 2;
    }
    this.slots.set(id, { key, hash, sequence: this.sequence++ });
    if (this.slots.size > (this.capacity * 3) / 4) this.capacity *= 2;
  }

  delete(key: K): void {
    this.slots.delete(this.identity(key)); // Java never shrinks the table
  }

  /** The keys as Java's iterator yields them. */
  keys(): K[] {
    return [...this.slots.values()]
      .sort((left, right) => this.bucket(left.hash) - this.bucket(right.hash) || left.sequence - right.sequence)
      .map((slot) => slot.key);
  }

  private bucket(hash: number): number {
    return (hash ^ (hash >>> 16)) & (this.capacity - 1);
  }
}

/** The order a `new HashMap<>()` filled by puts of `keys` (in this order) iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const order = new JavaHashOrder<string>(javaStringHash, (key) => key);
  for (const key of keys) order.add(key);
  return order.keys();
}
