/**
 * Kafka's executor of the fault planner (chaos/nemesis/planner.ts): the planner decides what a fault
 * does and what to record, as it does for the engine; this applies its actions to a container cluster
 * and records each fault as a nemesis operation with its real time: an `invoke` when the fault starts
 * and an `ok` once it took effect (`info` when applying it failed).
 *
 * Power loss cannot be applied to containers: a SIGKILLed container keeps the host's page cache, and
 * dropping only the container's unflushed pages is not possible from outside. It is refused.
 */
import type { FaultKind, Fault, NodeName } from "../../chaos/fault.js";
import { allFaultKinds } from "../../chaos/fault.js";
import type { NemesisValue } from "../../model/index.js";
import { describeFault, nemesisFunction } from "../../chaos/describe-fault.js";
import type { ClusterControl } from "./cluster-control.js";
import type { Link } from "../../chaos/nemesis/links.js";
import { FaultPlanner, needsLeader, type NemesisAction, type ResolvedLeader } from "../../chaos/nemesis/planner.js";

export type { ClusterControl } from "./cluster-control.js";
export { linksCutBy, type Link } from "../../chaos/nemesis/links.js";

/**
 * Every fault but power loss: a container cannot lose its page cache (the kernel's is shared).
 * kill-coordinator resolves the group's coordinator as the leader of its __consumer_offsets partition;
 * kill, pause, resume and restart of a group consumer's id act on that client (group/group-client.ts).
 */
export const kafkaSupportedFaults: ReadonlySet<FaultKind> = new Set<FaultKind>(allFaultKinds.filter((kind) => kind !== "power-loss"));

/** Where the nemesis writes: the target's history recorder (kept abstract, so tests hand in a fake). */
export interface NemesisLog {
  invoke(f: string, value: NemesisValue): { complete(type: "ok" | "info", value: NemesisValue, error?: string): void };
}

/** Process faults of clients (group consumers): crash, restart, freeze, thaw. */
export interface ClientFaults {
  /** Whether `node` is a client whose process faults are applied here. */
  has(node: NodeName): boolean;
  apply(kind: "kill" | "restart" | "pause" | "resume", node: NodeName): { readonly applied: boolean; readonly effect: string };
  /** The faults that bring every such client back for the finale (resume the paused, restart the crashed). */
  finale(): Fault[];
}

export interface KafkaNemesisOptions {
  readonly cluster: ClusterControl;
  /** Broker id leading `topic`/`partition` now, or null when it has none. */
  readonly leaderOf: (topic: string, partition: number) => Promise<number | null>;
  /** Broker id coordinating the (scenario's) group now, or null when it has none. */
  readonly coordinatorOf?: (group: string) => Promise<number | null>;
  readonly clients?: ClientFaults;
  readonly log: NemesisLog;
}

function processFault(fault: Fault): fault is Extract<Fault, { kind: "kill" | "restart" | "pause" | "resume" }> {
  return fault.kind === "kill" || fault.kind === "restart" || fault.kind === "pause" || fault.kind === "resume";
}

export class KafkaNemesis {
  private readonly planner: FaultPlanner;

  constructor(private readonly options: KafkaNemesisOptions) {
    this.planner = new FaultPlanner(options.cluster.nodeNames);
  }

  get state(): { down: NodeName[]; paused: NodeName[]; cuts: Link[] } {
    return { down: [...this.planner.downNodes], paused: [...this.planner.pausedNodes], cuts: [...this.planner.cutLinks] };
  }

  /** Applies one fault and records it. Refuses faults the container cluster cannot apply. */
  async apply(fault: Fault): Promise<NemesisValue> {
    if (!kafkaSupportedFaults.has(fault.kind)) {
      throw new Error(`fault kind '${fault.kind}' is not supported on the Kafka target; allowed: ${[...kafkaSupportedFaults].join(", ")}`);
    }
    const description = describeFault(fault);
    const operation = this.options.log.invoke(nemesisFunction(fault), { description });
    try {
      const clients = this.options.clients;
      if (processFault(fault) && clients?.has(fault.node) === true) {
        const { applied, effect } = clients.apply(fault.kind, fault.node);
        const value: NemesisValue = applied ? { nodes: [fault.node], description: `${description}: ${effect}` } : { nodes: [], description: `${description}: ${effect}, no effect` };
        operation.complete("ok", value);
        return value;
      }
      const leader = !needsLeader(fault) ? undefined : fault.kind === "kill-coordinator" ? await this.resolveCoordinator(fault.group) : await this.resolveLeader(fault.topic, fault.partition);
      const plan = this.planner.plan(fault, leader);
      for (const action of plan.actions) await this.perform(action);
      // ok: the fault was applied, or had nothing to act on (said in the description), as on the engine.
      const value = fault.kind === "cut-client" ? { ...plan.value, description: `${plan.value.description} (the container network cuts every harness client from ${fault.node})` } : plan.value;
      operation.complete("ok", value);
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      operation.complete("info", { description: `${description} FAILED: ${message}` }, "NEMESIS_ERROR");
      throw error;
    }
  }

  /** The finale's restoration: heal every link, resume every paused node, start every down node, each recorded. */
  async restoreAll(): Promise<void> {
    for (const fault of this.planner.finale()) await this.apply(fault);
    for (const fault of this.options.clients?.finale() ?? []) await this.apply(fault);
  }

  private async resolveCoordinator(group: string): Promise<ResolvedLeader> {
    const coordinatorOf = this.options.coordinatorOf;
    if (coordinatorOf === undefined) return { node: null, why: "coordinators are not resolved by this run" };
    try {
      const coordinator = await coordinatorOf(group);
      return coordinator === null ? { node: null, why: "the group has no coordinator" } : { node: `broker-${coordinator}`, why: "" };
    } catch (error) {
      return { node: null, why: `coordinator unknown (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  /**
   * The leader's node, or why none was found. A metadata request that times out (the cluster is busy
   * electing, a broker is paused) is not a failure of the fault: nothing is hit, and the history says why.
   */
  private async resolveLeader(topic: string, partition: number): Promise<ResolvedLeader> {
    try {
      const leader = await this.options.leaderOf(topic, partition);
      return leader === null ? { node: null, why: "the partition has no leader" } : { node: `broker-${leader}`, why: "" };
    } catch (error) {
      return { node: null, why: `leader unknown (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  private async perform(action: NemesisAction): Promise<void> {
    const { cluster } = this.options;
    switch (action.kind) {
      case "kill":
      case "stop":
        // A frozen container cannot receive the signal: thaw it first so it lands at once.
        if (action.wasPaused) await cluster.resume(action.node);
        return action.kind === "kill" ? cluster.kill(action.node) : cluster.stop(action.node);
      case "power-loss":
        throw new Error("fault kind 'power-loss' is not supported on the Kafka target");
      case "restart":
        return cluster.start(action.node);
      case "pause":
        return cluster.pause(action.node);
      case "resume":
        return cluster.resume(action.node);
      case "cut":
        for (const [from, to] of action.links) {
          // Every harness client shares the host's address: one client's link cannot be cut alone.
          if (!cluster.nodeNames.includes(from) || !cluster.nodeNames.includes(to)) throw new Error(`cannot cut ${from} -> ${to} on Kafka: a network fault between one client and a broker is cut-client's (which cuts every harness client)`);
          await cluster.cut(from, to);
        }
        return;
      case "cut-client":
        // Every harness client shares the host's address: the cut reaches all of them (the description says so).
        return cluster.cutClients(action.node);
      case "heal":
        return cluster.heal();
    }
  }
}
