/**
 * Murmur2 exactly as Kafka's Java client computes it (org.apache.kafka.common.utils.Utils.murmur2),
 * seed 0x9747b28c, over the key's UTF-8 bytes; returns a signed 32-bit integer like Java's int.
 */
const encoder = new TextEncoder();

export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const remainder = length % 4;
  // Java's switch falls through from 3 to 2 to 1; spelled out here.
  if (remainder >= 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (remainder >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (remainder >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Reused for ASCII keys (the common case), so hashing a key allocates nothing. */
let asciiBuffer = new Uint8Array(256);

export function murmur2OfString(text: string): number {
  const length = text.length;
  if (length > asciiBuffer.length) asciiBuffer = new Uint8Array(length * 2);
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) return murmur2(encoder.encode(text));
    asciiBuffer[index] = code;
  }
  return murmur2(asciiBuffer.subarray(0, length));
}

/** Java's Utils.toPositive: clears the sign bit (not Math.abs, which breaks on MIN_VALUE). */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}

/** The default partitioner's choice for a keyed record: toPositive(murmur2(key)) % partitions. */
export function partitionForKey(key: string, partitions: number): number {
  return toPositive(murmur2OfString(key)) % partitions;
}

/**
 * The planted bug wrong-key-hash: murmur2 over the key's UTF-16 code units (little-endian, two bytes
 * each, as `Buffer.from(key, "utf16le")` gives) instead of its UTF-8 bytes. A plausible slip in a
 * non-Java client; even for ASCII keys the bytes differ ("k0" becomes 6b 00 30 00), so keys land on
 * other partitions than the Java client's.
 */
export function partitionForKeyUtf16(key: string, partitions: number): number {
  const bytes = new Uint8Array(key.length * 2);
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    bytes[index * 2] = code & 0xff;
    bytes[index * 2 + 1] = code >>> 8;
  }
  return toPositive(murmur2(bytes)) % partitions;
}
