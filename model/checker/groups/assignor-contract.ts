/**
 * C8 (assignors) as a contract: the documented properties one generation's assignment must have, given
 * the strategy, the generation's members (with their subscriptions when known), what each member owned
 * going into the rebalance, and the new assignment. A contract, not a re-run of Kafka's algorithms:
 * only range and round-robin, whose Javadoc fixes the result exactly, are compared with a computed
 * layout; for sticky and cooperative-sticky the documented properties are checked (balance, ownership
 * kept where balance allows, cooperative revocation). Each broken point cites members and partitions.
 */
import type { TopicPartition } from "../../history/event.js";
import { didYouMean } from "../../config/closest.js";

export type AssignorStrategy = "range" | "roundrobin" | "sticky" | "cooperative-sticky";

export const assignorStrategies: readonly AssignorStrategy[] = ["range", "roundrobin", "sticky", "cooperative-sticky"];

export interface ContractMember {
  readonly member: string;
  /** `group.instance.id` of a static member (range and round-robin order static members by it, first). */
  readonly instance?: string;
  /** The member's subscription, when known. */
  readonly topics?: readonly string[];
}

export interface AssignorContractInput {
  /** The group protocol's assignor name (`range`, `roundrobin`, `sticky`, `cooperative-sticky`). */
  readonly strategy: string;
  readonly members: readonly ContractMember[];
  /** Partitions per topic, when known: needed to see a subscribed partition nobody got and for the exact layouts. */
  readonly partitionCounts?: ReadonlyMap<string, number>;
  /**
   * What each member owned going into this rebalance (the previous generation's ownership; members that
   * left may appear). Claims may overlap when a fenced member still claims what it had.
   */
  readonly previous: ReadonlyMap<string, readonly TopicPartition[]>;
  /**
   * The new assignment per member. A member missing from it has an unknown assignment, and the checks
   * that need the whole assignment are skipped. For cooperative-sticky: the assignment as handed out,
   * without the partitions withheld while their previous owner revokes them.
   */
  readonly assignment: ReadonlyMap<string, readonly TopicPartition[]>;
  /** Cooperative: what each member revoked in this rebalance, when known. */
  readonly revoked?: ReadonlyMap<string, readonly TopicPartition[]>;
}

export type ContractPoint =
  | "assigned-twice"
  | "unassigned"
  | "not-subscribed"
  | "no-such-partition"
  | "range-layout"
  | "roundrobin-layout"
  | "balance"
  | "stickiness"
  | "double-ownership"
  | "revocation";

export interface ContractBreak {
  readonly point: ContractPoint;
  readonly message: string;
  readonly members: readonly string[];
  readonly partitions: readonly TopicPartition[];
}

function key(partition: TopicPartition): string {
  return `${partition.topic}-${partition.partition}`;
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

function comparePartitions(left: TopicPartition, right: TopicPartition): number {
  return compareText(left.topic, right.topic) || left.partition - right.partition;
}

function list(partitions: readonly TopicPartition[]): string {
  return partitions.length === 0 ? "nothing" : [...partitions].sort(comparePartitions).map(key).join(", ");
}

/** Range's and round-robin's member order (Java's MemberInfo): static members by instance id, then member ids. */
function memberOrder(left: ContractMember, right: ContractMember): number {
  if (left.instance !== undefined && right.instance !== undefined) return compareText(left.instance, right.instance);
  if (left.instance !== undefined) return -1;
  if (right.instance !== undefined) return 1;
  return compareText(left.member, right.member);
}

export function parseStrategy(strategy: string): AssignorStrategy {
  const found = assignorStrategies.find((name) => name === strategy);
  if (found !== undefined) return found;
  throw new Error(`C8: strategy ${JSON.stringify(strategy)} is not an assignor; allowed: ${assignorStrategies.join(", ")}${didYouMean(strategy, assignorStrategies)}`);
}

/** What the checks share: the input with lookups built once. */
class Generation {
  readonly strategy: AssignorStrategy;
  readonly sticky: boolean;
  readonly cooperative: boolean;
  readonly members: readonly ContractMember[];
  readonly memberIds: ReadonlySet<string>;
  /** Every member's assignment is known. */
  readonly complete: boolean;
  /** Every member's subscription is known. */
  readonly subscriptionsKnown: boolean;
  readonly owners = new Map<string, string[]>();
  /** Partition key -> the current members that claimed it going into the rebalance. */
  readonly claimants = new Map<string, string[]>();
  readonly breaks: ContractBreak[] = [];

  constructor(readonly input: AssignorContractInput) {
    this.strategy = parseStrategy(input.strategy);
    this.sticky = this.strategy === "sticky" || this.strategy === "cooperative-sticky";
    this.cooperative = this.strategy === "cooperative-sticky";
    this.members = input.members;
    this.memberIds = new Set(input.members.map((member) => member.member));
    for (const id of input.assignment.keys()) {
      if (!this.memberIds.has(id)) throw new Error(`C8: the assignment names ${id}, which is not a member of the generation (members: ${[...this.memberIds].join(", ")})`);
    }
    this.complete = input.members.every((member) => input.assignment.has(member.member));
    this.subscriptionsKnown = input.members.every((member) => member.topics !== undefined);
    for (const [member, partitions] of input.assignment) {
      for (const partition of partitions) this.owners.set(key(partition), [...(this.owners.get(key(partition)) ?? []), member]);
    }
    for (const [member, partitions] of input.previous) {
      if (!this.memberIds.has(member)) continue;
      for (const partition of partitions) this.claimants.set(key(partition), [...(this.claimants.get(key(partition)) ?? []), member]);
    }
  }

  report(point: ContractPoint, message: string, members: readonly string[], partitions: readonly TopicPartition[]): void {
    this.breaks.push({ point, message: `C8 ${this.strategy}: ${message}`, members, partitions });
  }

  assigned(member: string): readonly TopicPartition[] {
    return this.input.assignment.get(member) ?? [];
  }

  previously(member: string): readonly TopicPartition[] {
    return this.input.previous.get(member) ?? [];
  }

  subscribes(member: ContractMember, topic: string): boolean | undefined {
    return member.topics === undefined ? undefined : member.topics.includes(topic);
  }

  /** The partitions of subscribed topics that exist, when subscriptions and partition counts are known. */
  subscribedPartitions(): TopicPartition[] | undefined {
    const counts = this.input.partitionCounts;
    if (counts === undefined || !this.subscriptionsKnown) return undefined;
    const topics = [...new Set(this.members.flatMap((member) => member.topics ?? []))].sort(compareText);
    return topics.flatMap((topic) => Array.from({ length: counts.get(topic) ?? 0 }, (_, partition) => ({ topic, partition })));
  }

  /** Withheld (cooperative): a current member owned it going in and is not assigned it: it is revoking it. */
  withheld(partition: TopicPartition): boolean {
    return (this.claimants.get(key(partition)) ?? []).some((member) => !this.assigned(member).some((mine) => key(mine) === key(partition)));
  }

  subscriptionsEqual(): boolean {
    if (!this.subscriptionsKnown) return false;
    return new Set(this.members.map((member) => [...new Set(member.topics)].sort(compareText).join("\u0000"))).size <= 1;
  }
}

/** Each partition at most once, only to subscribers, only partitions that exist; every subscribed one handed out. */
function checkCoverage(generation: Generation): void {
  for (const [partitionKey, holders] of generation.owners) {
    if (holders.length > 1) {
      const partition = generation.input.assignment.get(holders[0] as string)?.find((entry) => key(entry) === partitionKey) as TopicPartition;
      generation.report("assigned-twice", `${partitionKey} is assigned to ${holders.join(" and ")}`, holders, [partition]);
    }
  }
  const counts = generation.input.partitionCounts;
  for (const member of generation.members) {
    for (const partition of generation.assigned(member.member)) {
      const count = counts?.get(partition.topic);
      if (counts !== undefined && (count === undefined || partition.partition < 0 || partition.partition >= count)) {
        generation.report("no-such-partition", `${member.member} is assigned ${key(partition)}, but ${partition.topic} has ${count ?? 0} partitions`, [member.member], [partition]);
      }
      if (generation.subscribes(member, partition.topic) !== false) continue;
      // Java's general sticky builder may hand a partition back to a member that owned it and has since
      // dropped the topic (that member then rejoins): not a break of the assignor, Java does it.
      const returned = generation.sticky && generation.previously(member.member).some((owned) => key(owned) === key(partition));
      if (!returned) {
        generation.report("not-subscribed", `${member.member} is assigned ${key(partition)} but subscribes to ${(member.topics ?? []).join(", ")}`, [member.member], [partition]);
      }
    }
  }
  const subscribed = generation.subscribedPartitions();
  if (subscribed === undefined || !generation.complete) return;
  const missing = subscribed.filter((partition) => !generation.owners.has(key(partition)) && !(generation.cooperative && generation.withheld(partition)));
  if (missing.length > 0) {
    const subscribers = generation.members.filter((member) => missing.some((partition) => generation.subscribes(member, partition.topic))).map((member) => member.member);
    generation.report("unassigned", `${list(missing)} subscribed but assigned to nobody${generation.cooperative ? " (and no current member is revoking them)" : ""}`, subscribers, missing);
  }
}

/**
 * Range (RangeAssignor's Javadoc): per topic, its subscribers in member order each take a contiguous
 * range, the first `count % subscribers` one partition more. Exact when subscriptions and counts are
 * known; otherwise each member's partitions of a topic must at least be contiguous.
 */
function checkRange(generation: Generation): void {
  const counts = generation.input.partitionCounts;
  const topics = new Set([...generation.input.assignment.values()].flat().map((partition) => partition.topic));
  for (const member of generation.members) for (const topic of member.topics ?? []) topics.add(topic);
  for (const topic of [...topics].sort(compareText)) {
    const count = counts?.get(topic);
    if (generation.subscriptionsKnown && generation.complete && count !== undefined) {
      const subscribers = generation.members.filter((member) => generation.subscribes(member, topic)).sort(memberOrder);
      if (subscribers.length === 0) continue;
      const base = Math.floor(count / subscribers.length);
      const extra = count % subscribers.length;
      let next = 0;
      subscribers.forEach((member, index) => {
        const size = base + (index < extra ? 1 : 0);
        const expected = Array.from({ length: size }, (_, offset) => ({ topic, partition: next + offset }));
        next += size;
        const actual = generation.assigned(member.member).filter((partition) => partition.topic === topic);
        if (list(actual) !== list(expected)) {
          generation.report(
            "range-layout",
            `${member.member} got ${list(actual)} of ${topic}; the documented layout gives it ${list(expected)} (${count} partitions over subscribers in order ${subscribers.map((entry) => entry.member).join(", ")})`,
            [member.member],
            actual.length > 0 ? actual : expected,
          );
        }
      });
      continue;
    }
    for (const member of generation.members) {
      const numbers = generation
        .assigned(member.member)
        .filter((partition) => partition.topic === topic)
        .map((partition) => partition.partition)
        .sort((left, right) => left - right);
      if (numbers.length > 0 && (numbers[numbers.length - 1] as number) - (numbers[0] as number) !== numbers.length - 1) {
        generation.report("range-layout", `${member.member} got ${topic} partitions ${numbers.join(", ")}, not one contiguous range`, [member.member], numbers.map((partition) => ({ topic, partition })));
      }
    }
  }
}

/**
 * Round-robin (RoundRobinAssignor's Javadoc): all partitions (topics by name, partitions in order) dealt
 * in turn over the members in member order, skipping a member not subscribed to the partition's topic.
 */
function checkRoundRobin(generation: Generation): void {
  const subscribed = generation.subscribedPartitions();
  if (subscribed === undefined || !generation.complete) return;
  const circle = [...generation.members].sort(memberOrder);
  let turn = 0;
  const wrong: { member: string; partition: TopicPartition; expected: string }[] = [];
  for (const partition of subscribed) {
    for (let skipped = 0; skipped < circle.length && !generation.subscribes(circle[turn % circle.length] as ContractMember, partition.topic); skipped++) turn++;
    const expected = (circle[turn % circle.length] as ContractMember).member;
    turn++;
    const holders = generation.owners.get(key(partition)) ?? [];
    if (holders.length !== 1 || holders[0] !== expected) wrong.push({ member: holders.join(" and ") || "nobody", partition, expected });
  }
  for (const { member, partition, expected } of wrong) {
    generation.report(
      "roundrobin-layout",
      `${key(partition)} went to ${member}; dealing in turn over ${circle.map((entry) => entry.member).join(", ")} gives it to ${expected}`,
      member === "nobody" ? [expected] : [member, expected],
      [partition],
    );
  }
}

/**
 * Sticky balance (StickyAssignor's Javadoc: "as balanced as possible"; with equal subscriptions the
 * counts differ by at most one). Cooperative: partitions withheld while revoked leave some members short
 * for one generation, so no member may be over ceil(P/N) and the members' shortfall below floor(P/N) is
 * at most the number of withheld partitions.
 */
function checkBalance(generation: Generation): void {
  const subscribed = generation.subscribedPartitions();
  if (!generation.complete || !generation.subscriptionsEqual() || generation.members.length === 0) return;
  const sizes = generation.members.map((member) => ({ member: member.member, size: generation.assigned(member.member).length }));
  const largest = sizes.reduce((best, entry) => (entry.size > best.size ? entry : best));
  const smallest = sizes.reduce((best, entry) => (entry.size < best.size ? entry : best));
  if (!generation.cooperative) {
    if (largest.size - smallest.size > 1) {
      generation.report(
        "balance",
        `${largest.member} has ${largest.size} partitions and ${smallest.member} ${smallest.size}: with equal subscriptions the counts differ by at most one`,
        [largest.member, smallest.member],
        generation.assigned(largest.member),
      );
    }
    return;
  }
  if (subscribed === undefined) return;
  const floor = Math.floor(subscribed.length / sizes.length);
  const ceiling = Math.ceil(subscribed.length / sizes.length);
  for (const entry of sizes.filter((candidate) => candidate.size > ceiling)) {
    generation.report("balance", `${entry.member} has ${entry.size} partitions, over the fair share ${ceiling} of ${subscribed.length} over ${sizes.length} members`, [entry.member], generation.assigned(entry.member));
  }
  const withheld = subscribed.filter((partition) => !generation.owners.has(key(partition)));
  const short = sizes.filter((entry) => entry.size < floor);
  const shortfall = short.reduce((sum, entry) => sum + floor - entry.size, 0);
  if (shortfall > withheld.length) {
    generation.report(
      "balance",
      `${short.map((entry) => `${entry.member} has ${entry.size}`).join(", ")}: ${shortfall} below the fair share ${floor}, more than the ${withheld.length} partitions withheld while revoked (${list(withheld)})`,
      short.map((entry) => entry.member),
      withheld,
    );
  }
}

/**
 * Stickiness (StickyAssignor's Javadoc: "preserve as many existing assignments as possible" within
 * balance). Only partitions one current member owned (no competing claim) and still subscribes to count
 * as its own. With equal subscriptions such a partition may go elsewhere (or be withheld) only if its
 * owner keeps at least its fair share floor(P/N) of what it owned: a member at or under its share loses
 * nothing. With unequal subscriptions fair shares are not defined, so the weaker rule: a partition is
 * never taken from its owner for a member that ends up two or more partitions ahead of the owner.
 */
function checkStickiness(generation: Generation): void {
  const subscribed = generation.subscribedPartitions();
  if (subscribed === undefined || !generation.complete || generation.members.length === 0) return;
  const equal = generation.subscriptionsEqual();
  const floor = Math.floor(subscribed.length / generation.members.length);
  const exists = new Set(subscribed.map(key));
  for (const member of generation.members) {
    const owned = generation.previously(member.member);
    const mine = new Set(generation.assigned(member.member).map(key));
    const lost = owned.filter(
      (partition) =>
        exists.has(key(partition)) &&
        generation.subscribes(member, partition.topic) === true &&
        !mine.has(key(partition)) &&
        (generation.claimants.get(key(partition)) ?? []).length === 1,
    );
    if (lost.length === 0) continue;
    if (!equal) {
      for (const partition of lost) {
        for (const taker of generation.owners.get(key(partition)) ?? []) {
          const size = mine.size;
          const takerSize = generation.assigned(taker).length;
          if (takerSize > size + 1) {
            generation.report(
              "stickiness",
              `${key(partition)} was taken from ${member.member} (now ${size} partitions) for ${taker}, which ends with ${takerSize}: a move never leaves the taker two or more ahead of the owner`,
              [member.member, taker],
              [partition],
            );
          }
        }
      }
      continue;
    }
    const kept = owned.filter((partition) => mine.has(key(partition))).length;
    if (kept < floor) {
      const movedTo = [...new Set(lost.flatMap((partition) => generation.owners.get(key(partition)) ?? []))];
      generation.report(
        "stickiness",
        `${member.member} lost ${list(lost)}${movedTo.length > 0 ? ` (now ${movedTo.join(", ")}'s)` : ""} while keeping only ${kept} of what it owned, under its fair share ${floor}`,
        [member.member, ...movedTo],
        lost,
      );
    }
  }
}

/**
 * Cooperative (KIP-429): a partition another current member owned goes to its new owner only after that
 * member revoked it (it is withheld this generation), so no partition has two owners; and a member
 * revokes exactly what it owned and is no longer assigned, nothing it keeps.
 */
function checkCooperative(generation: Generation): void {
  for (const member of generation.members) {
    const ownedBefore = new Set(generation.previously(member.member).map(key));
    for (const partition of generation.assigned(member.member)) {
      if (ownedBefore.has(key(partition))) continue;
      const others = (generation.claimants.get(key(partition)) ?? []).filter((other) => other !== member.member);
      if (others.length > 0) {
        generation.report(
          "double-ownership",
          `${key(partition)} is handed to ${member.member} while ${others.join(", ")} still owned it: it must be withheld until revoked`,
          [member.member, ...others],
          [partition],
        );
      }
    }
  }
  const revoked = generation.input.revoked;
  if (revoked === undefined) return;
  for (const member of generation.members) {
    const given = revoked.get(member.member);
    if (given === undefined || !generation.input.assignment.has(member.member)) continue;
    const owned = new Set(generation.previously(member.member).map(key));
    const mine = new Set(generation.assigned(member.member).map(key));
    const needless = given.filter((partition) => !owned.has(key(partition)) || mine.has(key(partition)));
    if (needless.length > 0) {
      generation.report("revocation", `${member.member} revoked ${list(needless)}, which it did not own or keeps: a member revokes only what moves`, [member.member], needless);
    }
    const revokedKeys = new Set(given.map(key));
    const kept = generation.previously(member.member).filter((partition) => !mine.has(key(partition)) && !revokedKeys.has(key(partition)));
    if (kept.length > 0) {
      generation.report("revocation", `${member.member} still owns ${list(kept)}, no longer assigned to it, without revoking it`, [member.member], kept);
    }
  }
}

/** The broken contract points of one generation's assignment (none: the assignment keeps C8's contract). */
export function checkAssignorContract(input: AssignorContractInput): ContractBreak[] {
  const generation = new Generation(input);
  checkCoverage(generation);
  if (generation.strategy === "range") checkRange(generation);
  if (generation.strategy === "roundrobin") checkRoundRobin(generation);
  if (generation.sticky) {
    checkBalance(generation);
    checkStickiness(generation);
  }
  if (generation.cooperative) checkCooperative(generation);
  return generation.breaks;
}
