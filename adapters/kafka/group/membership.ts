/**
 * One session's membership as the member knows it, and its rebalance events in the history
 * (`assigned`, `revoked`, `lost`: type info, no invoke; model/history/event.ts).
 *
 * kafkajs rebalances eagerly and has no rebalance listener, so the calls Java's listener would get are
 * derived from what kafkajs does:
 * - `revoked` (everything owned) when a JoinGroup is sent by a member that still owns its assignment:
 *   eager rebalancing gives everything up before it joins, whichever path of kafkajs rejoins;
 * - `lost` (everything owned) when the member learns it is no longer in the group: a heartbeat or
 *   commit answered UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION, or kafkajs rejoining as a new member
 *   (it forgets its member id after UNKNOWN_MEMBER_ID);
 * - `assigned` (the whole new assignment) on kafkajs's GROUP_JOIN event, with the generation and
 *   member id of the JoinGroup response that preceded it (kafkajs-internals.ts).
 * The assignment epoch counts GROUP_JOINs: a batch fetched in an earlier epoch is stale.
 */
import type { RebalanceValue, TopicPartition } from "../../../model/index.js";

export interface MembershipLog {
  note(f: "assigned" | "revoked" | "lost", value: RebalanceValue): void;
}

/** Errors by which a member learns it is out of the group (Java calls onPartitionsLost for them). */
const membershipErrors = new Set(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION", "FENCED_INSTANCE_ID"]);

export function isMembershipError(error: string): boolean {
  return membershipErrors.has(error);
}

export class Membership {
  /** From the last JoinGroup response; undefined until one came. */
  private answered: { generation: number; member: string } | undefined;
  /** What the member owns now, under which generation; null when it owns nothing. */
  private owned: { readonly generation: number | undefined; readonly member: string; readonly partitions: readonly TopicPartition[] } | null = null;
  private assignments = 0;

  constructor(
    private readonly group: string,
    private readonly log: MembershipLog,
  ) {}

  get epoch(): number {
    return this.assignments;
  }

  /** The generation and member id the member believes it has (generation -1 when in none). */
  get identity(): { generation: number; member: string | undefined } {
    if (this.owned !== null) return { generation: this.owned.generation ?? -1, member: this.owned.member };
    return { generation: -1, member: this.answered?.member };
  }

  /** Whether the member owns this partition now. */
  owns(topic: string, partition: number): boolean {
    return this.owned?.partitions.some((entry) => entry.topic === topic && entry.partition === partition) ?? false;
  }

  get ownedPartitions(): readonly TopicPartition[] {
    return this.owned?.partitions ?? [];
  }

  joinStarted(memberId: string): void {
    // kafkajs rejoins with an empty member id only after it forgot its own: it was thrown out.
    const thrownOut = memberId === "" && this.answered !== undefined;
    this.end(thrownOut ? "lost" : "revoked");
  }

  joinAnswered(generation: number, member: string): void {
    this.answered = { generation, member };
  }

  /** kafkajs's GROUP_JOIN: the new assignment is installed. */
  joined(member: string, partitions: readonly TopicPartition[]): void {
    // A GROUP_JOIN without a JoinGroup seen first would be a rejoin path the wrapper missed: then the
    // generation is not known and is left out rather than guessed.
    const answered = this.answered !== undefined && this.answered.member === member ? this.answered : undefined;
    if (this.owned !== null) this.end("revoked");
    this.assignments += 1;
    this.owned = { generation: answered?.generation, member, partitions };
    this.log.note("assigned", this.value(this.owned));
  }

  /** The member learned from an error that it is no longer in the group. */
  learned(error: string): void {
    if (isMembershipError(error)) this.end("lost");
  }

  /** A clean close: eager Java revokes everything before it leaves. */
  close(): void {
    this.end("revoked");
  }

  private end(how: "revoked" | "lost"): void {
    const owned = this.owned;
    if (owned === null) return;
    this.owned = null;
    this.log.note(how, this.value(owned));
  }

  private value(owned: { readonly generation: number | undefined; readonly member: string; readonly partitions: readonly TopicPartition[] }): RebalanceValue {
    const partitions = owned.partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition }));
    // RebalanceValue's generation is required by its type; when unknown it is left out of the history.
    return (owned.generation === undefined ? { group: this.group, member: owned.member, partitions } : { group: this.group, generation: owned.generation, member: owned.member, partitions }) as RebalanceValue;
  }
}
