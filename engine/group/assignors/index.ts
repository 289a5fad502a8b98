/** The assignors by name, and the mapping from `partition.assignment.strategy` values to names. */
import type { Assignor, AssignorName } from "./assignor.js";
import { rangeAssignor } from "./range.js";
import { cooperativeStickyAssignor } from "./cooperative-sticky.js";
import { roundRobinAssignor } from "./roundrobin.js";
import { stickyAssignor } from "./sticky.js";

export type { Assignor, AssignorMember, AssignorName, AssignorPartition } from "./assignor.js";
export { assignorNameFor, assignorNamesFor, defaultStrategy } from "./strategy.js";

const assignors: ReadonlyMap<AssignorName, Assignor> = new Map<AssignorName, Assignor>([
  ["range", rangeAssignor],
  ["roundrobin", roundRobinAssignor],
  ["sticky", stickyAssignor],
  ["cooperative-sticky", cooperativeStickyAssignor],
]);

export function assignorFor(name: AssignorName): Assignor {
  const assignor = assignors.get(name);
  if (assignor === undefined) throw new Error(`assignor ${JSON.stringify(name)} is unknown; allowed: ${[...assignors.keys()].join(", ")}`);
  return assignor;
}
