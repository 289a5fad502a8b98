/**
 * C1 (one owner per partition and generation), C2 from the coordinator's view (every subscribed
 * partition owned; the members' own views: groups-coverage.test.ts), and O1 under subscribe: each rule
 * on a correct history and on the nearest bad one.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type Verdict } from "../index.js";
import { anomalies, statusOf, violations } from "./support.js";
import { consume, finalReads, groupSetup, produce } from "./group-support.js";

const two = { "consumer-0": { group: "g", mode: "sync-after-processing" }, "consumer-1": { group: "g", mode: "sync-after-processing" } } as const;

function evidenceOf(verdict: Verdict, id: "C1" | "C2"): string {
  return verdict.guarantees.find((guarantee) => guarantee.id === id)?.evidence ?? "";
}

describe("C1 split-ownership", () => {
  function assignedTwice(second: readonly number[], generation = 1) {
    const builder = groupSetup({ partitions: 2, consumers: two });
    const c0 = builder.member("consumer-0", "m0");
    const c1 = builder.member("consumer-1", "m1");
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c1.assigned(generation, second);
    return { verdict: checkHistory(builder.build()), builder };
  }

  it("holds when one generation gives each partition to one member", () => {
    const { verdict } = assignedTwice([1]);
    expect(statusOf(verdict, "C1")).toBe("holds");
    expect(evidenceOf(verdict, "C1")).toMatch(/^2 \(generation, partition\) ownerships compared/);
  });

  it("flags two members owning one partition in one generation, citing both calls", () => {
    const { verdict } = assignedTwice([0, 1]);
    const found = anomalies(verdict, "split-ownership", "C1");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ allowed: false, records: [{ topic: "t", partition: 0 }], events: [4, 5] });
    expect(found[0]?.message).toMatch(/t-0 has two owners in generation 1 of group 'g': m0 .* and m1/);
  });

  it("a zombie still owning a partition in an older generation is no second owner", () => {
    const { verdict } = assignedTwice([0, 1], 2);
    expect(anomalies(verdict, "split-ownership")).toEqual([]);
  });

  it("compares the coordinator's generations too", () => {
    const builder = groupSetup({ partitions: 2, consumers: two });
    const partition = (number: number) => ({ topic: "t", partition: number });
    builder.groupGeneration("g", 1, "range", [
      { member: "m0", client: "consumer-0", partitions: [partition(0)] },
      { member: "m1", client: "consumer-1", partitions: [partition(1)] },
    ]);
    const c1 = builder.member("consumer-1", "m1");
    c1.subscribe();
    c1.assigned(1, [1]);
    expect(statusOf(checkHistory(builder.build()), "C1")).toBe("holds");
    // consumer-1's own view disagrees with the coordinator's generation 1.
    builder.member("consumer-1", "m1").assigned(1, [0, 1]);
    expect(anomalies(checkHistory(builder.build()), "split-ownership", "C1")).toHaveLength(1);
  });

  it("a static member rejoining in the same generation is the same owner", () => {
    const consumers = { "consumer-0": { group: "g", mode: "sync-after-processing", config: { "group.instance.id": "i0" } } } as const;
    const builder = groupSetup({ consumers });
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    c0.crash();
    c0.restart("m0-again");
    c0.subscribe();
    c0.assigned(1, [0]);
    expect(anomalies(checkHistory(builder.build()), "split-ownership")).toEqual([]);
  });

  it("cooperative: a kept partition is owned in the new generation too", () => {
    const cooperative = { "partition.assignment.strategy": "cooperative-sticky" };
    const consumers = { "consumer-0": { ...two["consumer-0"], config: cooperative }, "consumer-1": { ...two["consumer-1"], config: cooperative } };
    const story = (revokeFirst: boolean) => {
      const builder = groupSetup({ partitions: 2, consumers });
      const c0 = builder.member("consumer-0", "m0");
      const c1 = builder.member("consumer-1", "m1");
      c0.subscribe();
      c0.assigned(1, [0, 1]);
      c1.subscribe();
      if (revokeFirst) c0.revoked([1]);
      c0.assigned(2, []);
      c1.assigned(revokeFirst ? 3 : 2, [1]);
      if (revokeFirst) c0.assigned(3, []);
      return checkHistory(builder.build());
    };
    expect(anomalies(story(true), "split-ownership")).toEqual([]);
    expect(anomalies(story(false), "split-ownership", "C1")).toHaveLength(1);
  });
});

describe("C2 unowned-partition", () => {
  const partition = (number: number) => ({ topic: "t", partition: number });

  function observed(second: readonly number[], protocol = "range") {
    const builder = groupSetup({ partitions: 2, consumers: two });
    builder.member("consumer-0", "m0").subscribe();
    builder.member("consumer-1", "m1").subscribe();
    builder.groupGeneration("g", 1, protocol, [{ member: "m0", client: "consumer-0", partitions: [partition(0), partition(1)] }]);
    builder.groupGeneration("g", 2, protocol, [
      { member: "m0", client: "consumer-0", partitions: [partition(0)] },
      { member: "m1", client: "consumer-1", partitions: second.map(partition) },
    ]);
    return checkHistory(builder.build());
  }

  it("holds when every generation gives every subscribed partition an owner", () => {
    const verdict = observed([1]);
    expect(statusOf(verdict, "C2")).toBe("holds");
    expect(evidenceOf(verdict, "C2")).toMatch(/^2 generations/);
  });

  it("flags a generation leaving a subscribed partition without an owner", () => {
    const found = anomalies(observed([]), "unowned-partition", "C2");
    expect(found).toMatchObject([{ allowed: false, records: [{ topic: "t", partition: 1 }] }]);
    expect(found[0]?.message).toMatch(/generation 2 of group 'g' .* leaves t-1 without an owner/);
  });

  it("cooperative: a partition its previous owner, still a member, is revoking may be unowned for one generation", () => {
    expect(anomalies(observed([], "cooperative-sticky"), "unowned-partition")).toEqual([]);
  });
});

describe("O1 under subscribe: a rebalance resets a member's position", () => {
  function rejoined(options: { rebalance: boolean; cooperative?: boolean }) {
    const config: Record<string, string> = options.cooperative === true ? { "partition.assignment.strategy": "cooperative-sticky" } : {};
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing", config } } });
    produce(builder, 10);
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    consume(c0, 0, 0, 5);
    c0.poll(0, [5, 6, 7]);
    if (options.rebalance) {
      if (options.cooperative !== true) c0.revoked([0]);
      c0.assigned(2, options.cooperative === true ? [] : [0]);
    }
    // Where the committed offset says: 5.
    consume(c0, 0, 5, 10);
    finalReads(builder, [10]);
    return checkHistory(builder.build());
  }

  it("a member resuming at the committed offset after an eager rebalance goes back legitimately", () => {
    const verdict = rejoined({ rebalance: true });
    expect(violations(verdict)).toEqual([]);
    expect(statusOf(verdict, "O1")).toBe("holds");
    expect(statusOf(verdict, "C3")).toBe("holds");
  });

  it("the same read back without a rebalance is a nonmonotonic-poll", () => {
    expect(anomalies(rejoined({ rebalance: false }), "nonmonotonic-poll", "O1")).toMatchObject([{ allowed: false }]);
  });

  it("a partition kept through a cooperative rebalance keeps its position: going back is still flagged", () => {
    expect(anomalies(rejoined({ rebalance: true, cooperative: true }), "nonmonotonic-poll", "O1")).toHaveLength(1);
  });

  it("a skip within one ownership span is still a poll-skip", () => {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" } } });
    produce(builder, 6);
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    c0.poll(0, [0, 1]);
    c0.poll(0, [4, 5]);
    finalReads(builder, [6]);
    expect(anomalies(checkHistory(builder.build()), "poll-skip", "O1")).toHaveLength(1);
  });
});
