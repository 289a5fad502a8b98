/**
 * The Java client's key hashing (org.apache.kafka.common.utils.Utils.murmur2 and the built-in
 * partitioner): murmur2 with seed 0x9747b28c over the key's UTF-8 bytes, made positive by masking the
 * sign bit (not Math.abs, which would fold -2^31), modulo the partition count.
 */
const seed = 0x9747b28c;
const multiplier = 0x5bd1e995;
const shift = 24;
const encoder = new TextEncoder();

/** Java's murmur2 as a signed 32-bit integer. */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  let hash = (seed ^ length) | 0;
  const whole = length - (length % 4);
  for (let position = 0; position < whole; position += 4) {
    let k =
      (bytes[position]! & 0xff) |
      ((bytes[position + 1]! & 0xff) << 8) |
      ((bytes[position + 2]! & 0xff) << 16) |
      ((bytes[position + 3]! & 0xff) << 24);
    k = Math.imul(k, multiplier);
    k ^= k >>> shift;
    k = Math.imul(k, multiplier);
    hash = Math.imul(hash, multiplier);
    hash ^= k;
  }
  // The tail falls through like Java's switch: 3 bytes mix all three, then multiply once.
  const tail = length % 4;
  if (tail >= 3) hash ^= (bytes[whole + 2]! & 0xff) << 16;
  if (tail >= 2) hash ^= (bytes[whole + 1]! & 0xff) << 8;
  if (tail >= 1) {
    hash ^= bytes[whole]! & 0xff;
    hash = Math.imul(hash, multiplier);
  }
  hash ^= hash >>> 13;
  hash = Math.imul(hash, multiplier);
  hash ^= hash >>> 15;
  return hash | 0;
}

/** Kafka's Utils.toPositive: clear the sign bit. */
export function toPositive(hash: number): number {
  return hash & 0x7fffffff;
}

/** The partition the Java client's built-in partitioner picks for a non-null key. */
export function partitionForKey(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions=${partitions} is not allowed; allowed: an integer of at least 1`);
  }
  return toPositive(murmur2(encoder.encode(key))) % partitions;
}
