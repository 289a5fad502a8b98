/**
 * The assignor contract: what the group leader's client computes from the members' subscriptions (and,
 * for the sticky assignors, what each member owned in the previous generation), as Kafka's Java client
 * does for the same input. Pure functions: no clock, no randomness, deterministic order.
 */

export interface AssignorPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface AssignorMember {
  /** The member id the coordinator gave (Java sorts members by it where the assignor does). */
  readonly member: string;
  /** `group.instance.id` for static members (range sorts static members by it, as Java does). */
  readonly instance?: string;
  readonly topics: readonly string[];
  /** What the member owned before this rebalance (sticky and cooperative-sticky read it; others ignore it). */
  readonly owned: readonly AssignorPartition[];
  /** The generation in which it owned them (-1 when unknown), as the sticky assignors' user data carries it. */
  readonly generation: number;
}

export type AssignorName = "range" | "roundrobin" | "sticky" | "cooperative-sticky";

export interface Assignor {
  readonly name: AssignorName;
  /** eager: every member revokes everything before joining; cooperative: only what moves (KIP-429). */
  readonly protocol: "eager" | "cooperative";
  /**
   * The assignment per member id. Every member gets an entry (maybe empty); partitions of topics no
   * member subscribes to are left out. `partitionCounts` gives each topic's partition count.
   */
  assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): ReadonlyMap<string, readonly AssignorPartition[]>;
}
