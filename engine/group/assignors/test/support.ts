/** Small builders for assignor tests: members from compact descriptions, assignments as sorted strings. */
import type { AssignorMember, AssignorPartition } from "../assignor.js";

export function member(id: string, topics: readonly string[], owned: readonly AssignorPartition[] = [], generation = -1, instance?: string): AssignorMember {
  return instance === undefined ? { member: id, topics, owned, generation } : { member: id, instance, topics, owned, generation };
}

/** "t0-1" to a partition. */
export function parsePartition(text: string): AssignorPartition {
  const cut = text.lastIndexOf("-");
  return { topic: text.slice(0, cut), partition: Number(text.slice(cut + 1)) };
}

export function partitionList(...texts: string[]): AssignorPartition[] {
  return texts.map(parsePartition);
}

/** The assignment as member -> "t0-0 t0-1", for readable equality in tests. */
export function render(assignment: ReadonlyMap<string, readonly AssignorPartition[]>): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [id, partitions] of [...assignment].sort(([left], [right]) => (left < right ? -1 : 1))) {
    rendered[id] = partitions.map((partition) => `${partition.topic}-${partition.partition}`).join(" ");
  }
  return rendered;
}

export function counts(entries: Record<string, number>): ReadonlyMap<string, number> {
  return new Map(Object.entries(entries));
}
