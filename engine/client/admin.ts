import type { EngineConfig } from "../api.js";
import type { EngineContext } from "../context.js";
import type { SimulatedNode } from "../network/node.js";
import type { Message } from "../protocol/messages.js";

export type AdminResult = { type: "ok" } | { type: "fail"; error: string };

const adminRequestTimeoutMs = 30_000;

/** The admin client: topic creation and partition addition, sent to the active controller. */
export class AdminClient {
  private readonly pending = new Map<number, (result: AdminResult) => void>();
  private requestCounter = 0;

  constructor(
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
  ) {}

  createTopic(topic: { name: string; partitions: number; replicationFactor: number; config: EngineConfig }, done: (result: AdminResult) => void): void {
    const requestId = this.track(done);
    this.context.network.send(this.node, this.context.controllerNode, {
      kind: "create-topic",
      requestId,
      topic: topic.name,
      partitions: topic.partitions,
      replicationFactor: topic.replicationFactor,
      config: { ...topic.config },
    });
  }

  createPartitions(topic: string, totalCount: number, done: (result: AdminResult) => void): void {
    const requestId = this.track(done);
    this.context.network.send(this.node, this.context.controllerNode, { kind: "create-partitions", requestId, topic, totalCount });
  }

  handle(message: Message): void {
    if (message.kind !== "admin-response") return;
    const done = this.pending.get(message.requestId);
    if (done === undefined) return;
    this.pending.delete(message.requestId);
    done(message.error === null ? { type: "ok" } : { type: "fail", error: `${message.error}: ${message.message}` });
  }

  private track(done: (result: AdminResult) => void): number {
    const requestId = ++this.requestCounter;
    this.pending.set(requestId, done);
    this.node.timer(adminRequestTimeoutMs, () => {
      if (!this.pending.has(requestId)) return;
      this.pending.delete(requestId);
      done({ type: "fail", error: "REQUEST_TIMED_OUT: the controller did not answer" });
    });
    return requestId;
  }
}
