/** The committed Java fixture, read and turned into assignor input, for the tests that compare against it. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AssignorMember, AssignorPartition } from "../assignor.js";
import type { AssignorCase } from "./java-cases.js";

export interface JavaCase extends AssignorCase {
  /** Java's assignment, each member's partitions as [topic, partition] sorted; absent when Java threw. */
  readonly java?: Readonly<Record<string, readonly (readonly [string, number])[]>>;
  readonly javaError?: string;
}

export interface JavaFixture {
  readonly kafkaClients: string;
  readonly cases: readonly JavaCase[];
}

export function readJavaFixture(): JavaFixture {
  const path = join(dirname(fileURLToPath(import.meta.url)), "java-assignments.json");
  return JSON.parse(readFileSync(path, "utf8")) as JavaFixture;
}

export function membersOf(testCase: AssignorCase): AssignorMember[] {
  return testCase.members.map((member) => ({
    ...member,
    owned: member.owned.map(([topic, partition]) => ({ topic, partition })),
  }));
}

export function countsOf(testCase: AssignorCase): Map<string, number> {
  return new Map(Object.entries(testCase.partitionCounts));
}

/** Java's assignment as a map of member -> partitions. */
export function javaAssignment(testCase: JavaCase): Map<string, AssignorPartition[]> {
  return new Map(Object.entries(testCase.java ?? {}).map(([member, partitions]) => [member, partitions.map(([topic, partition]) => ({ topic, partition }))]));
}
