/**
 * C2 (every subscribed partition owned) from the members' own views, without the coordinator's
 * generations (real Kafka's histories): a generation is judged on its members' `assigned` calls when
 * it is complete and was stable while handed out; what members own at the end of the history is no
 * evidence. Each false positive of the rule that judged the members' final ownership, the holes it must
 * still find, and the generations it must leave unjudged, saying why.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, type ConfigMap, type Verdict } from "../index.js";
import type { GroupMember } from "../simulate/group-member.js";
import { anomalies, statusOf } from "./support.js";
import { groupSetup } from "./group-support.js";

function evidenceOf(verdict: Verdict): string {
  return verdict.guarantees.find((guarantee) => guarantee.id === "C2")?.evidence ?? "";
}

/** A group 'g' of `count` consumers (consumer-0 ... with member ids m0 ...) over topic `t`. */
function group(count: number, partitions: number, config: ConfigMap = {}) {
  const consumers: Record<string, { group: string; mode: "sync-after-processing"; config: ConfigMap }> = {};
  for (let number = 0; number < count; number++) consumers[`consumer-${number}`] = { group: "g", mode: "sync-after-processing", config };
  const builder = groupSetup({ partitions, consumers });
  const members = Array.from({ length: count }, (_, number) => builder.member(`consumer-${number}`, `m${number}`));
  return { builder, members };
}

function member(members: readonly GroupMember[], number: number): GroupMember {
  const found = members[number];
  if (found === undefined) throw new Error(`no member ${number}`);
  return found;
}

function judged(verdict: Verdict): { status: string; unowned: number; evidence: string } {
  return { status: statusOf(verdict, "C2"), unowned: anomalies(verdict, "unowned-partition", "C2").length, evidence: evidenceOf(verdict) };
}

describe("C2 from the members' own views: legal histories the end-ownership rule flagged", () => {
  it("the clean stop at the end of a run: every member revokes everything, no close recorded (kafkajs's finale)", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c1.assigned(1, [1]);
    c0.poll();
    c1.poll();
    c0.revoked([0]);
    c1.revoked([1]);
    const verdict = checkHistory(builder.build());
    expect(judged(verdict)).toMatchObject({ status: "holds", unowned: 0 });
    expect(evidenceOf(verdict)).toMatch(/^1 generations/);
  });

  it("a rebalance in progress at the end: a member revoked to rejoin, the next generation not formed yet", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(2, [0]);
    c1.assigned(2, [1]);
    c1.revoked([1]);
    c0.poll();
    expect(judged(checkHistory(builder.build()))).toMatchObject({ status: "holds", unowned: 0 });
  });

  it("eager close: a member revokes, then leaves, before the others rejoin", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c1.assigned(1, [1]);
    c1.revoked([1]);
    c1.close();
    c0.poll();
    expect(judged(checkHistory(builder.build()))).toMatchObject({ status: "holds", unowned: 0 });
  });

  it("a member that began rejoining (revoked everything) and crashed", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c1.assigned(1, [1]);
    c1.revoked([1]);
    c1.crash();
    c0.poll();
    expect(judged(checkHistory(builder.build()))).toMatchObject({ status: "holds", unowned: 0 });
  });

  it("kafkajs's run: a crash, a zombie that never rejoined, its return as a new member, the finale's revocations", () => {
    const { builder, members } = group(3, 3);
    const [c0, c1, c2] = [member(members, 0), member(members, 1), member(members, 2)];
    for (const each of [c0, c1, c2]) each.subscribe();
    c0.assigned(1, [0]);
    c1.assigned(1, [1]);
    c2.assigned(1, [2]);
    c1.crash();
    builder.fault("pause", ["consumer-0"]);
    // consumer-1's session expired: consumer-2 rejoins; consumer-0, frozen, sends no JoinGroup.
    c2.revoked([2]);
    c1.restart("m1-again");
    c1.subscribe();
    c2.assigned(2, [0, 2]);
    c1.assigned(2, [1]);
    builder.fault("resume", ["consumer-0"]);
    c0.lost([0]);
    c0.member = "m0-again";
    c2.revoked([0, 2]);
    c1.revoked([1]);
    c2.assigned(3, [2]);
    c1.assigned(3, [1]);
    c0.assigned(3, [0]);
    for (const each of [c0, c1, c2]) each.poll();
    c0.revoked([0]);
    c1.revoked([1]);
    c2.revoked([2]);
    const verdict = checkHistory(builder.build());
    expect(judged(verdict)).toMatchObject({ status: "holds", unowned: 0 });
    expect(evidenceOf(verdict)).toBe("3 generations (an owner of every subscribed partition looked for)");
  });
});

describe("C2 from the members' own views: real coverage holes are still found", () => {
  it("a complete, stable generation leaving a subscribed partition unowned, though everything is revoked afterwards", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    const first = c0.assigned(1, [0]);
    const second = c1.assigned(1, []);
    c0.revoked([0]);
    c1.revoked([]);
    const found = anomalies(checkHistory(builder.build()), "unowned-partition", "C2");
    expect(found).toMatchObject([{ allowed: false, records: [{ topic: "t", partition: 1 }], events: [first, second] }]);
    expect(found[0]?.message).toMatch(/generation 1 of group 'g' \(its members' own assignments\) leaves t-1 without an owner/);
  });

  it("a hole in an earlier generation, later generations covering everything", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c0.assigned(1, [0]);
    c1.subscribe();
    c0.revoked([0]);
    c0.assigned(2, [0]);
    c1.assigned(2, [1]);
    const found = anomalies(checkHistory(builder.build()), "unowned-partition", "C2");
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/generation 1 of group 'g'/);
  });

  function afterLeaver(options: { secondGets: readonly number[]; leave: "close" | "crash-rejoining" | "crash"; pollLate?: boolean }) {
    const { builder, members } = group(3, 2, { "session.timeout.ms": 10, "heartbeat.interval.ms": 3 });
    const [c0, c1, c2] = [member(members, 0), member(members, 1), member(members, 2)];
    c2.subscribe();
    c2.assigned(1, [0, 1]);
    c0.subscribe();
    // It had begun rejoining: it may be a member of generation 2 until its session expired.
    if (options.leave === "crash-rejoining") c2.revoked([0, 1]);
    if (options.leave === "close") c2.close();
    else c2.crash();
    c1.subscribe();
    c0.assigned(2, [0]);
    c1.assigned(2, options.secondGets);
    // 20 ms later: longer than consumer-2's session timeout and a heartbeat.
    if (options.pollLate === true) builder.time += 20_000_000;
    c0.poll();
    c1.poll();
    return checkHistory(builder.build());
  }

  it("a member that closed cleanly before a reporter subscribed is out of the generation", () => {
    expect(judged(afterLeaver({ secondGets: [1], leave: "close" }))).toMatchObject({ status: "holds", unowned: 0 });
    expect(judged(afterLeaver({ secondGets: [], leave: "close" })).unowned).toBe(1);
  });

  it("a crashed eager member that never rejoined is out of the later generation", () => {
    expect(judged(afterLeaver({ secondGets: [1], leave: "crash" }))).toMatchObject({ status: "holds", unowned: 0 });
    expect(judged(afterLeaver({ secondGets: [], leave: "crash" })).unowned).toBe(1);
  });

  it("a crashed member that had begun rejoining may be in the generation until its session must have expired", () => {
    const early = judged(afterLeaver({ secondGets: [], leave: "crash-rejoining" }));
    // Generation 1 (consumer-2 alone) is judged; generation 2 is not.
    expect(early).toMatchObject({ status: "holds", unowned: 0 });
    expect(early.evidence).toMatch(/generation 2: consumer-2 left at .* and may still be a member of it; it never reported it/);
    expect(judged(afterLeaver({ secondGets: [], leave: "crash-rejoining", pollLate: true })).unowned).toBe(1);
  });

  it("cooperative: what a member of the generation is revoking first may be unowned for one generation", () => {
    const { builder, members } = group(2, 2, { "partition.assignment.strategy": "cooperative-sticky" });
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c0.assigned(1, [0, 1]);
    c1.subscribe();
    c0.revoked([1]);
    c0.assigned(2, []);
    c1.assigned(2, []);
    c1.assigned(3, [1]);
    c0.assigned(3, []);
    const verdict = checkHistory(builder.build());
    expect(judged(verdict)).toMatchObject({ status: "holds", unowned: 0 });
    expect(evidenceOf(verdict)).toMatch(/^3 generations/);
  });
});

describe("C2 from the members' own views: generations that give no evidence", () => {
  it("a member that subscribed before the generation was handed out and reported nothing may be in it", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    const verdict = judged(checkHistory(builder.build()));
    expect(verdict).toMatchObject({ status: "inconclusive", unowned: 0 });
    expect(verdict.evidence).toMatch(/group 'g': 1 of 1 generations not judged from the members' own views \(generation 1: consumer-1 \(subscribed at t=.*\) may be a member of it but never reported it\)/);
  });

  it("the next generation reported by only some members, the others still rejoining at the end", () => {
    const { builder, members } = group(3, 3);
    const [c0, c1, c2] = [member(members, 0), member(members, 1), member(members, 2)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0, 1]);
    c1.assigned(1, [2]);
    c2.subscribe();
    c0.revoked([0, 1]);
    c1.revoked([2]);
    c0.assigned(2, [0]);
    c2.assigned(2, [1]);
    const verdict = judged(checkHistory(builder.build()));
    expect(verdict).toMatchObject({ status: "holds", unowned: 0 });
    expect(verdict.evidence).toMatch(/^1 generations .*generation 2: consumer-1 .* may be a member of it but never reported it/);
  });

  it("a generation one member skipped, reporting the next one instead", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c0.revoked([0]);
    c1.assigned(2, [1]);
    c0.assigned(2, [0]);
    const verdict = judged(checkHistory(builder.build()));
    expect(verdict).toMatchObject({ status: "holds", unowned: 0 });
    expect(verdict.evidence).toMatch(/^1 generations .*generation 1: consumer-1 .* may be a member of it but never reported it/);
  });

  it("a generation whose hand-out overlapped another rebalance (the recorder's order across processes cannot settle who was in it)", () => {
    const { builder, members } = group(2, 2);
    const [c0, c1] = [member(members, 0), member(members, 1)];
    c0.subscribe();
    c1.subscribe();
    c0.assigned(1, [0]);
    c0.revoked([0]);
    c1.assigned(1, [1]);
    const verdict = judged(checkHistory(builder.build()));
    expect(verdict).toMatchObject({ status: "inconclusive", unowned: 0 });
    expect(verdict.evidence).toMatch(/generation 1: consumer-0 left it \(revoked \(event \d+\)\) before every member had reported it/);
  });

  it("no member reported an assignment", () => {
    const { builder, members } = group(1, 1);
    member(members, 0).subscribe();
    member(members, 0).poll();
    expect(judged(checkHistory(builder.build()))).toMatchObject({ status: "inconclusive", evidence: "group 'g': no member reported an assignment" });
  });

  it("KIP-848's consumer protocol: member epochs are not group generations", () => {
    const { builder, members } = group(2, 2, { "group.protocol": "consumer" });
    member(members, 0).subscribe();
    member(members, 1).subscribe();
    member(members, 0).assigned(4, [0]);
    member(members, 1).assigned(7, []);
    const verdict = judged(checkHistory(builder.build()));
    expect(verdict).toMatchObject({ status: "inconclusive", unowned: 0 });
    expect(verdict.evidence).toMatch(/consumer-0 uses the consumer rebalance protocol \(KIP-848\)/);
  });
});
