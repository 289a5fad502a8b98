/**
 * Applies the fault vocabulary (chaos/fault.ts) to a container cluster and records each fault as a
 * nemesis operation with its real time: an `invoke` when the fault starts and an `ok` once it took
 * effect (`info` when applying it failed), naming the nodes it hit (leader faults name the leader they resolved to).
 *
 * Power loss cannot be applied to containers: a SIGKILLed container keeps the host's page cache, and
 * dropping only the container's unflushed pages is not possible from outside. It is refused.
 */
import type { FaultKind, Fault, NodeName } from "../fault.js";
import { allFaultKinds } from "../fault.js";
import type { NemesisValue } from "../../model/history/event.js";
import { describeFault, nemesisFunction } from "../describe-fault.js";
import type { ClusterControl } from "./cluster-control.js";
import { linksCutBy, type Link } from "./links.js";

export type { ClusterControl } from "./cluster-control.js";
export { linksCutBy, type Link } from "./links.js";

/** Every fault but power loss: a container cannot lose its page cache (the kernel's is shared). */
export const kafkaSupportedFaults: ReadonlySet<FaultKind> = new Set<FaultKind>(allFaultKinds.filter((kind) => kind !== "power-loss"));

/** Where the nemesis writes: the target's history recorder (kept abstract: chaos/ imports no adapter). */
export interface NemesisLog {
  invoke(f: string, value: NemesisValue): { complete(type: "ok" | "info", value: NemesisValue, error?: string): void };
}

export interface KafkaNemesisOptions {
  readonly cluster: ClusterControl;
  /** Broker id leading `topic`/`partition` now, or null when it has none. */
  readonly leaderOf: (topic: string, partition: number) => Promise<number | null>;
  readonly log: NemesisLog;
}

export class KafkaNemesis {
  private readonly down = new Set<NodeName>();
  private readonly paused = new Set<NodeName>();
  private readonly cuts: Link[] = [];

  constructor(private readonly options: KafkaNemesisOptions) {}

  get state(): { down: NodeName[]; paused: NodeName[]; cuts: Link[] } {
    return { down: [...this.down], paused: [...this.paused], cuts: [...this.cuts] };
  }

  /** Applies one fault and records it. Refuses faults the container cluster cannot apply. */
  async apply(fault: Fault): Promise<NemesisValue> {
    if (!kafkaSupportedFaults.has(fault.kind)) {
      throw new Error(`fault kind '${fault.kind}' is not supported on the Kafka target; allowed: ${[...kafkaSupportedFaults].join(", ")}`);
    }
    const description = describeFault(fault);
    const operation = this.options.log.invoke(nemesisFunction(fault), { description });
    try {
      const result = await this.perform(fault, description);
      // ok: the fault was applied, or had nothing to act on (said in the description), as on the engine.
      operation.complete("ok", result.value);
      return result.value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      operation.complete("info", { description: `${description} FAILED: ${message}` }, "NEMESIS_ERROR");
      throw error;
    }
  }

  /**
   * The finale's restoration: heal every link, resume every paused node, start every down node, each
   * recorded. Returns the nodes it touched.
   */
  async restoreAll(): Promise<void> {
    await this.apply({ kind: "heal" });
    for (const node of [...this.paused]) await this.apply({ kind: "resume", node });
    for (const node of [...this.down]) await this.apply({ kind: "restart", node });
  }

  private requireNode(node: NodeName, key: string): void {
    if (!this.options.cluster.nodeNames.includes(node)) {
      throw new Error(`${key}: node '${node}' is not in the cluster; allowed: ${this.options.cluster.nodeNames.join(", ")}`);
    }
  }

  /**
   * The leader's node, or why none was found. A metadata request that times out (the cluster is busy
   * electing, a broker is paused) is not a failure of the fault: nothing is hit, and the history says why.
   */
  private async resolveLeader(topic: string, partition: number): Promise<{ node: NodeName | null; why: string }> {
    try {
      const leader = await this.options.leaderOf(topic, partition);
      return leader === null ? { node: null, why: "no leader" } : { node: `broker-${leader}`, why: "" };
    } catch (error) {
      return { node: null, why: `leader unknown (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  private async killNode(node: NodeName): Promise<void> {
    // A frozen container cannot receive the kill: thaw it first so SIGKILL lands at once.
    if (this.paused.has(node)) {
      await this.options.cluster.resume(node);
      this.paused.delete(node);
    }
    await this.options.cluster.kill(node);
    this.down.add(node);
  }

  private async cutLinks(links: readonly Link[]): Promise<void> {
    for (const [from, to] of links) {
      await this.options.cluster.cut(from, to);
      this.cuts.push([from, to]);
    }
  }

  private async perform(fault: Fault, description: string): Promise<{ value: NemesisValue }> {
    const { cluster } = this.options;
    switch (fault.kind) {
      case "kill": {
        this.requireNode(fault.node, "kill.node");
        await this.killNode(fault.node);
        return { value: { nodes: [fault.node], description } };
      }
      case "kill-leader": {
        const { node: leader, why } = await this.resolveLeader(fault.topic, fault.partition);
        if (leader === null) return { value: { nodes: [], description: `${description}: ${why}, nothing killed` } };
        await this.killNode(leader);
        return { value: { nodes: [leader], description: `${description}: ${leader}` } };
      }
      case "stop": {
        this.requireNode(fault.node, "stop.node");
        if (this.paused.has(fault.node)) {
          await cluster.resume(fault.node);
          this.paused.delete(fault.node);
        }
        await cluster.stop(fault.node);
        this.down.add(fault.node);
        return { value: { nodes: [fault.node], description } };
      }
      case "restart": {
        this.requireNode(fault.node, "restart.node");
        if (!this.down.has(fault.node)) {
          return { value: { nodes: [fault.node], description: `${description}: already running, nothing done` } };
        }
        await cluster.start(fault.node);
        this.down.delete(fault.node);
        return { value: { nodes: [fault.node], description } };
      }
      case "pause": {
        this.requireNode(fault.node, "pause.node");
        if (this.down.has(fault.node) || this.paused.has(fault.node)) {
          return { value: { nodes: [fault.node], description: `${description}: not running, nothing done` } };
        }
        await cluster.pause(fault.node);
        this.paused.add(fault.node);
        return { value: { nodes: [fault.node], description } };
      }
      case "resume": {
        this.requireNode(fault.node, "resume.node");
        if (!this.paused.has(fault.node)) {
          return { value: { nodes: [fault.node], description: `${description}: not paused, nothing done` } };
        }
        await cluster.resume(fault.node);
        this.paused.delete(fault.node);
        return { value: { nodes: [fault.node], description } };
      }
      case "isolate-leader": {
        const { node: leader, why } = await this.resolveLeader(fault.topic, fault.partition);
        if (leader === null) return { value: { nodes: [], cuts: [], description: `${description}: ${why}, nothing cut` } };
        const links = linksCutBy(fault, cluster.nodeNames, leader);
        await this.cutLinks(links);
        return { value: { nodes: [leader], cuts: links, description: `${description}: ${leader}` } };
      }
      case "isolate":
      case "split":
      case "one-way":
      case "bridge": {
        const links = linksCutBy(fault, cluster.nodeNames);
        await this.cutLinks(links);
        const nodes = [...new Set(links.flat())];
        return { value: { nodes, cuts: links, description } };
      }
      case "cut-client": {
        this.requireNode(fault.node, "cut-client.node");
        await cluster.cutClients(fault.node);
        const links: Link[] = [
          [fault.client, fault.node],
          [fault.node, fault.client],
        ];
        this.cuts.push(...links);
        // Every harness client shares the host's address, so the cut reaches all of them: say so.
        return {
          value: { nodes: [fault.client, fault.node], cuts: links, description: `${description} (the container network cuts every harness client from ${fault.node})` },
        };
      }
      case "heal": {
        await cluster.heal();
        this.cuts.length = 0;
        return { value: { nodes: [], description } };
      }
      case "power-loss":
        throw new Error("fault kind 'power-loss' is not supported on the Kafka target");
    }
  }
}
