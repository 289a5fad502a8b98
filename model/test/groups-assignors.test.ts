/**
 * C8 in the checker: the coordinator's generations compared with their assignor's contract
 * (checker/groups/assignor-contract.ts, tested on its own in assignor-contract.test.ts).
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type Verdict } from "../index.js";
import { anomalies, impliedOf, statusOf } from "./support.js";
import { groupSetup } from "./group-support.js";

const two = { "consumer-0": { group: "g", mode: "sync-after-processing" }, "consumer-1": { group: "g", mode: "sync-after-processing" } } as const;
const partitions = (...numbers: number[]) => numbers.map((partition) => ({ topic: "t", partition }));

function generations(protocol: string, assignments: readonly (readonly [readonly number[], readonly number[]])[]): Verdict {
  const builder = groupSetup({ partitions: 4, consumers: two });
  builder.member("consumer-0", "m0").subscribe();
  builder.member("consumer-1", "m1").subscribe();
  assignments.forEach(([first, second], position) => {
    builder.groupGeneration("g", position + 1, protocol, [
      { member: "m0", client: "consumer-0", partitions: partitions(...first) },
      { member: "m1", client: "consumer-1", partitions: partitions(...second) },
    ]);
  });
  return checkHistory(builder.build());
}

function evidence(verdict: Verdict): string {
  return verdict.guarantees.find((guarantee) => guarantee.id === "C8")?.evidence ?? "";
}

describe("C8 assignor-contract", () => {
  it("holds when range gives each member its contiguous range", () => {
    const verdict = generations("range", [[[0, 1], [2, 3]]]);
    expect(statusOf(verdict, "C8")).toBe("holds");
    expect(evidence(verdict)).toMatch(/^1 generations of the coordinator compared with their assignor's contract/);
  });

  it("flags a range assignment off its documented layout", () => {
    const found = anomalies(generations("range", [[[0, 1, 2], [3]]]), "assignor-contract", "C8");
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ allowed: false });
    expect(found[0]?.message).toMatch(/^generation 1 of group 'g': C8 range:/);
  });

  it("sticky keeps what members owned where balance allows: moving everything is a break", () => {
    expect(statusOf(generations("sticky", [[[0, 1], [2, 3]], [[0, 1], [2, 3]]]), "C8")).toBe("holds");
    const found = anomalies(generations("sticky", [[[0, 1], [2, 3]], [[2, 3], [0, 1]]]), "assignor-contract", "C8");
    expect(found.map((anomaly) => anomaly.message).join("\n")).toMatch(/stickiness|sticky/);
  });

  it("a partition handed out twice is C1's root cause: the contract break is implied", () => {
    const verdict = generations("range", [[[0, 1], [1, 2, 3]]]);
    expect(anomalies(verdict, "split-ownership", "C1")).toHaveLength(1);
    expect(impliedOf(verdict, "C8").find((entry) => entry.by === "C1")?.count).toBeGreaterThan(0);
  });

  it("is inconclusive without the coordinator's view, or for a protocol it does not know", () => {
    const builder = groupSetup({ consumers: two });
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    const verdict = checkHistory(builder.build());
    expect(statusOf(verdict, "C8")).toBe("inconclusive");
    expect(evidence(verdict)).toMatch(/no coordinator view/);
    expect(evidence(generations("consumer", [[[0, 1], [2, 3]]]))).toMatch(/protocol 'consumer' is not one of range/);
  });
});
