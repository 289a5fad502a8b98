import { describe, expect, it } from "vitest";
import type { AssignorPartition } from "../assignor.js";
import { assignorFor } from "../index.js";
import { generateCases } from "./java-cases.js";
import { countsOf, javaAssignment, type JavaCase, membersOf, readJavaFixture } from "./java-fixture.js";

// The fixture holds Kafka's own Java assignors' answers (kafka-clients, run by
// scripts/assignor-oracle/regenerate.sh); this test needs neither Java nor Maven.
const fixture = readJavaFixture();

function rendered(assignment: ReadonlyMap<string, readonly AssignorPartition[]>): [string, string[]][] {
  return [...assignment]
    .map(([member, partitions]): [string, string[]] => [
      member,
      partitions.map((partition) => `${partition.topic}-${partition.partition}`).sort(),
    ])
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}

describe(`assignors equal Java's (kafka-clients ${fixture.kafkaClients})`, () => {
  it("the fixture holds exactly the generated cases, every one answered by Java", () => {
    const generated = generateCases();
    expect(fixture.cases.map(({ java: _java, javaError: _error, ...input }) => input)).toEqual(generated);
    // Java throws only on the inputs kept for it (java-cases.ts, javaFailures).
    expect(fixture.cases.filter((testCase) => testCase.javaError !== undefined).map((testCase) => testCase.id)).toEqual(
      fixture.cases.filter((testCase) => testCase.id.includes("/java-fails/")).map((testCase) => testCase.id),
    );
    for (const name of ["range", "roundrobin", "sticky", "cooperative-sticky"]) {
      expect(fixture.cases.filter((testCase) => testCase.assignor === name).length).toBeGreaterThanOrEqual(100);
    }
  });

  it("every case: our assignment is Java's", () => {
    const mismatches: string[] = [];
    for (const testCase of fixture.cases) {
      const assign = () => assignorFor(testCase.assignor).assign(membersOf(testCase), countsOf(testCase));
      if (testCase.javaError !== undefined) {
        // Where Java's assignor throws, ours refuses too, naming the member Java trips over.
        expect(assign, `${testCase.id}: Java threw ${testCase.javaError}`).toThrow(/is not among the members that may move/);
        continue;
      }
      const ours = rendered(assign());
      const java = rendered(javaAssignment(testCase));
      if (JSON.stringify(ours) !== JSON.stringify(java)) {
        mismatches.push(`${testCase.id}\n  java: ${JSON.stringify(java)}\n  ours: ${JSON.stringify(ours)}`);
      }
    }
    expect(mismatches.slice(0, 3).join("\n"), `${mismatches.length} of ${fixture.cases.length} cases differ`).toBe("");
  });

  it("the cases exercise what makes the sticky assignors hard", () => {
    const sticky = fixture.cases.filter((testCase) => testCase.assignor === "sticky" || testCase.assignor === "cooperative-sticky");
    const equalSubscriptions = sticky.filter((testCase) => new Set(testCase.members.map((member) => [...member.topics].sort().join())).size === 1);
    const withOwnership = sticky.filter((testCase) => testCase.members.some((member) => member.owned.length > 0));
    const joiners = sticky.filter((testCase) => testCase.members.some((member) => member.generation === -1) && testCase.members.some((member) => member.owned.length > 0));
    const stale = sticky.filter((testCase) => new Set(testCase.members.filter((member) => member.generation >= 0).map((member) => member.generation)).size > 1);
    const subscribedPartitions = (testCase: JavaCase): number =>
      [...new Set(testCase.members.flatMap((member) => member.topics))].reduce((sum, topic) => sum + (testCase.partitionCounts[topic] ?? 0), 0);
    const withheld = fixture.cases.filter(
      (testCase) => testCase.assignor === "cooperative-sticky" && Object.values(testCase.java ?? {}).flat().length < subscribedPartitions(testCase),
    );
    expect(equalSubscriptions.length).toBeGreaterThan(100);
    expect(sticky.length - equalSubscriptions.length).toBeGreaterThan(100);
    expect(withOwnership.length).toBeGreaterThan(200);
    expect(joiners.length).toBeGreaterThan(100);
    expect(stale.length).toBeGreaterThan(30);
    expect(withheld.length).toBeGreaterThan(50);
  });
});
