/**
 * Java's sticky assignment when subscriptions differ (AbstractStickyAssignor's GeneralAssignmentBuilder,
 * without racks): keep every still-subscribed owned partition, hand each unowned partition (topics with
 * the fewest subscribers first) to the least-loaded subscriber, then move partitions from loaded to
 * light members until no partition can move to make the spread smaller, preferring to give a partition
 * back to the member that owned it in an older generation. If those moves do not improve the balance
 * score (sum of pairwise size differences), the pre-move assignment stands.
 *
 * Java's quirk, kept because the harness must match the real client: "give it back to its older owner"
 * does not check that the older owner still subscribes to the topic, so a member that owned a partition
 * in an older generation and has since dropped the topic can be handed it again. Java's consumer then
 * finds the assignment does not match its subscription and rejoins (ConsumerCoordinator.onJoinComplete).
 */
import type { AssignorPartition } from "./assignor.js";
import { compareText, partitionKey } from "./order.js";
import { PartitionMovements } from "./partition-movements.js";
import type { StickyClaims } from "./sticky-claims.js";
import type { StickyResult } from "./sticky-result.js";

interface PreviousOwner {
  readonly member: string;
  readonly generation: number;
}

export function assignGeneral(claims: StickyClaims, topics: ReadonlyMap<string, number>): StickyResult {
  return new GeneralAssignment(claims, topics).build();
}

class GeneralAssignment {
  /** Topic -> its subscribers, in Java's member iteration order. */
  private readonly topicMembers = new Map<string, string[]>();
  /** Member -> its subscribed topics that exist. */
  private readonly memberTopics = new Map<string, string[]>();
  /** The members that may still take part in moves, with their partitions. */
  private current = new Map<string, AssignorPartition[]>();
  private owner = new Map<string, string>();
  private readonly previous = new Map<string, PreviousOwner>();
  private readonly movements = new PartitionMovements();
  private readonly moveLimit: number;
  private moveCount = 0;
  private revocationRequired = false;

  constructor(
    private readonly claims: StickyClaims,
    private readonly topics: ReadonlyMap<string, number>,
  ) {
    for (const topic of topics.keys()) this.topicMembers.set(topic, []);
    for (const member of claims.order) {
      const existing = member.topics.filter((topic) => topics.has(topic));
      this.memberTopics.set(member.member, existing);
      for (const topic of existing) this.topicMembers.get(topic)?.push(member.member);
      const owned = [...(claims.owned.get(member.member) ?? [])];
      this.current.set(member.member, owned);
      for (const partition of owned) this.owner.set(partitionKey(partition), member.member);
    }
    const partitionCount = [...topics.values()].reduce((sum, count) => sum + count, 0);
    // Java's loop has no bound; each move strictly helps balance or undoes a reverse move, so this
    // generous one only catches a broken port.
    this.moveLimit = 16 * (partitionCount + 1) * (claims.order.length + 1);
  }

  build(): StickyResult {
    this.rememberOlderOwners();
    const assigned = this.keepOwned();
    const all = this.allPartitionsByScarcity();
    const unassigned = all.filter((partition) => !assigned.has(partitionKey(partition)));
    this.balance(all, unassigned);
    return { assignment: this.current, transferring: undefined };
  }

  /** Ownership from members behind the newest generation: where a partition may go back (newest older claim wins, first on ties). */
  private rememberOlderOwners(): void {
    for (const member of this.claims.order) {
      if (member.generation >= this.claims.maxGeneration) continue;
      for (const partition of member.owned) {
        const key = partitionKey(partition);
        const earlier = this.previous.get(key);
        if (earlier === undefined || member.generation > earlier.generation) {
          this.previous.set(key, { member: member.member, generation: member.generation });
        }
      }
    }
  }

  /** Drops owned partitions of topics the member no longer subscribes to; returns the keys kept. */
  private keepOwned(): Set<string> {
    const assigned = new Set<string>();
    for (const member of this.claims.order) {
      const partitions = this.current.get(member.member) as AssignorPartition[];
      const kept = partitions.filter((partition) => member.topics.includes(partition.topic));
      if (kept.length !== partitions.length) this.revocationRequired = true;
      this.current.set(member.member, kept);
      for (const partition of kept) assigned.add(partitionKey(partition));
    }
    return assigned;
  }

  private subscriberCount(topic: string): number {
    return this.topicMembers.get(topic)?.length ?? 0;
  }

  private allPartitionsByScarcity(): AssignorPartition[] {
    const ordered = [...this.topics.keys()].sort((left, right) => this.subscriberCount(left) - this.subscriberCount(right) || compareText(left, right));
    return ordered.flatMap((topic) => Array.from({ length: this.topics.get(topic) ?? 0 }, (_, partition) => ({ topic, partition })));
  }

  private size(member: string): number {
    const partitions = this.current.get(member);
    if (partitions === undefined) throw new Error(`sticky: member ${member} is not among the members that may move (Java's client throws a NullPointerException here)`);
    return partitions.length;
  }

  /** Java's TreeSet of members by (partition count, member id). */
  private byLoad(): string[] {
    return [...this.current.keys()].sort((left, right) => this.size(left) - this.size(right) || compareText(left, right));
  }

  private subscribes(member: string, topic: string): boolean {
    return this.memberTopics.get(member)?.includes(topic) ?? false;
  }

  private maxSize(member: string): number {
    return (this.memberTopics.get(member) ?? []).reduce((sum, topic) => sum + (this.topics.get(topic) ?? 0), 0);
  }

  private balance(all: AssignorPartition[], unassignedAtStart: AssignorPartition[]): void {
    const loads = this.byLoad();
    const initializing = this.size(loads[loads.length - 1] as string) === 0;
    for (const partition of unassignedAtStart) {
      const taker = this.byLoad().find((member) => this.subscribes(member, partition.topic));
      if (taker === undefined) continue;
      (this.current.get(taker) as AssignorPartition[]).push(partition);
      this.owner.set(partitionKey(partition), taker);
    }
    const movable = (partition: AssignorPartition): boolean => this.subscriberCount(partition.topic) >= 2;
    const reassignable = all.filter(movable);
    const unassigned = unassignedAtStart.filter(movable);

    const fixed = new Map<string, AssignorPartition[]>();
    for (const member of this.memberTopics.keys()) {
      if (!this.canTakePart(member)) {
        fixed.set(member, this.current.get(member) as AssignorPartition[]);
        this.current.delete(member);
      }
    }
    const before = new Map([...this.current].map(([member, partitions]) => [member, [...partitions]]));
    const ownerBefore = new Map(this.owner);
    if (!this.revocationRequired) this.reassign(unassigned);
    // As in Java, only the second pass's answer decides whether the moves are judged.
    const moved = this.reassign(reassignable);
    if (!initializing && moved && balanceScore(this.current) >= balanceScore(before)) {
      this.current = before;
      this.owner = ownerBefore;
    }
    for (const [member, partitions] of fixed) this.current.set(member, partitions);
  }

  private canTakePart(member: string): boolean {
    const partitions = this.current.get(member) as AssignorPartition[];
    if (partitions.length < this.maxSize(member)) return true;
    return partitions.some((partition) => this.subscriberCount(partition.topic) >= 2);
  }

  private reassign(partitions: readonly AssignorPartition[]): boolean {
    let moved = false;
    let modified: boolean;
    do {
      modified = false;
      for (const partition of partitions) {
        if (this.isBalanced()) break;
        const holder = this.owner.get(partitionKey(partition));
        if (holder === undefined) throw new Error(`sticky: ${partitionKey(partition)} has no owner during balancing`);
        const earlier = this.previous.get(partitionKey(partition));
        if (earlier !== undefined && this.size(holder) > this.size(earlier.member) + 1) {
          this.moveTo(partition, earlier.member);
          moved = modified = true;
          continue;
        }
        const lighter = (this.topicMembers.get(partition.topic) ?? []).some((other) => this.size(holder) > this.size(other) + 1);
        if (lighter) {
          const taker = this.byLoad().find((member) => this.subscribes(member, partition.topic)) as string;
          this.moveTo(partition, taker);
          moved = modified = true;
        }
      }
    } while (modified);
    return moved;
  }

  private moveTo(partition: AssignorPartition, taker: string): void {
    if (++this.moveCount > this.moveLimit) throw new Error(`sticky: more than ${this.moveLimit} moves while balancing`);
    const holder = this.owner.get(partitionKey(partition)) as string;
    const moving = this.movements.partitionToMove(partition, holder, taker);
    const from = this.owner.get(partitionKey(moving)) as string;
    this.movements.move(moving, from, taker);
    const source = this.current.get(from) as AssignorPartition[];
    source.splice(
      source.findIndex((entry) => partitionKey(entry) === partitionKey(moving)),
      1,
    );
    (this.current.get(taker) as AssignorPartition[]).push(moving);
    this.owner.set(partitionKey(moving), taker);
  }

  /** Balanced: sizes within one, or no member could take a partition from one holding two or more than it. */
  private isBalanced(): boolean {
    const loads = this.byLoad();
    if (this.size(loads[0] as string) >= this.size(loads[loads.length - 1] as string) - 1) return true;
    const holderOf = new Map<string, string>();
    for (const [member, partitions] of this.current) for (const partition of partitions) holderOf.set(partitionKey(partition), member);
    for (const member of loads) {
      const count = this.size(member);
      if (count === this.maxSize(member)) continue;
      const mine = new Set((this.current.get(member) ?? []).map(partitionKey));
      for (const topic of this.memberTopics.get(member) ?? []) {
        for (let partition = 0; partition < (this.topics.get(topic) ?? 0); partition++) {
          const key = partitionKey({ topic, partition });
          if (mine.has(key)) continue;
          const holder = holderOf.get(key);
          if (holder === undefined) throw new Error(`sticky: ${key} has no holder among the members that may move`);
          if (count + 1 < this.size(holder)) return false;
        }
      }
    }
    return true;
  }
}

function balanceScore(assignment: ReadonlyMap<string, readonly AssignorPartition[]>): number {
  const sizes = [...assignment.values()].map((partitions) => partitions.length);
  let score = 0;
  for (let i = 0; i < sizes.length; i++) for (let j = i + 1; j < sizes.length; j++) score += Math.abs((sizes[i] as number) - (sizes[j] as number));
  return score;
}

