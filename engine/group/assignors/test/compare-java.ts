/**
 * Compares our assignors with Java's answers (JSON lines from the oracle, on standard input) and prints
 * each difference and a closing "N passed, M failed" line; exits 1 on any difference. Where Java threw,
 * ours must throw too. Used by scripts/assignor-oracle/wide-check.sh.
 */
import { readFileSync } from "node:fs";
import type { AssignorPartition } from "../assignor.js";
import { assignorFor } from "../index.js";
import { countsOf, javaAssignment, type JavaCase, membersOf } from "./java-fixture.js";

function rendered(assignment: ReadonlyMap<string, readonly AssignorPartition[]>): string {
  return JSON.stringify([...assignment].map(([member, partitions]) => [member, partitions.map((partition) => `${partition.topic}-${partition.partition}`).sort()]).sort(([left], [right]) => ((left as string) < (right as string) ? -1 : 1)));
}

let passed = 0;
let failed = 0;
for (const line of readFileSync(0, "utf8").split("\n")) {
  if (line.trim() === "") continue;
  const testCase = JSON.parse(line) as JavaCase;
  let ours: string;
  try {
    ours = rendered(assignorFor(testCase.assignor).assign(membersOf(testCase), countsOf(testCase)));
  } catch (error) {
    ours = `threw ${(error as Error).message}`;
  }
  const java = testCase.javaError === undefined ? rendered(javaAssignment(testCase)) : "threw";
  if (java === ours || (java === "threw" && ours.startsWith("threw"))) passed++;
  else {
    failed++;
    process.stdout.write(`${testCase.id}\n  java: ${java}\n  ours: ${ours}\n`);
  }
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
