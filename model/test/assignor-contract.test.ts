import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { TopicPartition } from "../history/event.js";
import { type AssignorContractInput, checkAssignorContract, type ContractMember, type ContractPoint } from "../checker/groups/assignor-contract.js";

/** "t-0 t-1" -> partitions. */
function parts(text: string): TopicPartition[] {
  return text
    .split(" ")
    .filter((word) => word !== "")
    .map((word) => {
      const cut = word.lastIndexOf("-");
      return { topic: word.slice(0, cut), partition: Number(word.slice(cut + 1)) };
    });
}

function byMember(entries: Record<string, string>): Map<string, TopicPartition[]> {
  return new Map(Object.entries(entries).map(([member, text]) => [member, parts(text)]));
}

function members(topics: Record<string, readonly string[]>, instances: Record<string, string> = {}): ContractMember[] {
  return Object.entries(topics).map(([member, subscribed]) => ({ member, topics: subscribed, ...(instances[member] === undefined ? {} : { instance: instances[member] }) }));
}

function points(input: AssignorContractInput): ContractPoint[] {
  return checkAssignorContract(input).map((entry) => entry.point);
}

const twoByThree = new Map([
  ["t0", 3],
  ["t1", 3],
]);
const both = ["t0", "t1"];

describe("C8 contract: coverage (every strategy)", () => {
  const base = { strategy: "roundrobin", members: members({ C0: both, C1: both }), partitionCounts: twoByThree, previous: new Map() };

  it("a partition assigned twice is a break naming both members", () => {
    const breaks = checkAssignorContract({ ...base, strategy: "sticky", assignment: byMember({ C0: "t0-0 t0-1 t0-2 t1-0", C1: "t1-0 t1-1 t1-2" }) });
    expect(breaks.map((entry) => entry.point)).toContain("assigned-twice");
    expect(breaks.find((entry) => entry.point === "assigned-twice")?.message).toBe("C8 sticky: t1-0 is assigned to C0 and C1");
  });

  it("a subscribed partition nobody got is a break, once the whole assignment is known", () => {
    const assignment = byMember({ C0: "t0-0 t0-2 t1-1", C1: "t0-1 t1-0" });
    const breaks = checkAssignorContract({ ...base, strategy: "sticky", assignment });
    expect(breaks.find((entry) => entry.point === "unassigned")?.message).toBe("C8 sticky: t1-2 subscribed but assigned to nobody");
    // With C1's assignment unknown, nothing can be said about coverage.
    expect(points({ ...base, strategy: "sticky", assignment: byMember({ C0: "t0-0 t0-2 t1-1" }) })).toEqual([]);
  });

  it("a partition of an unsubscribed topic, or one that does not exist, is a break", () => {
    const input = {
      ...base,
      strategy: "range",
      members: members({ C0: ["t0"], C1: ["t1"] }),
      assignment: byMember({ C0: "t0-0 t0-1 t0-2 t1-0", C1: "t1-1 t1-2 t1-3" }),
    };
    const breaks = checkAssignorContract(input);
    expect(breaks.map((entry) => entry.point)).toEqual(expect.arrayContaining(["not-subscribed", "no-such-partition"]));
    expect(breaks.find((entry) => entry.point === "not-subscribed")?.message).toBe("C8 range: C0 is assigned t1-0 but subscribes to t0");
    expect(breaks.find((entry) => entry.point === "no-such-partition")?.message).toBe("C8 range: C1 is assigned t1-3, but t1 has 3 partitions");
  });

  it("an unknown strategy is refused naming the allowed names and the closest", () => {
    expect(() => checkAssignorContract({ ...base, strategy: "round-robin", assignment: new Map() })).toThrow(
      /strategy "round-robin" is not an assignor; allowed: range, roundrobin, sticky, cooperative-sticky; did you mean "roundrobin"\?/,
    );
  });
});

describe("C8 contract: range", () => {
  const input = (assignment: Record<string, string>, instances: Record<string, string> = {}): AssignorContractInput => ({
    strategy: "range",
    members: members({ C0: both, C1: both }, instances),
    partitionCounts: twoByThree,
    previous: new Map(),
    assignment: byMember(assignment),
  });

  it("the Javadoc's example keeps the contract", () => {
    expect(points(input({ C0: "t0-0 t0-1 t1-0 t1-1", C1: "t0-2 t1-2" }))).toEqual([]);
  });

  it("the extra partition on the wrong member breaks it, citing the expected range", () => {
    const breaks = checkAssignorContract(input({ C0: "t0-0 t1-0 t1-1", C1: "t0-1 t0-2 t1-2" }));
    expect(breaks.map((entry) => entry.point)).toEqual(["range-layout", "range-layout"]);
    expect(breaks[0]?.message).toBe("C8 range: C0 got t0-0 of t0; the documented layout gives it t0-0, t0-1 (3 partitions over subscribers in order C0, C1)");
  });

  it("static members come first, by instance id", () => {
    expect(points(input({ C1: "t0-0 t0-1 t1-0 t1-1", C0: "t0-2 t1-2" }, { C1: "instance-a" }))).toEqual([]);
    expect(points(input({ C0: "t0-0 t0-1 t1-0 t1-1", C1: "t0-2 t1-2" }, { C1: "instance-a" }))).toContain("range-layout");
  });

  it("without subscriptions, non-contiguous ranges still break it", () => {
    const unknown = { ...input({ C0: "t0-0 t0-2", C1: "t0-1" }), members: [{ member: "C0" }, { member: "C1" }] };
    expect(checkAssignorContract(unknown).map((entry) => entry.message)).toEqual(["C8 range: C0 got t0 partitions 0, 2, not one contiguous range"]);
  });
});

describe("C8 contract: roundrobin", () => {
  const input = (assignment: Record<string, string>, topics: Record<string, readonly string[]> = { C0: both, C1: both }): AssignorContractInput => ({
    strategy: "roundrobin",
    members: members(topics),
    partitionCounts: twoByThree,
    previous: new Map(),
    assignment: byMember(assignment),
  });

  it("the Javadoc's example keeps the contract", () => {
    expect(points(input({ C0: "t0-0 t0-2 t1-1", C1: "t0-1 t1-0 t1-2" }))).toEqual([]);
  });

  it("a balanced but not round-robin assignment breaks it", () => {
    const breaks = checkAssignorContract(input({ C0: "t0-0 t0-1 t0-2", C1: "t1-0 t1-1 t1-2" }));
    expect(breaks.map((entry) => entry.point)).toEqual(["roundrobin-layout", "roundrobin-layout"]);
    expect(breaks[0]?.message).toBe("C8 roundrobin: t0-1 went to C0; dealing in turn over C0, C1 gives it to C1");
  });

  it("unequal subscriptions: the circle skips members not subscribed (Javadoc's second example)", () => {
    const counts = new Map([
      ["t0", 1],
      ["t1", 2],
      ["t2", 3],
    ]);
    const topics = { C0: ["t0"], C1: ["t0", "t1"], C2: ["t0", "t1", "t2"] };
    const good = { ...input({ C0: "t0-0", C1: "t1-0", C2: "t1-1 t2-0 t2-1 t2-2" }, topics), partitionCounts: counts };
    expect(points(good)).toEqual([]);
    const bad = { ...good, assignment: byMember({ C0: "t0-0", C1: "t1-0 t1-1", C2: "t2-0 t2-1 t2-2" }) };
    expect(points(bad)).toEqual(["roundrobin-layout"]);
  });
});

describe("C8 contract: sticky", () => {
  const counts = new Map([["t", 6]]);
  const three = members({ A: ["t"], B: ["t"], C: ["t"] });

  it("a member joining takes partitions only from members over their share", () => {
    const input = { strategy: "sticky", members: three, partitionCounts: counts, previous: byMember({ A: "t-0 t-1 t-2", B: "t-3 t-4 t-5" }), assignment: byMember({ A: "t-0 t-1", B: "t-3 t-4", C: "t-2 t-5" }) };
    expect(points(input)).toEqual([]);
  });

  it("counts differing by two break balance (equal subscriptions)", () => {
    const input = { strategy: "sticky", members: three, partitionCounts: counts, previous: new Map(), assignment: byMember({ A: "t-0 t-1 t-2", B: "t-3 t-4 t-5", C: "" }) };
    expect(checkAssignorContract(input).map((entry) => entry.message)).toEqual(["C8 sticky: A has 3 partitions and C 0: with equal subscriptions the counts differ by at most one"]);
  });

  it("moving a partition away from a member at its fair share breaks stickiness", () => {
    const previous = byMember({ A: "t-0 t-1", B: "t-2 t-3", C: "t-4 t-5" });
    const kept = { strategy: "sticky", members: three, partitionCounts: counts, previous, assignment: byMember({ A: "t-0 t-1", B: "t-2 t-3", C: "t-4 t-5" }) };
    expect(points(kept)).toEqual([]);
    const shuffled = { ...kept, assignment: byMember({ A: "t-0 t-2", B: "t-1 t-3", C: "t-4 t-5" }) };
    const breaks = checkAssignorContract(shuffled);
    expect(breaks.map((entry) => entry.point)).toEqual(["stickiness", "stickiness"]);
    expect(breaks[0]?.message).toBe("C8 sticky: A lost t-1 (now B's) while keeping only 1 of what it owned, under its fair share 2");
  });

  it("partitions of a member that left move freely; a contested claim belongs to nobody", () => {
    const previous = byMember({ A: "t-0 t-1", B: "t-2 t-3", Gone: "t-4 t-5" });
    const two = members({ A: ["t"], B: ["t"] });
    expect(points({ strategy: "sticky", members: two, partitionCounts: counts, previous, assignment: byMember({ A: "t-0 t-1 t-4", B: "t-2 t-3 t-5" }) })).toEqual([]);
    const contested = byMember({ A: "t-0 t-1 t-2", B: "t-2 t-3" });
    expect(points({ strategy: "sticky", members: three, partitionCounts: counts, previous: contested, assignment: byMember({ A: "t-0 t-1", B: "t-3 t-4", C: "t-2 t-5" }) })).toEqual([]);
  });

  it("unequal subscriptions: taking a partition for a member that ends two ahead breaks stickiness", () => {
    const topics = members({ A: ["t", "u"], B: ["t"] });
    const unequal = new Map([
      ["t", 4],
      ["u", 2],
    ]);
    const previous = byMember({ A: "t-0 t-1", B: "t-2 t-3" });
    const good = { strategy: "sticky", members: topics, partitionCounts: unequal, previous, assignment: byMember({ A: "t-0 t-1 u-0 u-1", B: "t-2 t-3" }) };
    expect(points(good)).toEqual([]);
    const bad = { ...good, assignment: byMember({ A: "t-0 t-1 t-2 u-0 u-1", B: "t-3" }) };
    expect(checkAssignorContract(bad).map((entry) => entry.message)).toEqual([
      "C8 sticky: t-2 was taken from B (now 1 partitions) for A, which ends with 5: a move never leaves the taker two or more ahead of the owner",
    ]);
  });

  it("a partition handed back to its old owner that dropped the topic is Java's behaviour, not a break", () => {
    const topics = members({ A: ["t"], B: ["t", "u"] });
    const input = { strategy: "sticky", members: topics, partitionCounts: new Map([["t", 2], ["u", 1]]), previous: byMember({ A: "u-0" }), assignment: byMember({ A: "t-0 u-0", B: "t-1" }) };
    expect(points(input)).toEqual([]);
    expect(points({ ...input, previous: new Map() })).toEqual(["not-subscribed"]);
  });
});

describe("C8 contract: cooperative-sticky", () => {
  const counts = new Map([["t", 6]]);
  const three = members({ A: ["t"], B: ["t"], C: ["t"] });
  const previous = byMember({ A: "t-0 t-1 t-2", B: "t-3 t-4 t-5" });
  // C joins: A and B each give one up; it is withheld from C until revoked (KIP-429).
  const firstRound = { strategy: "cooperative-sticky", members: three, partitionCounts: counts, previous, assignment: byMember({ A: "t-0 t-1", B: "t-3 t-4", C: "" }), revoked: byMember({ A: "t-2", B: "t-5" }) };

  it("withholding moving partitions keeps the contract; the follow-up hands them out", () => {
    expect(points(firstRound)).toEqual([]);
    const followUp = { ...firstRound, previous: byMember({ A: "t-0 t-1", B: "t-3 t-4" }), assignment: byMember({ A: "t-0 t-1", B: "t-3 t-4", C: "t-2 t-5" }), revoked: byMember({ A: "", B: "" }) };
    expect(points(followUp)).toEqual([]);
  });

  it("handing a partition to its new owner before the old one revoked it is double ownership", () => {
    const eager = { ...firstRound, assignment: byMember({ A: "t-0 t-1", B: "t-3 t-4", C: "t-2 t-5" }) };
    const breaks = checkAssignorContract(eager);
    expect(breaks.map((entry) => entry.point)).toEqual(["double-ownership", "double-ownership"]);
    expect(breaks[0]?.message).toBe("C8 cooperative-sticky: t-2 is handed to C while A still owned it: it must be withheld until revoked");
  });

  it("revoking a partition one keeps, or keeping one no longer assigned, breaks revocation", () => {
    const needless = { ...firstRound, revoked: byMember({ A: "t-1 t-2", B: "t-5" }) };
    expect(checkAssignorContract(needless).map((entry) => entry.message)).toEqual([
      "C8 cooperative-sticky: A revoked t-1, which it did not own or keeps: a member revokes only what moves",
    ]);
    const kept = { ...firstRound, revoked: byMember({ A: "", B: "t-5" }) };
    expect(checkAssignorContract(kept).map((entry) => entry.message)).toEqual(["C8 cooperative-sticky: A still owns t-2, no longer assigned to it, without revoking it"]);
  });

  it("a partition left unassigned that nobody is revoking is a break", () => {
    const lostTrack = { ...firstRound, previous: byMember({ A: "t-0 t-1", B: "t-3 t-4" }), revoked: byMember({ A: "", B: "" }) };
    expect(points(lostTrack)).toEqual(["unassigned"]);
  });

  it("more than the withheld partitions short of the fair share breaks balance; over the ceiling too", () => {
    const short = { ...firstRound, assignment: byMember({ A: "t-0 t-1 t-2", B: "t-3 t-4", C: "" }), revoked: byMember({ A: "", B: "t-5" }) };
    expect(checkAssignorContract(short).map((entry) => entry.message)).toEqual([
      "C8 cooperative-sticky: A has 3 partitions, over the fair share 2 of 6 over 3 members",
      "C8 cooperative-sticky: C has 0: 2 below the fair share 2, more than the 1 partitions withheld while revoked (t-5)",
    ]);
  });
});

interface FixtureCase {
  readonly id: string;
  readonly assignor: string;
  readonly partitionCounts: Record<string, number>;
  readonly members: readonly { member: string; instance?: string; topics: string[]; owned: [string, number][]; generation: number }[];
  readonly java?: Record<string, [string, number][]>;
}

describe("C8 contract on Kafka's own Java assignments (engine/group/assignors/test/java-assignments.json)", () => {
  const path = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "engine", "group", "assignors", "test", "java-assignments.json");
  const fixture = JSON.parse(readFileSync(path, "utf8")) as { kafkaClients: string; cases: FixtureCase[] };
  const answered = fixture.cases.filter((testCase) => testCase.java !== undefined);
  const pairs = (list: readonly [string, number][]): TopicPartition[] => list.map(([topic, partition]) => ({ topic, partition }));

  function inputOf(testCase: FixtureCase): AssignorContractInput {
    const assignment = new Map(Object.entries(testCase.java ?? {}).map(([member, list]) => [member, pairs(list)]));
    const previous = new Map(testCase.members.map((member) => [member.member, pairs(member.owned)]));
    // What Java's consumer revokes: what it owned and is no longer assigned.
    const revoked = new Map(
      testCase.members.map((member) => [member.member, pairs(member.owned).filter((owned) => !(assignment.get(member.member) ?? []).some((mine) => mine.topic === owned.topic && mine.partition === owned.partition))]),
    );
    return {
      strategy: testCase.assignor,
      members: testCase.members.map((member) => ({ member: member.member, topics: member.topics, ...(member.instance === undefined ? {} : { instance: member.instance }) })),
      partitionCounts: new Map(Object.entries(testCase.partitionCounts)),
      previous,
      assignment,
      revoked,
    };
  }

  it(`every Java assignment (kafka-clients ${fixture.kafkaClients}) keeps the contract`, () => {
    expect(answered.length).toBeGreaterThan(700);
    const broken = answered.flatMap((testCase) => checkAssignorContract(inputOf(testCase)).map((entry) => `${testCase.id}: ${entry.message}`));
    expect(broken).toEqual([]);
  });

  it("and the contract bites on them: swapping two range or roundrobin members of different sizes, or granting a withheld partition, is caught", () => {
    const missed: string[] = [];
    let tried = 0;
    const same = (left: TopicPartition, right: TopicPartition): boolean => left.topic === right.topic && left.partition === right.partition;
    for (const testCase of answered) {
      const input = inputOf(testCase);
      let changed: Map<string, readonly TopicPartition[]> | undefined;
      if (testCase.assignor === "range" || testCase.assignor === "roundrobin") {
        const [first, second] = [...input.assignment].sort(([, left], [, right]) => right.length - left.length);
        if (first === undefined || second === undefined || first[1].length === second[1].length) continue;
        changed = new Map(input.assignment);
        changed.set(first[0], second[1]);
        changed.set(second[0], first[1]);
      } else if (testCase.assignor === "cooperative-sticky") {
        const assigned = [...input.assignment.values()].flat();
        const withheld = [...input.previous].flatMap(([owner, list]) => list.map((partition) => ({ owner, partition }))).find(({ partition }) => !assigned.some((entry) => same(entry, partition)) && testCase.partitionCounts[partition.topic] !== undefined);
        const taker = input.members.find((member) => withheld !== undefined && member.member !== withheld.owner && member.topics?.includes(withheld.partition.topic) && !(input.previous.get(member.member) ?? []).some((owned) => same(owned, withheld.partition)));
        if (withheld === undefined || taker === undefined) continue;
        changed = new Map(input.assignment);
        changed.set(taker.member, [...(changed.get(taker.member) ?? []), withheld.partition]);
      }
      if (changed === undefined) continue;
      tried++;
      if (checkAssignorContract({ ...input, assignment: changed }).length === 0) missed.push(testCase.id);
    }
    expect(tried).toBeGreaterThan(150);
    expect(missed).toEqual([]);
  });
});
