/**
 * Which directed links a partition fault cuts, as [from, to] node names. Pure, so the fault's meaning
 * is tested without containers; the nemesis then asks the cluster to drop each link.
 */
import type { Fault, NodeName } from "../fault.js";

export type Link = readonly [NodeName, NodeName];

function bothWays(left: readonly NodeName[], right: readonly NodeName[]): Link[] {
  const links: Link[] = [];
  for (const a of left) {
    for (const b of right) {
      if (a === b) continue;
      links.push([a, b], [b, a]);
    }
  }
  return links;
}

function requireKnown(nodes: readonly NodeName[], known: ReadonlySet<NodeName>, key: string): void {
  for (const node of nodes) {
    if (!known.has(node)) throw new Error(`${key}: node '${node}' is not in the cluster; allowed: ${[...known].join(", ")}`);
  }
}

/**
 * Links cut by a node-to-node partition fault. `leader` resolves `isolate-leader` (null: no leader,
 * nothing is cut). Faults that are not node-to-node partitions return an empty list. Isolation and the
 * majority of a split are among cluster nodes only; `one-way`, `bridge` and a split's minority may also
 * name clients (`clients`), where a target can cut a single client.
 */
export function linksCutBy(fault: Fault, clusterNodes: readonly NodeName[], leader: NodeName | null = null, clients: readonly NodeName[] = []): Link[] {
  const known = new Set([...clusterNodes, ...clients]);
  switch (fault.kind) {
    case "isolate": {
      requireKnown([fault.node], new Set(clusterNodes), "isolate.node");
      return bothWays([fault.node], clusterNodes);
    }
    case "isolate-leader":
      return leader === null ? [] : bothWays([leader], clusterNodes);
    case "split": {
      requireKnown(fault.minority, known, "split.minority");
      const minority = new Set(fault.minority);
      return bothWays(fault.minority, clusterNodes.filter((node) => !minority.has(node)));
    }
    case "one-way": {
      requireKnown(fault.from, known, "one-way.from");
      requireKnown(fault.to, known, "one-way.to");
      const links: Link[] = [];
      for (const from of fault.from) for (const to of fault.to) if (from !== to) links.push([from, to]);
      return links;
    }
    case "bridge": {
      requireKnown([fault.bridge, ...fault.left, ...fault.right], known, "bridge");
      const left = fault.left.filter((node) => node !== fault.bridge);
      const right = fault.right.filter((node) => node !== fault.bridge);
      return bothWays(left, right);
    }
    default:
      return [];
  }
}
