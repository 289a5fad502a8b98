import { describe, expect, it } from "vitest";
import { assignorFor } from "../index.js";
import { counts, member, partitionList, render } from "./support.js";

const fourTopics = counts({ t0: 2, t1: 2, t2: 2, t3: 2 });
const all = ["t0", "t1", "t2", "t3"];

describe("sticky", () => {
  const sticky = assignorFor("sticky");

  it("the StickyAssignor Javadoc's example: when C1 leaves, C0 and C2 keep all they had", () => {
    const before = sticky.assign([member("C0", all), member("C1", all), member("C2", all)], fourTopics);
    expect(render(before)).toEqual({ C0: "t0-0 t1-1 t3-0", C1: "t0-1 t2-0 t3-1", C2: "t1-0 t2-1" });
    const after = sticky.assign(
      [member("C0", all, before.get("C0"), 1), member("C2", all, before.get("C2"), 1)],
      fourTopics,
    );
    // The Javadoc shows one balanced outcome; which of C1's partitions goes where is Java's tie-break
    // (this is what kafka-clients 4.1.2 gives). Either way C0 and C2 keep everything they had.
    expect(render(after)).toEqual({ C0: "t0-0 t0-1 t1-1 t3-0", C2: "t1-0 t2-0 t2-1 t3-1" });
  });

  it("a joining member takes one partition from each member over its share, nothing else moves", () => {
    const owned = { A: partitionList("t-0", "t-1", "t-2"), B: partitionList("t-3", "t-4", "t-5") };
    const result = sticky.assign([member("A", ["t"], owned.A, 4), member("B", ["t"], owned.B, 4), member("C", ["t"])], counts({ t: 6 }));
    expect(render(result)).toEqual({ A: "t-0 t-1", B: "t-3 t-4", C: "t-2 t-5" });
  });

  it("a claim from an older generation loses to the current owner's", () => {
    const result = sticky.assign([member("A", ["t"], partitionList("t-0", "t-1"), 7), member("B", ["t"], partitionList("t-1"), 5)], counts({ t: 2 }));
    expect(render(result)).toEqual({ A: "t-0", B: "t-1" });
    // B's stale claim on t-1 counts for nothing: with t-1 A's, B gets only what balance gives it.
    const withoutClaim = sticky.assign([member("A", ["t"], partitionList("t-0", "t-1"), 7), member("B", ["t"])], counts({ t: 2 }));
    expect(render(withoutClaim)).toEqual(render(result));
  });
});

describe("cooperative-sticky", () => {
  const cooperative = assignorFor("cooperative-sticky");

  it("withholds the partitions that move, then hands them out in the follow-up rebalance", () => {
    expect(cooperative.protocol).toBe("cooperative");
    const owned = { A: partitionList("t-0", "t-1", "t-2"), B: partitionList("t-3", "t-4", "t-5") };
    const first = cooperative.assign([member("A", ["t"], owned.A, 4), member("B", ["t"], owned.B, 4), member("C", ["t"])], counts({ t: 6 }));
    // A and B see t-2 and t-5 missing from their assignment and revoke them; C gets nothing yet.
    expect(render(first)).toEqual({ A: "t-0 t-1", B: "t-3 t-4", C: "" });
    const second = cooperative.assign(
      [member("A", ["t"], first.get("A"), 5), member("B", ["t"], first.get("B"), 5), member("C", ["t"], first.get("C"), 5)],
      counts({ t: 6 }),
    );
    expect(render(second)).toEqual({ A: "t-0 t-1", B: "t-3 t-4", C: "t-2 t-5" });
  });

  it("does not withhold the partitions of a member that left: nobody has to revoke them", () => {
    const result = cooperative.assign([member("A", ["t"], partitionList("t-0", "t-1"), 3), member("C", ["t"])], counts({ t: 4 }));
    expect(render(result)).toEqual({ A: "t-0 t-1", C: "t-2 t-3" });
  });

  it("withholds a partition two members claimed in the same generation, from whoever gets it", () => {
    const result = cooperative.assign([member("A", ["t"], partitionList("t-0", "t-1"), 3), member("B", ["t"], partitionList("t-1"), 3)], counts({ t: 2 }));
    expect([...result.values()].flat().map((partition) => `${partition.topic}-${partition.partition}`)).not.toContain("t-1");
  });

  it("with unequal subscriptions, withholds what moves between current members (Java works it out from ownership)", () => {
    const owned = partitionList("a-0", "a-1", "a-2", "a-3");
    const result = cooperative.assign([member("A", ["a", "b"], owned, 2), member("B", ["a"])], counts({ a: 4, b: 1 }));
    const sticky = assignorFor("sticky").assign([member("A", ["a", "b"], owned, 2), member("B", ["a"])], counts({ a: 4, b: 1 }));
    const moved = (sticky.get("B") ?? []).filter((partition) => owned.some((mine) => mine.partition === partition.partition && mine.topic === partition.topic));
    expect(moved.length).toBeGreaterThan(0);
    expect(render(result).B).toBe(
      (sticky.get("B") ?? [])
        .filter((partition) => !moved.includes(partition))
        .map((partition) => `${partition.topic}-${partition.partition}`)
        .join(" "),
    );
  });
});
