/**
 * Applies the fault vocabulary to the simulation and says, for the nemesis event, what it hit. Keeps
 * which nodes are down or paused, so a fault that cannot apply (killing a dead broker, resuming a
 * running one) is recorded as having no effect instead of reaching the engine, and so the finale knows
 * what to restart and resume.
 */
import type { NemesisValue } from "../../model/history/event.js";
import type { Simulation } from "../../engine/api.js";
import type { Fault } from "../../chaos/fault.js";
import { describeFault } from "../../chaos/describe-fault.js";

type Cut = readonly [string, string];

export class EngineNemesis {
  private readonly down = new Set<string>();
  private readonly paused = new Set<string>();

  constructor(
    private readonly simulation: Simulation,
    /** Brokers and controllers: a majority/minority split is between these only. */
    private readonly clusterNodes: readonly string[],
  ) {}

  get downNodes(): readonly string[] {
    return [...this.down].sort();
  }

  get pausedNodes(): readonly string[] {
    return [...this.paused].sort();
  }

  apply(fault: Fault): NemesisValue {
    const description = describeFault(fault);
    switch (fault.kind) {
      case "kill":
      case "power-loss":
      case "stop":
        return this.crash(fault.kind, fault.node, description);
      case "kill-leader": {
        const leader = this.simulation.leaderOf(fault.topic, fault.partition);
        if (leader === null) return { nodes: [], description: `${description}: the partition has no leader, no effect` };
        return this.crash("kill", `broker-${leader}`, `${description}: broker-${leader}`);
      }
      case "restart": {
        if (!this.down.has(fault.node)) return { nodes: [], description: `${description}: already running, no effect` };
        this.down.delete(fault.node);
        this.simulation.restart(fault.node);
        return { nodes: [fault.node], description };
      }
      case "pause": {
        if (this.down.has(fault.node) || this.paused.has(fault.node)) return { nodes: [], description: `${description}: not running, no effect` };
        this.paused.add(fault.node);
        this.simulation.pause(fault.node);
        return { nodes: [fault.node], description };
      }
      case "resume": {
        if (!this.paused.has(fault.node)) return { nodes: [], description: `${description}: not paused, no effect` };
        this.paused.delete(fault.node);
        this.simulation.resume(fault.node);
        return { nodes: [fault.node], description };
      }
      case "isolate":
        return this.cutAll(this.isolation(fault.node), [fault.node], description);
      case "isolate-leader": {
        const leader = this.simulation.leaderOf(fault.topic, fault.partition);
        if (leader === null) return { nodes: [], description: `${description}: the partition has no leader, no effect` };
        const node = `broker-${leader}`;
        return this.cutAll(this.isolation(node), [node], `${description}: ${node}`);
      }
      case "split": {
        const majority = this.clusterNodes.filter((node) => !fault.minority.includes(node));
        return this.cutAll(bothWays(fault.minority, majority), [...fault.minority], description);
      }
      case "one-way": {
        const cuts: Cut[] = [];
        for (const from of fault.from) for (const to of fault.to) if (from !== to) cuts.push([from, to]);
        return this.cutAll(cuts, [...fault.from, ...fault.to], description);
      }
      case "bridge":
        return this.cutAll(bothWays(fault.left, fault.right), [fault.bridge, ...fault.left, ...fault.right], description);
      case "cut-client":
        return this.cutAll(bothWays([fault.client], [fault.node]), [fault.client, fault.node], description);
      case "heal":
        this.simulation.heal();
        return { nodes: [], cuts: [], description };
    }
  }

  private crash(kind: "kill" | "power-loss" | "stop", node: string, description: string): NemesisValue {
    if (this.down.has(node)) return { nodes: [], description: `${description}: already down, no effect` };
    // A paused process can still be killed (SIGKILL works on a stopped process); it is then down, not paused.
    this.paused.delete(node);
    this.down.add(node);
    if (kind === "kill") this.simulation.kill(node);
    else if (kind === "power-loss") this.simulation.powerLoss(node);
    else this.simulation.stop(node);
    return { nodes: [node], description };
  }

  /** Every link between the node and every other node the simulation knows (clients included). */
  private isolation(node: string): Cut[] {
    const others = this.simulation.nodes.filter((other) => other !== node);
    return bothWays([node], others);
  }

  private cutAll(cuts: readonly Cut[], nodes: readonly string[], description: string): NemesisValue {
    for (const [from, to] of cuts) this.simulation.cut(from, to);
    return { nodes: [...new Set(nodes)], cuts: cuts.map(([from, to]) => [from, to] as const), description };
  }
}

function bothWays(left: readonly string[], right: readonly string[]): Cut[] {
  const cuts: Cut[] = [];
  for (const a of left) {
    for (const b of right) {
      if (a === b) continue;
      cuts.push([a, b], [b, a]);
    }
  }
  return cuts;
}
