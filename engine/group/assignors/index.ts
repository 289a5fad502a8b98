/** The assignors by name, and the mapping from `partition.assignment.strategy` values to names. */
import type { Assignor, AssignorName } from "./assignor.js";
import { rangeAssignor } from "./range.js";
import { roundRobinAssignor } from "./roundrobin.js";

export type { Assignor, AssignorMember, AssignorName, AssignorPartition } from "./assignor.js";
export { assignorNameFor, assignorNamesFor, defaultStrategy } from "./strategy.js";

const assignors: ReadonlyMap<AssignorName, Assignor> = new Map<AssignorName, Assignor>([
  ["range", rangeAssignor],
  ["roundrobin", roundRobinAssignor],
]);

export function assignorFor(name: AssignorName): Assignor {
  const assignor = assignors.get(name);
  if (assignor === undefined) throw new Error(`assignor ${JSON.stringify(name)} is not built yet; built: ${[...assignors.keys()].join(", ")}`);
  return assignor;
}
