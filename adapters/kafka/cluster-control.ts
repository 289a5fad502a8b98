import type { ClusterSpec } from "../../chaos/scenario.js";

/**
 * What the Kafka target needs from a running container cluster. adapters/kafka/cluster implements it (see
 * cluster-from-containers.ts); tests may hand in another implementation.
 *
 * Node names follow chaos/nodes.ts: `broker-<id>`, `controller-<id>`.
 */
export interface ClusterControl {
  /** host:port pairs the harness's clients connect to. */
  readonly bootstrapServers: readonly string[];
  readonly brokerIds: readonly number[];
  /** Every server node: brokers, then separate controllers. */
  readonly nodeNames: readonly string[];
  /** SIGKILL the node's process (the container stops; its disk stays). */
  kill(node: string): Promise<void>;
  /** Clean shutdown (SIGTERM, waits for exit). */
  stop(node: string): Promise<void>;
  /** Start a killed or stopped node again with its data. */
  start(node: string): Promise<void>;
  /** Freeze every process of the node (cgroup freezer). */
  pause(node: string): Promise<void>;
  resume(node: string): Promise<void>;
  /** Drop traffic from `from` to `to` (directed), with iptables in the namespace of one of them. */
  cut(from: string, to: string): Promise<void>;
  /** Drop traffic between the harness's clients and `node`, both ways. */
  cutClients(node: string): Promise<void>;
  /** Remove every cut. */
  heal(): Promise<void>;
  /** Stop and remove every container. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts a cluster of the scenario's shape (the container cluster by default; tests hand in others). */
export type ClusterFactory = (spec: ClusterSpec, options: { log: (line: string) => void; signal?: AbortSignal }) => Promise<ClusterControl>;
