/**
 * Payload → send number, for every send of a history (payloads are unique). A JavaScript Map of a
 * million strings costs several hundred nanoseconds per insertion while the parser fills the heap
 * (growth rehashes and GC write barriers on a table of heap pointers); this open-addressing table
 * keeps its slots and hashes in typed arrays, so an insertion or a lookup is one hash of the string
 * and usually one probe.
 */

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser so the low bits (the slot) mix well. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let position = 0; position < text.length; position++) {
    hash ^= text.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash;
}

const minimumSlots = 1024;

export class PayloadIndex {
  /**
   * Pairs of (send number + 1, hash) per slot, interleaved so a probe reads one cache line; 0 marks
   * an empty slot. At most half of the slots are used.
   */
  private slots: Int32Array;
  /** Each send's payload, by send number. */
  private readonly payloadList: string[] = [];

  constructor(expectedSends = 0) {
    let slots = minimumSlots;
    while (slots < expectedSends * 2) slots *= 2;
    this.slots = new Int32Array(slots * 2);
  }

  get size(): number {
    return this.payloadList.length;
  }

  /** Payloads by send number. */
  get payloads(): readonly string[] {
    return this.payloadList;
  }

  /** The send number of a payload, or -1. */
  get(payload: string): number {
    const hash = hashOf(payload);
    const slots = this.slots;
    const count = slots.length >> 1;
    const mask = count - 1;
    // Bounded: the table is at most half full, so an empty slot comes within `count` probes.
    for (let slot = hash & mask, probes = 0; probes < count; slot = (slot + 1) & mask, probes++) {
      const entry = slots[slot * 2] as number;
      if (entry === 0) return -1;
      if (slots[slot * 2 + 1] === hash && this.payloadList[entry - 1] === payload) return entry - 1;
    }
    return -1;
  }

  /**
   * Adds a payload as the next send number and returns -1; when the payload is already present,
   * adds nothing and returns the earlier send's number.
   */
  add(payload: string): number {
    const hash = hashOf(payload);
    if ((this.payloadList.length + 1) * 2 > this.slots.length >> 1) this.grow();
    const slots = this.slots;
    const count = slots.length >> 1;
    const mask = count - 1;
    let slot = hash & mask;
    for (let probes = 0; probes < count; slot = (slot + 1) & mask, probes++) {
      const entry = slots[slot * 2] as number;
      if (entry === 0) break;
      if (slots[slot * 2 + 1] === hash && this.payloadList[entry - 1] === payload) return entry - 1;
    }
    const send = this.payloadList.length;
    this.payloadList.push(payload);
    slots[slot * 2] = send + 1;
    slots[slot * 2 + 1] = hash;
    return -1;
  }

  /** Doubles the table; every entry is placed again from its stored hash (no string is hashed again). */
  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let position = 0; position < old.length; position += 2) {
      const entry = old[position] as number;
      if (entry === 0) continue;
      const hash = old[position + 1] as number;
      let slot = hash & mask;
      while (slots[slot * 2] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = entry;
      slots[slot * 2 + 1] = hash;
    }
    this.slots = slots;
  }
}
