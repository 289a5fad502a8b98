/** One readable phrase per fault, for nemesis events, reports and progress lines. */
import type { Fault } from "./fault.js";

function list(nodes: readonly string[]): string {
  return `[${nodes.join(", ")}]`;
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case "kill":
      return `kill ${fault.node} (SIGKILL, page cache survives)`;
    case "power-loss":
      return `power loss on ${fault.node} (unflushed writes lost; engine only)`;
    case "stop":
      return `stop ${fault.node} (clean shutdown)`;
    case "restart":
      return `restart ${fault.node}`;
    case "pause":
      return `pause ${fault.node}`;
    case "resume":
      return `resume ${fault.node}`;
    case "isolate":
      return `isolate ${fault.node} from every other node`;
    case "isolate-leader":
      return `isolate the leader of ${fault.topic}/${fault.partition}`;
    case "kill-leader":
      return `kill the leader of ${fault.topic}/${fault.partition}`;
    case "kill-coordinator":
      return `kill the coordinator of group ${fault.group}`;
    case "split":
      return `split minority ${list(fault.minority)} from the majority`;
    case "one-way":
      return `drop traffic from ${list(fault.from)} to ${list(fault.to)} (one way)`;
    case "bridge":
      return `bridge ${fault.bridge} between ${list(fault.left)} and ${list(fault.right)}`;
    case "cut-client":
      return `cut client ${fault.client} from ${fault.node}`;
    case "heal":
      return "heal every link";
  }
}

/** The history's `f` for a fault (docs: kill, power-loss, stop, restart, pause, resume, partition, heal). */
export function nemesisFunction(fault: Fault): string {
  switch (fault.kind) {
    case "kill-leader":
    case "kill-coordinator":
      return "kill";
    case "isolate":
    case "isolate-leader":
    case "split":
    case "one-way":
    case "bridge":
    case "cut-client":
      return "partition";
    default:
      return fault.kind;
  }
}

/** Every node a fault names (before resolution: leader faults name none). */
export function nodesNamedBy(fault: Fault): string[] {
  switch (fault.kind) {
    case "kill":
    case "power-loss":
    case "stop":
    case "restart":
    case "pause":
    case "resume":
    case "isolate":
      return [fault.node];
    case "split":
      return [...fault.minority];
    case "one-way":
      return [...fault.from, ...fault.to];
    case "bridge":
      return [fault.bridge, ...fault.left, ...fault.right];
    case "cut-client":
      return [fault.client, fault.node];
    case "isolate-leader":
    case "kill-leader":
    case "kill-coordinator":
    case "heal":
      return [];
  }
}
