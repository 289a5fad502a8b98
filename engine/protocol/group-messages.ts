/**
 * The classic group protocol between a group consumer and its group coordinator (KIP-62 sessions,
 * KIP-429 cooperative rebalancing), reduced to what the engine models: FindCoordinator, JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch. Member ids are the coordinator's.
 */
import type { ErrorCode } from "./errors.js";

export interface GroupPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface GroupOffset extends GroupPartition {
  /** The next offset to read (-1 in an OffsetFetch answer: nothing committed). */
  readonly offset: number;
}

/** What a member tells the coordinator when it joins (the leader's assignor reads it). */
export interface JoinMetadata {
  readonly topics: readonly string[];
  /** What the member owns now and in which generation (sticky assignors' user data, KIP-429's owned partitions). */
  readonly owned: readonly GroupPartition[];
  readonly ownedGeneration: number;
}

export interface JoinedMember extends JoinMetadata {
  readonly member: string;
  /** group.instance.id of a static member (KIP-345). */
  readonly instance?: string;
}

export type GroupMessage =
  | { readonly kind: "find-coordinator"; readonly requestId: number; readonly group: string }
  | { readonly kind: "find-coordinator-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly brokerId: number }
  | {
      readonly kind: "join-group";
      readonly requestId: number;
      readonly group: string;
      /** "" for a member joining for the first time. */
      readonly member: string;
      readonly client: string;
      /** group.instance.id of a static member (KIP-345); absent for a dynamic one. */
      readonly instance?: string;
      readonly sessionTimeoutMs: number;
      readonly rebalanceTimeoutMs: number;
      /** Assignor names in the member's order of preference. */
      readonly protocols: readonly string[];
      readonly metadata: JoinMetadata;
    }
  | {
      readonly kind: "join-group-response";
      readonly requestId: number;
      readonly error: ErrorCode | null;
      readonly group: string;
      readonly generation: number;
      readonly protocol: string;
      readonly leader: string;
      readonly member: string;
      /** Every member's metadata, for the leader only (empty for the others). */
      readonly members: readonly JoinedMember[];
    }
  | {
      readonly kind: "sync-group";
      readonly requestId: number;
      readonly group: string;
      readonly generation: number;
      readonly member: string;
      /** The leader's assignment per member; empty from the other members. */
      readonly assignments: readonly { readonly member: string; readonly partitions: readonly GroupPartition[] }[];
    }
  | { readonly kind: "sync-group-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly partitions: readonly GroupPartition[] }
  | { readonly kind: "group-heartbeat"; readonly requestId: number; readonly group: string; readonly generation: number; readonly member: string }
  | { readonly kind: "group-heartbeat-response"; readonly requestId: number; readonly error: ErrorCode | null }
  | { readonly kind: "leave-group"; readonly requestId: number; readonly group: string; readonly member: string; readonly reason: string }
  | { readonly kind: "leave-group-response"; readonly requestId: number; readonly error: ErrorCode | null }
  | {
      readonly kind: "offset-commit";
      readonly requestId: number;
      readonly group: string;
      readonly generation: number;
      readonly member: string;
      readonly offsets: readonly GroupOffset[];
    }
  | { readonly kind: "offset-commit-response"; readonly requestId: number; readonly error: ErrorCode | null }
  | { readonly kind: "offset-fetch"; readonly requestId: number; readonly group: string; readonly partitions: readonly GroupPartition[] }
  | { readonly kind: "offset-fetch-response"; readonly requestId: number; readonly error: ErrorCode | null; readonly offsets: readonly GroupOffset[] };

export type GroupRequest = Extract<GroupMessage, { kind: "find-coordinator" | "join-group" | "sync-group" | "group-heartbeat" | "leave-group" | "offset-commit" | "offset-fetch" }>;
export type GroupResponse = Exclude<GroupMessage, GroupRequest>;

const responseKinds: ReadonlySet<string> = new Set([
  "find-coordinator-response",
  "join-group-response",
  "sync-group-response",
  "group-heartbeat-response",
  "leave-group-response",
  "offset-commit-response",
  "offset-fetch-response",
]);

const requestKinds: ReadonlySet<string> = new Set(["find-coordinator", "join-group", "sync-group", "group-heartbeat", "leave-group", "offset-commit", "offset-fetch"]);

export function isGroupResponse(message: { readonly kind: string }): message is GroupResponse {
  return responseKinds.has(message.kind);
}

export function isGroupRequest(message: { readonly kind: string }): message is GroupRequest {
  return requestKinds.has(message.kind);
}

/** Kafka's internal topic of committed offsets and group metadata. */
export const offsetsTopic = "__consumer_offsets";
