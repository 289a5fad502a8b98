/**
 * The engine's executor of the fault planner (chaos/nemesis/planner.ts): the planner decides what a
 * fault does and what to record; this turns its actions into simulation calls. Synchronous: the
 * simulation applies a fault at once, in simulated time.
 */
import type { NemesisValue } from "../../model/index.js";
import type { Simulation } from "../../engine/api.js";
import type { Fault } from "../../chaos/fault.js";
import { coordinatorPartitionFor } from "../../model/index.js";
import { FaultPlanner, needsLeader, type NemesisAction } from "../../chaos/nemesis/planner.js";

/** Kafka's internal topic of committed offsets; its partitions' leaders coordinate the groups. */
export const offsetsTopic = "__consumer_offsets";

/** What the executor needs of the simulation (a fake in tests). */
export type SimulationControl = Pick<Simulation, "leaderOf" | "kill" | "powerLoss" | "stop" | "restart" | "pause" | "resume" | "cut" | "heal">;

/** Faults on a group consumer's own process go to the driver that runs its application loop. */
export interface ClientProcessControl {
  owns(node: string): boolean;
  crash(node: string): void;
  restart(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
}

const noClientProcesses: ClientProcessControl = {
  owns: () => false,
  crash: () => undefined,
  restart: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
};

export class EngineNemesis {
  private readonly planner: FaultPlanner;

  constructor(
    private readonly simulation: SimulationControl,
    /** Brokers and controllers: network faults cut links between these. */
    clusterNodes: readonly string[],
    /** The scenario's clients, which some network faults name. */
    clients: readonly string[] = [],
    /** offsets.topic.num.partitions of the cluster (which partition coordinates a group). */
    private readonly offsetsPartitions: number = 50,
    private readonly clientProcesses: ClientProcessControl = noClientProcesses,
  ) {
    this.planner = new FaultPlanner(clusterNodes, clients);
  }

  get downNodes(): readonly string[] {
    return this.planner.downNodes;
  }

  get pausedNodes(): readonly string[] {
    return this.planner.pausedNodes;
  }

  /** The faults that bring the cluster back whole (heal, resume, restart). */
  finale(): Fault[] {
    return this.planner.finale();
  }

  apply(fault: Fault): NemesisValue {
    let leader;
    if (needsLeader(fault)) {
      const [topic, partition] = fault.kind === "kill-coordinator" ? [offsetsTopic, coordinatorPartitionFor(fault.group, this.offsetsPartitions)] : [fault.topic, fault.partition];
      const id = this.simulation.leaderOf(topic, partition);
      leader = id === null ? { node: null, why: fault.kind === "kill-coordinator" ? "the group has no coordinator" : "the partition has no leader" } : { node: `broker-${id}`, why: "" };
    }
    const plan = this.planner.plan(fault, leader);
    for (const action of plan.actions) this.perform(action);
    return plan.value;
  }

  private perform(action: NemesisAction): void {
    const simulation = this.simulation;
    if ("node" in action && this.clientProcesses.owns(action.node)) return this.performOnClient(action);
    switch (action.kind) {
      case "kill":
        // SIGKILL works on a stopped process: a paused node is killed as it is.
        return simulation.kill(action.node);
      case "power-loss":
        return simulation.powerLoss(action.node);
      case "stop":
        return simulation.stop(action.node);
      case "restart":
        return simulation.restart(action.node);
      case "pause":
        return simulation.pause(action.node);
      case "resume":
        return simulation.resume(action.node);
      case "cut":
        for (const [from, to] of action.links) simulation.cut(from, to);
        return;
      case "cut-client":
        simulation.cut(action.client, action.node);
        simulation.cut(action.node, action.client);
        return;
      case "heal":
        return simulation.heal();
    }
  }

  /** A group consumer crashes (no LeaveGroup), freezes with its node (timers and messages held), wakes, or starts a new session. */
  private performOnClient(action: Extract<NemesisAction, { node: string }>): void {
    const clients = this.clientProcesses;
    switch (action.kind) {
      case "kill":
        return clients.crash(action.node);
      case "restart":
        return clients.restart(action.node);
      case "pause":
        this.simulation.pause(action.node);
        return clients.pause(action.node);
      case "resume":
        this.simulation.resume(action.node);
        return clients.resume(action.node);
      case "power-loss":
      case "stop":
        throw new Error(`${action.kind} of client ${action.node}: only kill, pause, resume and restart apply to a client (scenario validation refuses it)`);
    }
  }
}
