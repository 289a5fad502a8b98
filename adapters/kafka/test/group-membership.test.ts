import { describe, expect, test } from "vitest";
import type { RebalanceValue } from "../../../model/index.js";
import { Membership } from "../group/membership.js";
import { FetchStamps, observeCluster, type InternalBroker } from "../group/kafkajs-internals.js";

function membership() {
  const notes: { f: string; value: RebalanceValue }[] = [];
  const member = new Membership("group-a", { note: (f, value) => void notes.push({ f, value }) });
  return { member, notes };
}

const p = (partition: number) => ({ topic: "events", partition });

describe("Membership (eager rebalancing as kafkajs does it)", () => {
  test("assigned carries the generation and member of the JoinGroup answer; a rejoin revokes everything first", () => {
    const { member, notes } = membership();
    member.joinStarted("");
    member.joinAnswered(3, "m-1");
    member.joined("m-1", [p(0), p(2)]);
    expect(member.identity).toEqual({ generation: 3, member: "m-1" });
    expect(member.owns("events", 2)).toBe(true);
    expect(member.owns("events", 1)).toBe(false);
    member.joinStarted("m-1");
    expect(member.owns("events", 0)).toBe(false);
    member.joinAnswered(4, "m-1");
    member.joined("m-1", [p(1)]);
    expect(notes.map(({ f, value }) => `${f} ${value.generation} ${value.member} ${value.partitions.map((entry) => entry.partition).join(",")}`)).toEqual(["assigned 3 m-1 0,2", "revoked 3 m-1 0,2", "assigned 4 m-1 1"]);
    expect(member.epoch).toBe(2);
  });

  test("a rejoin without a member id (kafkajs forgot it after UNKNOWN_MEMBER_ID) is a lost membership; so is a generation error", () => {
    const { member, notes } = membership();
    member.joinAnswered(1, "m-1");
    member.joined("m-1", [p(0)]);
    member.joinStarted("");
    member.joinAnswered(2, "m-2");
    member.joined("m-2", [p(0)]);
    member.learned("REBALANCE_IN_PROGRESS");
    member.learned("ILLEGAL_GENERATION");
    member.learned("UNKNOWN_MEMBER_ID");
    expect(notes.map(({ f, value }) => `${f} ${value.generation}`)).toEqual(["assigned 1", "lost 1", "assigned 2", "lost 2"]);
    expect(member.identity).toEqual({ generation: -1, member: "m-2" });
  });

  test("a GROUP_JOIN without a JoinGroup answer for that member leaves the generation out rather than guessing", () => {
    const { member, notes } = membership();
    member.joinAnswered(5, "someone-else");
    member.joined("m-1", [p(0)]);
    expect(notes[0]?.value).toEqual({ group: "group-a", member: "m-1", partitions: [p(0)] });
  });

  test("a clean close revokes what is owned, once", () => {
    const { member, notes } = membership();
    member.joinAnswered(1, "m-1");
    member.joined("m-1", [p(0)]);
    member.close();
    member.close();
    expect(notes.map(({ f }) => f)).toEqual(["assigned", "revoked"]);
  });
});

describe("observeCluster (kafkajs 2.2.4 internals)", () => {
  function fakeCluster() {
    const calls: string[] = [];
    const message = { offset: "7" };
    const broker: InternalBroker = {
      joinGroup: async (request) => {
        calls.push(`join ${request.memberId}`);
        return { generationId: 9, memberId: "m-9" };
      },
      fetch: async () => ({ responses: [{ partitions: [{ messages: [message] }] }] }),
      offsetCommit: async () => undefined,
    };
    return { cluster: { findBroker: async () => broker, findGroupCoordinator: async () => broker }, calls, message };
  }

  test("every JoinGroup is reported before it is sent and answered after; fetched messages carry the epoch their fetch was sent in", async () => {
    const { cluster, calls, message } = fakeCluster();
    const seen: string[] = [];
    let epoch = 4;
    const stamps = new FetchStamps();
    const observed = observeCluster(cluster, { joinStarted: (member) => void seen.push(`started '${member}'`), joinAnswered: (generation, member) => void seen.push(`answered ${generation} ${member}`), epoch: () => epoch }, stamps);
    const coordinator = await observed.findGroupCoordinator({ groupId: "g" });
    await coordinator.joinGroup({ memberId: "" });
    expect(seen).toEqual(["started ''", "answered 9 m-9"]);
    expect(calls).toEqual(["join "]);
    const fetching = (await observed.findBroker({ nodeId: 1 })).fetch({});
    epoch = 5;
    await fetching;
    expect(stamps.epochOf(message)).toBe(4);
    // The same broker found again is wrapped once: one report per JoinGroup.
    await (await observed.findBroker({ nodeId: 1 })).joinGroup({ memberId: "m-9" });
    expect(seen).toHaveLength(4);
  });

  test("a cluster without the expected internals is refused loudly", () => {
    expect(() => observeCluster({}, { joinStarted: () => undefined, joinAnswered: () => undefined, epoch: () => 0 }, new FetchStamps())).toThrow(/kafkajs internals changed/);
  });
});
