/**
 * One fault planner for every target: a fault and what the nemesis knows of the cluster (which nodes are
 * down, which paused, which links cut) in; the actions to take and the nemesis event to record out. The
 * planner is pure bookkeeping, so the engine and Kafka record a fault the same way, and a `compare`
 * difference is the targets', never the harness's own. Each target has a small executor that turns the
 * actions into its own operations (engine/ simulation calls, docker and iptables).
 *
 * Conventions (one for both targets):
 * - a fault that cannot apply (killing a broker that is down, resuming one that runs, a leader fault
 *   on a partition without a leader) has no effect: `nodes: []`, said in the description;
 * - isolation cuts a node from the other cluster nodes (brokers and controllers), not from clients;
 *   clients are cut only where a fault names them (`cut-client`, `one-way`, `bridge`, a split's minority);
 * - `nodes` of a network fault are the endpoints of the links it cut; `heal` records `nodes: []`, `cuts: []`.
 */
import type { Fault, NodeName } from "../fault.js";
import type { NemesisValue } from "../../model/index.js";
import { describeFault } from "../describe-fault.js";
import { linksCutBy, type Link } from "./links.js";

export type NemesisAction =
  /** Crash the node; `wasPaused` says it was frozen (a container must be thawed before SIGKILL lands). */
  | { readonly kind: "kill" | "power-loss" | "stop"; readonly node: NodeName; readonly wasPaused: boolean }
  | { readonly kind: "restart" | "pause" | "resume"; readonly node: NodeName }
  | { readonly kind: "cut"; readonly links: readonly Link[] }
  | { readonly kind: "cut-client"; readonly client: NodeName; readonly node: NodeName }
  | { readonly kind: "heal" };

export interface FaultPlan {
  readonly actions: readonly NemesisAction[];
  /** The completion's value for the history: what the fault actually hit. */
  readonly value: NemesisValue;
}

/** A leader fault's target, resolved by the executor (only it can ask the cluster). */
export interface ResolvedLeader {
  readonly node: NodeName | null;
  /** Why there is none ("no leader", "leader unknown (timeout)"). */
  readonly why: string;
}

export class FaultPlanner {
  private readonly down = new Set<NodeName>();
  private readonly paused = new Set<NodeName>();
  private readonly cut: Link[] = [];

  constructor(
    /** Brokers and controllers: network faults cut links between these. */
    private readonly clusterNodes: readonly NodeName[],
    /** The scenario's clients, which `one-way`, `bridge` and a split's minority may name. */
    private readonly clients: readonly NodeName[] = [],
  ) {}

  get downNodes(): readonly NodeName[] {
    return [...this.down].sort();
  }

  get pausedNodes(): readonly NodeName[] {
    return [...this.paused].sort();
  }

  get cutLinks(): readonly Link[] {
    return [...this.cut];
  }

  /** Faults that bring the cluster back whole: heal, resume every paused node, restart every down one. */
  finale(): Fault[] {
    return [{ kind: "heal" }, ...this.pausedNodes.map((node): Fault => ({ kind: "resume", node })), ...this.downNodes.map((node): Fault => ({ kind: "restart", node }))];
  }

  /**
   * Plans one fault and records its effect on what the planner knows. `leader` resolves
   * `kill-leader` and `isolate-leader` (required for them). Throws on a node the cluster does not have.
   */
  plan(fault: Fault, leader?: ResolvedLeader): FaultPlan {
    const description = describeFault(fault);
    switch (fault.kind) {
      case "kill":
      case "power-loss":
      case "stop":
        if (fault.kind === "kill") this.requireProcess(fault.node, "kill.node");
        else this.requireNode(fault.node, `${fault.kind}.node`);
        return this.crash(fault.kind, fault.node, description);
      case "kill-leader":
      case "kill-coordinator": {
        const resolved = this.leader(leader, fault.kind);
        if (resolved.node === null) return noEffect(description, resolved.why);
        return this.crash("kill", resolved.node, `${description}: ${resolved.node}`);
      }
      case "restart":
        this.requireProcess(fault.node, "restart.node");
        if (!this.down.has(fault.node)) return noEffect(description, "already running");
        this.down.delete(fault.node);
        return { actions: [{ kind: "restart", node: fault.node }], value: { nodes: [fault.node], description } };
      case "pause":
        this.requireProcess(fault.node, "pause.node");
        if (this.down.has(fault.node) || this.paused.has(fault.node)) return noEffect(description, "not running");
        this.paused.add(fault.node);
        return { actions: [{ kind: "pause", node: fault.node }], value: { nodes: [fault.node], description } };
      case "resume":
        this.requireProcess(fault.node, "resume.node");
        if (!this.paused.has(fault.node)) return noEffect(description, "not paused");
        this.paused.delete(fault.node);
        return { actions: [{ kind: "resume", node: fault.node }], value: { nodes: [fault.node], description } };
      case "isolate-leader": {
        const resolved = this.leader(leader, fault.kind);
        if (resolved.node === null) return { actions: [], value: { nodes: [], cuts: [], description: `${description}: ${resolved.why}, no effect` } };
        return this.cutAll(linksCutBy(fault, this.clusterNodes, resolved.node, this.clients), `${description}: ${resolved.node}`);
      }
      case "isolate":
      case "split":
      case "one-way":
      case "bridge":
        return this.cutAll(linksCutBy(fault, this.clusterNodes, null, this.clients), description);
      case "cut-client": {
        this.requireNode(fault.node, "cut-client.node");
        const links: Link[] = [
          [fault.client, fault.node],
          [fault.node, fault.client],
        ];
        this.cut.push(...links);
        return { actions: [{ kind: "cut-client", client: fault.client, node: fault.node }], value: { nodes: [fault.client, fault.node], cuts: links, description } };
      }
      case "heal":
        this.cut.length = 0;
        return { actions: [{ kind: "heal" }], value: { nodes: [], cuts: [], description } };
    }
  }

  private crash(kind: "kill" | "power-loss" | "stop", node: NodeName, description: string): FaultPlan {
    if (this.down.has(node)) return noEffect(description, "already down");
    const wasPaused = this.paused.delete(node);
    this.down.add(node);
    return { actions: [{ kind, node, wasPaused }], value: { nodes: [node], description } };
  }

  private cutAll(links: readonly Link[], description: string): FaultPlan {
    this.cut.push(...links);
    const nodes = [...new Set(links.flat())];
    return { actions: links.length === 0 ? [] : [{ kind: "cut", links }], value: { nodes, cuts: links.map(([from, to]) => [from, to] as const), description } };
  }

  private leader(leader: ResolvedLeader | undefined, kind: string): ResolvedLeader {
    if (leader === undefined) throw new Error(`${kind}: the executor must resolve the leader before planning`);
    if (leader.node !== null) this.requireNode(leader.node, `${kind} leader`);
    return leader;
  }

  /** kill, pause, resume and restart may also name a client (a group consumer: scenario validation says which). */
  private requireProcess(node: NodeName, key: string): void {
    if (!this.clients.includes(node)) this.requireNode(node, key);
  }

  private requireNode(node: NodeName, key: string): void {
    if (!this.clusterNodes.includes(node)) throw new Error(`${key}: node '${node}' is not in the cluster; allowed: ${this.clusterNodes.join(", ")}`);
  }
}

/** Leader faults need the leader resolved first. */
export function needsLeader(fault: Fault): fault is Extract<Fault, { kind: "kill-leader" | "isolate-leader" | "kill-coordinator" }> {
  return fault.kind === "kill-leader" || fault.kind === "isolate-leader" || fault.kind === "kill-coordinator";
}

function noEffect(description: string, why: string): FaultPlan {
  return { actions: [], value: { nodes: [], description: `${description}: ${why}, no effect` } };
}
