/**
 * Node names shared by every target: `broker-<id>` (ids from 1), `controller-<id>` when controllers
 * are separate, and client ids for client-broker faults. One place so faults, validation and adapters
 * agree on spelling.
 */
import type { NodeName } from "./fault.js";
import type { ClusterSpec } from "./scenario.js";

export function brokerNode(id: number): NodeName {
  return `broker-${id}`;
}

export function controllerNode(id: number): NodeName {
  return `controller-${id}`;
}

/** Broker id named by `broker-<id>`, or null when the name is not a broker's. */
export function brokerIdOf(node: NodeName): number | null {
  const match = /^broker-([1-9][0-9]*)$/.exec(node);
  return match?.[1] === undefined ? null : Number(match[1]);
}

export function brokerNodes(cluster: ClusterSpec): NodeName[] {
  return Array.from({ length: cluster.brokers }, (_, index) => brokerNode(index + 1));
}

/** Every server process of the cluster: brokers, then separate controllers. */
export function clusterNodes(cluster: ClusterSpec): NodeName[] {
  const controllers = Array.from({ length: cluster.controllers }, (_, index) => controllerNode(index + 1));
  return [...brokerNodes(cluster), ...controllers];
}
