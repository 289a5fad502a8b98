/**
 * The fault vocabulary: the same words for every target. A target that cannot apply a fault says so
 * (Target.supportedFaults) and the scenario is refused before anything runs.
 *
 * Nodes are named `broker-<id>` (ids from 1), `controller-<id>` when controllers are separate, or a
 * client id (`producer-0`, `consumer-0`, ...) for faults between a client and a broker. `kill`, `pause`,
 * `resume` and `restart` of a group consumer's id crash, freeze (a zombie past its session timeout),
 * wake and restart (a new session, subscribing again) that consumer.
 */
export type NodeName = string;

export type Fault =
  /** SIGKILL the process. Memory is lost; the OS page cache survives, so unflushed writes survive. */
  | { readonly kind: "kill"; readonly node: NodeName }
  /** Power loss: memory and every write not yet flushed to disk are lost. Engine only. */
  | { readonly kind: "power-loss"; readonly node: NodeName }
  /** Clean shutdown (SIGTERM): the broker moves leadership away and flushes before exiting. */
  | { readonly kind: "stop"; readonly node: NodeName }
  /** Start a killed, crashed or stopped node again; it recovers from what is on disk. */
  | { readonly kind: "restart"; readonly node: NodeName }
  /**
   * Freeze the process, as a long GC pause or SIGSTOP would; peers time out; on resume it acts on stale
   * beliefs. On Kafka it is `docker pause` (the cgroup freezer, no signal sent); on the engine a held node.
   */
  | { readonly kind: "pause"; readonly node: NodeName }
  | { readonly kind: "resume"; readonly node: NodeName }
  /** Cut every link between the node and every other node, both ways. */
  | { readonly kind: "isolate"; readonly node: NodeName }
  /** Isolate whichever broker leads this partition at the moment the fault is applied. */
  | { readonly kind: "isolate-leader"; readonly topic: string; readonly partition: number }
  /** Kill whichever broker leads this partition at the moment the fault is applied. */
  | { readonly kind: "kill-leader"; readonly topic: string; readonly partition: number }
  /**
   * Kill whichever broker coordinates this consumer group when the fault is applied: the leader of the
   * group's `__consumer_offsets` partition (abs(hash(group id)) mod offsets.topic.num.partitions).
   */
  | { readonly kind: "kill-coordinator"; readonly group: string }
  /** Split the cluster into the given minority and everything else (majority), both ways. */
  | { readonly kind: "split"; readonly minority: readonly NodeName[] }
  /** Drop traffic from `from` to `to` only (a one-way partition). */
  | { readonly kind: "one-way"; readonly from: readonly NodeName[]; readonly to: readonly NodeName[] }
  /** Two halves that cannot reach each other except through one bridge node that reaches both. */
  | { readonly kind: "bridge"; readonly bridge: NodeName; readonly left: readonly NodeName[]; readonly right: readonly NodeName[] }
  /** Cut one client from one broker, both ways (client-leader partitions find idempotence bugs). */
  | { readonly kind: "cut-client"; readonly client: NodeName; readonly node: NodeName }
  /** Restore every cut link. */
  | { readonly kind: "heal" };

export type FaultKind = Fault["kind"];

export const allFaultKinds: readonly FaultKind[] = [
  "kill",
  "power-loss",
  "stop",
  "restart",
  "pause",
  "resume",
  "isolate",
  "isolate-leader",
  "kill-leader",
  "kill-coordinator",
  "split",
  "one-way",
  "bridge",
  "cut-client",
  "heal",
];
