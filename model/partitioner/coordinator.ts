/**
 * Which `__consumer_offsets` partition holds a group, so which broker coordinates it: Kafka takes
 * `Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions`, with Java's String.hashCode over
 * UTF-16 code units and Utils.abs mapping Integer.MIN_VALUE to 0.
 */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash;
}

export function coordinatorPartitionFor(group: string, offsetsPartitions: number): number {
  if (!Number.isInteger(offsetsPartitions) || offsetsPartitions < 1) throw new RangeError(`offsets.topic.num.partitions ${offsetsPartitions} must be an integer >= 1`);
  const hash = javaStringHashCode(group);
  const positive = hash === -2147483648 ? 0 : Math.abs(hash);
  return positive % offsetsPartitions;
}
