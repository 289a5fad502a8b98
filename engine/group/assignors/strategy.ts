/**
 * `partition.assignment.strategy` to assignor names. Java's client takes a comma-separated list of class
 * names (its default is RangeAssignor then CooperativeStickyAssignor); the harness also accepts the
 * assignors' protocol names ("range", "cooperative-sticky"), which is what the group protocol carries.
 */
import type { AssignorName } from "./assignor.js";
import { closest } from "./closest.js";

const javaPackage = "org.apache.kafka.clients.consumer.";

/** Each accepted spelling and the assignor it names. */
const spellings: ReadonlyMap<string, AssignorName> = new Map<string, AssignorName>([
  ["range", "range"],
  ["roundrobin", "roundrobin"],
  ["sticky", "sticky"],
  ["cooperative-sticky", "cooperative-sticky"],
  [`${javaPackage}RangeAssignor`, "range"],
  [`${javaPackage}RoundRobinAssignor`, "roundrobin"],
  [`${javaPackage}StickyAssignor`, "sticky"],
  [`${javaPackage}CooperativeStickyAssignor`, "cooperative-sticky"],
]);

/** Java's default list, as names. */
export const defaultStrategy: readonly AssignorName[] = ["range", "cooperative-sticky"];

/** One strategy entry (a short name or a Java class name) to its assignor; anything else is refused. */
export function assignorNameFor(value: string): AssignorName {
  const name = spellings.get(value.trim());
  if (name !== undefined) return name;
  const allowed = [...spellings.keys()];
  throw new Error(
    `partition.assignment.strategy=${JSON.stringify(value)} is not an assignor; allowed: ${allowed.join(", ")}; closest: ${closest(value.trim(), allowed)}`,
  );
}

/**
 * The whole configuration value (comma-separated, as Java's list type, or already a list) to assignor
 * names in preference order, repeats dropped. An empty list is refused: a group member needs one.
 */
export function assignorNamesFor(strategy: string | readonly string[]): AssignorName[] {
  const entries = (typeof strategy === "string" ? strategy.split(",") : strategy).map((entry) => entry.trim()).filter((entry) => entry !== "");
  if (entries.length === 0) {
    throw new Error(`partition.assignment.strategy=${JSON.stringify(strategy)} names no assignor; allowed: ${[...spellings.keys()].join(", ")}`);
  }
  return [...new Set(entries.map(assignorNameFor))];
}
