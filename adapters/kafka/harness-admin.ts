/**
 * Harness-side operations (not under test): creating topics, waiting for leaders, looking up leaders
 * and end offsets. They retry with p-retry within explicit bounds, because a cluster that just healed
 * needs a moment; the operations under test never get such retries.
 */
import pRetry from "p-retry";
import type { Admin, Kafka } from "kafkajs";
import type { TopicSpec } from "../../chaos/scenario.js";
import { replicaAssignment } from "./placement.js";
import { coordinatorPartitionFor } from "../../model/index.js";

/** Kafka's internal topic of committed offsets; its partitions' leaders coordinate the groups. */
export const offsetsTopic = "__consumer_offsets";

export interface HarnessAdminOptions {
  /** Attempts for each harness operation (p-retry's retries + 1). */
  readonly attempts: number;
  /** Upper bound on one wait-for-leaders call, ms. */
  readonly leaderWaitMs: number;
  readonly signal?: AbortSignal;
}

export interface PartitionOffsets {
  readonly partition: number;
  readonly startOffset: number;
  readonly endOffset: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    // The listener goes when the sleep ends: polling every 250 ms would pile them up on the run's signal.
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class HarnessAdmin {
  private constructor(
    private readonly admin: Admin,
    private readonly options: HarnessAdminOptions,
  ) {}

  static async connect(kafka: Kafka, options: HarnessAdminOptions): Promise<HarnessAdmin> {
    const admin = kafka.admin();
    await pRetry(() => admin.connect(), { retries: options.attempts - 1, minTimeout: 200, maxTimeout: 2000, signal: options.signal });
    return new HarnessAdmin(admin, options);
  }

  private retry<T>(what: string, operation: () => Promise<T>): Promise<T> {
    return pRetry(operation, {
      retries: this.options.attempts - 1,
      minTimeout: 200,
      maxTimeout: 2000,
      signal: this.options.signal,
      onFailedAttempt: ({ error, attemptNumber }) => {
        if (attemptNumber >= this.options.attempts) error.message = `${what}: ${error.message}`;
      },
    });
  }

  /** Creates a topic with the target's fixed placement; returns the assignment it used. */
  async createTopic(physicalName: string, spec: TopicSpec, brokerIds: readonly number[]): Promise<number[][]> {
    const assignment = replicaAssignment(spec.partitions, spec.replicationFactor, brokerIds);
    const configEntries = Object.entries(spec.config).map(([name, value]) => ({ name, value: String(value) }));
    await this.retry(`create topic ${physicalName}`, async () => {
      const existing = await this.admin.listTopics();
      if (existing.includes(physicalName)) return;
      await this.admin.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic: physicalName,
            replicaAssignment: assignment.map((replicas, partition) => ({ partition, replicas })),
            configEntries,
          },
        ],
      });
    });
    return assignment;
  }

  /** Leader broker id of every partition (-1 or missing: none). */
  async leaders(physicalName: string): Promise<Map<number, number>> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: [physicalName] });
    const topic = metadata.topics.find((candidate) => candidate.name === physicalName);
    if (topic === undefined) throw new Error(`topic ${physicalName} missing from metadata`);
    return new Map(topic.partitions.map((partition) => [partition.partitionId, partition.leader]));
  }

  async leaderOf(physicalName: string, partition: number): Promise<number | null> {
    const leaders = await this.retry(`leader of ${physicalName}/${partition}`, () => this.leaders(physicalName));
    const leader = leaders.get(partition);
    return leader === undefined || leader < 0 ? null : leader;
  }

  /**
   * The broker coordinating a group: the leader of its __consumer_offsets partition (Kafka's
   * abs(hashCode(group)) mod the topic's partition count, read from the metadata, not assumed).
   * Null while the topic does not exist yet (no group ever joined) or the partition has no leader.
   */
  async coordinatorOf(physicalGroup: string): Promise<number | null> {
    const leaders = await this.retry(`coordinator of ${physicalGroup}`, () => this.leaders(offsetsTopic));
    if (leaders.size === 0) return null;
    const leader = leaders.get(coordinatorPartitionFor(physicalGroup, leaders.size));
    return leader === undefined || leader < 0 ? null : leader;
  }

  /**
   * Waits until every partition has a live leader that answers ListOffsets, polling every 250 ms
   * for at most `leaderWaitMs`. Returns false when the bound passed first (the partition may be
   * offline for good, e.g. with unclean election off and every ISR member lost).
   */
  async waitForLeaders(physicalName: string, partitions: number, liveBrokers: ReadonlySet<number>): Promise<boolean> {
    const deadline = performance.now() + this.options.leaderWaitMs;
    const maximumPolls = Math.ceil(this.options.leaderWaitMs / 250) + 1;
    for (let poll = 0; poll < maximumPolls && performance.now() < deadline; poll += 1) {
      try {
        const leaders = await this.leaders(physicalName);
        let ready = leaders.size === partitions;
        for (const [, leader] of leaders) if (leader < 0 || !liveBrokers.has(leader)) ready = false;
        if (ready) {
          await this.admin.fetchTopicOffsets(physicalName);
          return true;
        }
      } catch {
        // Metadata from a broker that is still starting: ask again.
      }
      await sleep(250, this.options.signal);
    }
    return false;
  }

  async offsets(physicalName: string): Promise<PartitionOffsets[]> {
    const offsets = await this.retry(`offsets of ${physicalName}`, () => this.admin.fetchTopicOffsets(physicalName));
    return offsets
      .map((entry) => ({ partition: entry.partition, startOffset: Number(entry.low), endOffset: Number(entry.high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async disconnect(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
