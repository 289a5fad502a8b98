import type { NetworkOptions } from "../api.js";
import { assert } from "../simulation/assert.js";
import type { Random } from "../simulation/random.js";
import type { Scheduler } from "../simulation/scheduler.js";
import type { Trace } from "../simulation/trace.js";
import type { SimulatedNode } from "./node.js";

export const defaultNetworkOptions: NetworkOptions = { minLatencyMs: 0.5, maxLatencyMs: 2, lossRate: 0, reorder: false };

const maxNodes = 65_536;

export type Receiver<Message> = (from: string, message: Message) => void;

/**
 * Links between every pair of nodes. A message is dropped when its link is cut (at send or at
 * delivery), when it is lost by chance, or when either end crashed in between (the TCP connection
 * died with the process). A link keeps send order unless reordering is on.
 */
export class Network<Message extends { readonly kind: string }> {
  private readonly nodes = new Map<string, { node: SimulatedNode; receive: Receiver<Message> }>();
  private readonly cuts = new Set<number>();
  private readonly lastDelivery = new Map<number, number>();

  constructor(
    private readonly options: NetworkOptions,
    private readonly scheduler: Scheduler,
    private readonly random: Random,
    private readonly trace: Trace,
  ) {
    validateNetworkOptions(options);
  }

  attach(node: SimulatedNode, receive: Receiver<Message>): void {
    assert(!this.nodes.has(node.name), `node ${node.name} attached twice`);
    assert(node.index < maxNodes, "too many nodes");
    this.nodes.set(node.name, { node, receive });
  }

  has(name: string): boolean {
    return this.nodes.has(name);
  }

  nodeNamed(name: string): SimulatedNode | undefined {
    return this.nodes.get(name)?.node;
  }

  cut(from: string, to: string): void {
    const source = this.requireNode(from);
    const target = this.requireNode(to);
    this.cuts.add(linkKey(source, target));
  }

  heal(): void {
    this.cuts.clear();
  }

  isCut(from: SimulatedNode, to: SimulatedNode): boolean {
    return this.cuts.size > 0 && this.cuts.has(linkKey(from, to));
  }

  send(from: SimulatedNode, to: string, message: Message): void {
    if (!from.running) return;
    const target = this.nodes.get(to);
    assert(target !== undefined, `send to unknown node ${to}`);
    const destination = target.node;
    if (destination.status === "down" || this.isCut(from, destination)) return;
    if (this.options.lossRate > 0 && this.random.nextFloat() < this.options.lossRate) {
      this.trace.count("lost");
      return;
    }
    const { minLatencyMs, maxLatencyMs } = this.options;
    let deliverAt = this.scheduler.nowMs + minLatencyMs + this.random.nextFloat() * (maxLatencyMs - minLatencyMs);
    if (!this.options.reorder) {
      const key = linkKey(from, destination);
      const previous = this.lastDelivery.get(key) ?? 0;
      if (deliverAt < previous) deliverAt = previous;
      this.lastDelivery.set(key, deliverAt);
    }
    const senderIncarnation = from.incarnation;
    const receiverIncarnation = destination.incarnation;
    const fromName = from.name;
    const receive = target.receive;
    this.scheduler.at(deliverAt, () => {
      if (from.incarnation !== senderIncarnation || this.isCut(from, destination)) return;
      destination.run(receiverIncarnation, () => {
        this.trace.count(message.kind);
        receive(fromName, message);
      });
    });
  }

  private requireNode(name: string): SimulatedNode {
    const entry = this.nodes.get(name);
    if (entry === undefined) throw new Error(`node: "${name}" is unknown; known nodes: ${[...this.nodes.keys()].join(", ")}`);
    return entry.node;
  }
}

function linkKey(from: SimulatedNode, to: SimulatedNode): number {
  return from.index * maxNodes + to.index;
}

function validateNetworkOptions(options: NetworkOptions): void {
  const { minLatencyMs, maxLatencyMs, lossRate } = options;
  if (!(Number.isFinite(minLatencyMs) && minLatencyMs >= 0))
    throw new Error(`network.minLatencyMs: ${minLatencyMs} is not allowed; use a finite number >= 0`);
  if (!(Number.isFinite(maxLatencyMs) && maxLatencyMs >= minLatencyMs))
    throw new Error(`network.maxLatencyMs: ${maxLatencyMs} is not allowed; use a finite number >= minLatencyMs (${minLatencyMs})`);
  if (!(lossRate >= 0 && lossRate < 1)) throw new Error(`network.lossRate: ${lossRate} is not allowed; use a number in [0, 1)`);
}
