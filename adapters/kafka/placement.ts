/**
 * Replica placement chosen by the Kafka target, so scenarios can name brokers: partition p of a topic
 * with replication factor r on n brokers gets replicas [(p mod n)+1, ((p+1) mod n)+1, ...], the first
 * being the preferred leader. Partition 0 of every topic is therefore led by broker-1 at creation.
 * (Kafka's own placer starts at a random broker, which would make "kill the follower" unwritable.)
 */
export function replicaAssignment(partitions: number, replicationFactor: number, brokerIds: readonly number[]): number[][] {
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`partitions=${partitions} must be a whole number >= 1`);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > brokerIds.length) {
    throw new Error(`replicationFactor=${replicationFactor} must be between 1 and the broker count ${brokerIds.length}`);
  }
  const sorted = [...brokerIds].sort((a, b) => a - b);
  const assignment: number[][] = [];
  for (let partition = 0; partition < partitions; partition += 1) {
    const replicas: number[] = [];
    for (let replica = 0; replica < replicationFactor; replica += 1) {
      const broker = sorted[(partition + replica) % sorted.length];
      if (broker === undefined) throw new Error("unreachable: broker index out of range");
      replicas.push(broker);
    }
    assignment.push(replicas);
  }
  return assignment;
}

/** A topic name unique to one run, so one cluster serves many scenarios without deleting topics. */
export function physicalTopicName(name: string, runTag: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`topic name '${name}' must use only letters, digits, '.', '_' and '-'`);
  if (!/^[A-Za-z0-9]+$/.test(runTag)) throw new Error(`run tag '${runTag}' must be letters and digits`);
  const physical = `${name}--${runTag}`;
  if (physical.length > 249) throw new Error(`topic name '${physical}' exceeds Kafka's 249 characters`);
  return physical;
}
