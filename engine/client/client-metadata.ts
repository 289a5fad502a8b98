import type { EngineContext } from "../context.js";
import { brokerNodeName } from "../context.js";
import type { SimulatedNode } from "../network/node.js";
import type { Message, PartitionMetadata } from "../protocol/messages.js";

/**
 * A client's view of the cluster: partition leaders and epochs per topic, refreshed from one broker at
 * a time (rotating, so a broker with stale metadata does not trap the client).
 */
export class ClientMetadata {
  private readonly topics = new Map<string, { partitions: readonly PartitionMetadata[]; fetchedMs: number }>();
  private readonly wanted = new Set<string>();
  private inFlightRequestId = 0;
  private cursor: number;
  private refreshAgain = false;

  constructor(
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly nextRequestId: () => number,
    private readonly requestTimeoutMs: number,
    private readonly retryBackoffMs: number,
    private readonly onUpdate: () => void,
  ) {
    this.cursor = context.random.integerBetween(0, context.brokerIds.length - 1);
  }

  partitions(topic: string): readonly PartitionMetadata[] | undefined {
    return this.topics.get(topic)?.partitions;
  }

  ageMs(topic: string): number {
    const entry = this.topics.get(topic);
    return entry === undefined ? Infinity : this.context.scheduler.nowMs - entry.fetchedMs;
  }

  leader(topic: string, partition: number): PartitionMetadata | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  want(topic: string): void {
    this.wanted.add(topic);
  }

  refresh(): void {
    if (this.wanted.size === 0) return;
    if (this.inFlightRequestId !== 0) {
      this.refreshAgain = true;
      return;
    }
    const requestId = this.nextRequestId();
    this.inFlightRequestId = requestId;
    this.refreshAgain = false;
    const brokerId = this.context.brokerIds[this.cursor % this.context.brokerIds.length]!;
    this.cursor++;
    this.context.network.send(this.node, brokerNodeName(brokerId), { kind: "metadata-request", requestId, topics: [...this.wanted] });
    this.node.timer(this.requestTimeoutMs, () => {
      if (this.inFlightRequestId !== requestId) return;
      this.inFlightRequestId = 0;
      this.refresh();
    });
  }

  /** Refreshes after retry.backoff.ms (used while a leader is unknown). */
  refreshLater(): void {
    if (this.inFlightRequestId !== 0) return;
    this.node.timer(this.retryBackoffMs, () => this.refresh());
  }

  handle(message: Extract<Message, { kind: "metadata-response" }>): void {
    if (message.requestId !== this.inFlightRequestId) return;
    this.inFlightRequestId = 0;
    for (const topic of message.topics) {
      if (topic.error !== null) continue;
      // KIP-320: never step back to an older leader epoch a stale broker reports.
      const previous = this.topics.get(topic.topic)?.partitions;
      const partitions = topic.partitions.map((partition, index) => {
        const old = previous?.[index];
        return old !== undefined && old.leaderEpoch > partition.leaderEpoch ? old : partition;
      });
      this.topics.set(topic.topic, { partitions, fetchedMs: this.context.scheduler.nowMs });
    }
    if (this.refreshAgain) this.refreshLater();
    this.onUpdate();
  }
}
