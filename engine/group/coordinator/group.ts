/**
 * One consumer group as its coordinator keeps it: Kafka's classic group state machine.
 *
 *   empty ──join──▶ preparing ──every member rejoined (or rebalance timeout)──▶ completing
 *   completing ──leader's SyncGroup persisted──▶ stable ──join / leave / session expiry──▶ preparing
 *
 * A generation ends when a rebalance completes the join phase: members that did not rejoin in time are
 * removed, the generation number grows, and each member learns the new one from its JoinGroup answer.
 * Commits are accepted only from a member of the current generation (ILLEGAL_GENERATION,
 * UNKNOWN_MEMBER_ID otherwise: what fences a zombie), and not while the assignment is being handed out
 * (REBALANCE_IN_PROGRESS). Every answer goes through a responder captured with the request.
 */
import type { ErrorCode } from "../../protocol/errors.js";
import type { GroupMessage, GroupOffset, GroupPartition, JoinMetadata, JoinedMember } from "../../protocol/group-messages.js";
import { assert } from "../../simulation/assert.js";
import type { GroupMetadataRecord, OffsetRecord, StoredMember } from "./offsets-records.js";

export type GroupState = "empty" | "preparing" | "completing" | "stable";

export interface JoinAnswer {
  readonly error: ErrorCode | null;
  readonly generation: number;
  readonly protocol: string;
  readonly leader: string;
  readonly member: string;
  readonly members: readonly JoinedMember[];
}

/** What the group reads of a JoinGroup request. */
export type JoinRequest = Pick<Extract<GroupMessage, { kind: "join-group" }>, "member" | "client" | "instance" | "sessionTimeoutMs" | "rebalanceTimeoutMs" | "protocols" | "metadata">;

interface Member {
  readonly id: string;
  readonly client: string;
  /** group.instance.id of a static member: it keeps its place across restarts (KIP-345). */
  readonly instance: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly string[];
  metadata: JoinMetadata;
  assignment: readonly GroupPartition[];
  join: ((answer: JoinAnswer) => void) | null;
  sync: ((error: ErrorCode | null, partitions: readonly GroupPartition[]) => void) | null;
  lastSeenMs: number;
}

/** What a group needs from the coordinator that holds it. */
export interface GroupHost {
  readonly nowMs: number;
  timer(delayMs: number, action: () => void): void;
  trace(text: string): void;
  /** A fresh member id for a client (unique across coordinators and restarts). */
  newMemberId(client: string): string;
  /** Appends records to the group's offsets partition with acks=all; done(null) once replicated. */
  append(records: readonly (GroupMetadataRecord | OffsetRecord)[], done: (error: ErrorCode | null) => void): void;
  /** The committed offsets store, by group (or, with `group: null`, by partition only: the planted bug). */
  storeOffset(record: OffsetRecord): void;
  committed(group: string, partition: GroupPartition): number;
  reportGeneration(record: GroupMetadataRecord): void;
  readonly initialRebalanceDelayMs: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly bugs: { readonly assignWithoutRebalance: boolean; readonly acceptStaleCommit: boolean };
  /** Is this group's coordinator still loaded (timers of an unloaded one do nothing)? */
  readonly alive: () => boolean;
}

/** Bounds: members per group (a runaway join loop fails loudly instead of growing forever). */
const maxMembers = 1000;
/** Bounds: member ids replaced by a static member's restart, remembered to answer FENCED_INSTANCE_ID. */
const maxFencedMembers = 1000;

export class Group {
  state: GroupState = "empty";
  generation = 0;
  protocol: string | null = null;
  leader: string | null = null;
  private readonly members = new Map<string, Member>();
  /** Member ids a static member's new session replaced: their requests get FENCED_INSTANCE_ID. */
  private readonly fenced = new Set<string>();
  /** Bumped at every rebalance so timers and appends of an earlier one do nothing. */
  private round = 0;
  private initialDelayDone = true;

  constructor(
    readonly id: string,
    private readonly host: GroupHost,
  ) {}

  /** A group rebuilt from its last metadata record by a new coordinator: stable, sessions restarted. */
  static loaded(id: string, host: GroupHost, record: GroupMetadataRecord): Group {
    const group = new Group(id, host);
    group.generation = record.generation;
    if (record.members.length === 0) return group;
    group.state = "stable";
    group.protocol = record.protocol;
    group.leader = record.leader;
    for (const stored of record.members) {
      const member: Member = { ...memberFrom(stored), lastSeenMs: host.nowMs, join: null, sync: null };
      group.members.set(member.id, member);
      group.watchSession(member);
    }
    return group;
  }

  private trace(text: string): void {
    this.host.trace(`group ${this.id} ${text}`);
  }

  // ---------------------------------------------------------------- JoinGroup

  join(request: JoinRequest, answer: (answer: JoinAnswer) => void): void {
    const refuse = (error: ErrorCode, member = request.member): void => answer({ error, generation: -1, protocol: "", leader: "", member, members: [] });
    if (request.sessionTimeoutMs < this.host.minSessionTimeoutMs || request.sessionTimeoutMs > this.host.maxSessionTimeoutMs) return refuse("INVALID_SESSION_TIMEOUT");
    const others = [...this.members.values()].filter((member) => member.id !== request.member);
    if (others.length > 0 && !request.protocols.some((protocol) => others.every((member) => member.protocols.includes(protocol)))) return refuse("INCONSISTENT_GROUP_PROTOCOL");
    let member: Member | undefined;
    let isNew = false;
    if (this.fenced.has(request.member)) return refuse("FENCED_INSTANCE_ID");
    const staticMember = request.member === "" && request.instance !== undefined ? [...this.members.values()].find((candidate) => candidate.instance === request.instance) : undefined;
    if (staticMember !== undefined) return this.rejoinStatic(staticMember, request, answer);
    if (request.member === "") {
      assert(this.members.size < maxMembers, `group ${this.id}: more than ${maxMembers} members`);
      member = {
        id: this.host.newMemberId(request.client),
        client: request.client,
        instance: request.instance ?? null,
        sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs,
        protocols: request.protocols,
        metadata: request.metadata,
        assignment: [],
        join: null,
        sync: null,
        lastSeenMs: this.host.nowMs,
      };
      this.members.set(member.id, member);
      isNew = true;
      this.trace(`add member ${member.id}`);
    } else {
      member = this.members.get(request.member);
      if (member === undefined) return refuse("UNKNOWN_MEMBER_ID");
      member.sessionTimeoutMs = request.sessionTimeoutMs;
      member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
      member.protocols = request.protocols;
      member.metadata = request.metadata;
    }
    member.lastSeenMs = this.host.nowMs;
    member.join = answer;
    if (isNew && this.state === "stable" && this.host.bugs.assignWithoutRebalance) return this.joinWithoutRebalance(member);
    if (this.state === "preparing") this.tryCompleteJoin();
    else this.prepareRebalance(`${member.id} joins`);
  }

  /**
   * A static member's new session (KIP-345): it takes the place of its instance's member under a new
   * member id, and the old id is fenced (FENCED_INSTANCE_ID), so the crashed or frozen session cannot
   * act any more. In a stable group with an unchanged subscription nothing is rebalanced: the new id is
   * persisted and the member gets the generation and assignment it had. Otherwise it joins the
   * rebalance like any returning member.
   */
  private rejoinStatic(previous: Member, request: JoinRequest, answer: (answer: JoinAnswer) => void): void {
    const member: Member = {
      ...previous,
      id: this.host.newMemberId(request.client),
      client: request.client,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
      metadata: request.metadata,
      join: null,
      sync: null,
      lastSeenMs: this.host.nowMs,
    };
    this.members.delete(previous.id);
    assert(this.fenced.size < maxFencedMembers, `group ${this.id}: more than ${maxFencedMembers} fenced static members`);
    this.fenced.add(previous.id);
    this.members.set(member.id, member);
    if (this.leader === previous.id) this.leader = member.id;
    this.trace(`static member ${member.instance ?? ""}: ${member.id} replaces ${previous.id}`);
    // The old session's open calls end: it is fenced.
    previous.join?.({ error: "FENCED_INSTANCE_ID", generation: -1, protocol: "", leader: "", member: previous.id, members: [] });
    previous.sync?.("FENCED_INSTANCE_ID", []);
    const unchanged = sameTopics(previous.metadata.topics, request.metadata.topics) && previous.protocols.join() === request.protocols.join();
    if (this.state !== "stable" || !unchanged) {
      member.join = answer;
      if (this.state === "preparing") this.tryCompleteJoin();
      else this.prepareRebalance(`static member ${member.id} rejoins with a changed subscription`);
      return;
    }
    const round = this.round;
    this.host.append([this.metadataRecord()], (error) => {
      if (error !== null || !this.host.alive()) return answer({ error: error ?? "NOT_COORDINATOR", generation: -1, protocol: "", leader: "", member: "", members: [] });
      if (this.round !== round || this.members.get(member.id) !== member) return answer({ error: "REBALANCE_IN_PROGRESS", generation: -1, protocol: "", leader: "", member: member.id, members: [] });
      this.touch(member);
      // A leader gets the members so its assignor sees the real group; SyncGroup in a stable group returns the kept assignment.
      answer({ error: null, generation: this.generation, protocol: this.protocol ?? "", leader: this.leader ?? "", member: member.id, members: member.id === this.leader ? this.joinedMembers() : [] });
    });
  }

  /**
   * Planted bug assign-without-rebalance: a newcomer to a stable group is answered at once in the
   * current generation and given the partitions the assignor would give it, while the others keep theirs.
   */
  private joinWithoutRebalance(member: Member): void {
    this.trace(`join ${member.id} without a rebalance (planted bug)`);
    const answer = member.join!;
    member.join = null;
    answer({ error: null, generation: this.generation, protocol: this.protocol ?? "", leader: member.id, member: member.id, members: this.joinedMembers() });
  }

  private joinedMembers(): JoinedMember[] {
    return [...this.members.values()].map((member) => ({ member: member.id, ...(member.instance === null ? {} : { instance: member.instance }), ...member.metadata }));
  }

  private prepareRebalance(reason: string): void {
    if (this.state === "completing") {
      for (const member of this.members.values()) {
        const sync = member.sync;
        member.sync = null;
        sync?.("REBALANCE_IN_PROGRESS", []);
      }
    }
    const wasEmpty = this.state === "empty";
    this.state = "preparing";
    const round = ++this.round;
    this.trace(`prepare rebalance after generation ${this.generation}: ${reason}`);
    const delayMs = wasEmpty ? this.host.initialRebalanceDelayMs : 0;
    this.initialDelayDone = delayMs === 0;
    if (delayMs > 0) {
      this.host.timer(delayMs, () => {
        if (!this.host.alive() || this.round !== round) return;
        this.initialDelayDone = true;
        this.tryCompleteJoin();
      });
    }
    const rebalanceTimeoutMs = Math.max(0, ...[...this.members.values()].map((member) => member.rebalanceTimeoutMs));
    this.host.timer(delayMs + rebalanceTimeoutMs, () => {
      if (!this.host.alive() || this.round !== round || this.state !== "preparing") return;
      this.completeJoin();
    });
    this.tryCompleteJoin();
  }

  private tryCompleteJoin(): void {
    if (this.state !== "preparing" || !this.initialDelayDone) return;
    for (const member of this.members.values()) if (member.join === null) return;
    this.completeJoin();
  }

  /** The join phase ends: who did not rejoin is out, the generation grows, every member is answered. */
  private completeJoin(): void {
    assert(this.state === "preparing", `group ${this.id}: complete join in state ${this.state}`);
    for (const member of [...this.members.values()]) {
      if (member.join !== null) continue;
      this.members.delete(member.id);
      this.trace(`remove ${member.id}: did not rejoin within the rebalance timeout`);
    }
    this.generation++;
    this.round++;
    if (this.members.size === 0) {
      this.state = "empty";
      this.protocol = null;
      this.leader = null;
      this.trace(`generation ${this.generation} empty`);
      this.persistEmpty();
      return;
    }
    this.protocol = this.selectProtocol();
    if (this.leader === null || !this.members.has(this.leader)) this.leader = this.members.keys().next().value!;
    this.state = "completing";
    this.trace(`generation ${this.generation} protocol ${this.protocol} leader ${this.leader} members ${[...this.members.keys()].join(",")}`);
    const everyone = this.joinedMembers();
    for (const member of this.members.values()) {
      const answer = member.join!;
      member.join = null;
      this.touch(member);
      answer({ error: null, generation: this.generation, protocol: this.protocol, leader: this.leader, member: member.id, members: member.id === this.leader ? everyone : [] });
    }
  }

  /** Kafka's vote: the first protocol of each member's list that all members support; most votes wins (ties: the leader's order). */
  private selectProtocol(): string {
    const members = [...this.members.values()];
    const common = members[0]!.protocols.filter((protocol) => members.every((member) => member.protocols.includes(protocol)));
    assert(common.length > 0, `group ${this.id}: no common protocol (joins are refused before this)`);
    const votes = new Map<string, number>();
    for (const member of members) {
      const choice = member.protocols.find((protocol) => common.includes(protocol))!;
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    return [...common].sort((left, right) => (votes.get(right) ?? 0) - (votes.get(left) ?? 0))[0]!;
  }

  private persistEmpty(): void {
    const record = this.metadataRecord();
    this.host.append([record], () => undefined);
    this.host.reportGeneration(record);
  }

  private metadataRecord(): GroupMetadataRecord {
    const members: StoredMember[] = [...this.members.values()].map((member) => ({
      member: member.id,
      client: member.client,
      ...(member.instance === null ? {} : { instance: member.instance }),
      sessionTimeoutMs: member.sessionTimeoutMs,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
      protocols: member.protocols,
      ...member.metadata,
      assignment: member.assignment,
    }));
    return { type: "group", group: this.id, generation: this.generation, protocol: this.protocol ?? "", leader: this.leader ?? "", members };
  }

  // ---------------------------------------------------------------- SyncGroup

  sync(memberId: string, generation: number, assignments: readonly { member: string; partitions: readonly GroupPartition[] }[], answer: (error: ErrorCode | null, partitions: readonly GroupPartition[]) => void): void {
    if (this.fenced.has(memberId)) return answer("FENCED_INSTANCE_ID", []);
    const member = this.members.get(memberId);
    if (member === undefined) return answer("UNKNOWN_MEMBER_ID", []);
    if (this.host.bugs.assignWithoutRebalance && this.state === "stable" && generation === this.generation && assignments.length > 0) {
      // The planted bug's newcomer hands itself its share without touching anyone else's.
      member.assignment = assignments.find((entry) => entry.member === memberId)?.partitions ?? [];
      this.trace(`sync ${memberId} generation ${generation} without a rebalance (planted bug): ${member.assignment.map((entry) => `${entry.topic}-${entry.partition}`).join(",")}`);
      return answer(null, member.assignment);
    }
    if (generation !== this.generation) return answer("ILLEGAL_GENERATION", []);
    member.lastSeenMs = this.host.nowMs;
    if (this.state === "preparing") return answer("REBALANCE_IN_PROGRESS", []);
    if (this.state === "stable") return answer(null, member.assignment);
    assert(this.state === "completing", `group ${this.id}: sync in state ${this.state}`);
    member.sync = answer;
    if (memberId !== this.leader) return;
    for (const entry of assignments) {
      const target = this.members.get(entry.member);
      if (target !== undefined) target.assignment = entry.partitions;
    }
    for (const other of this.members.values()) if (!assignments.some((entry) => entry.member === other.id)) other.assignment = [];
    const round = this.round;
    const record = this.metadataRecord();
    this.host.append([record], (error) => {
      if (!this.host.alive() || this.round !== round || this.state !== "completing") return;
      if (error !== null) {
        this.trace(`generation ${this.generation} not persisted: ${error}`);
        for (const waiting of this.members.values()) {
          const sync = waiting.sync;
          waiting.sync = null;
          sync?.("NOT_COORDINATOR", []);
        }
        this.prepareRebalance(`group metadata not persisted (${error})`);
        return;
      }
      this.state = "stable";
      this.trace(`stable generation ${this.generation}`);
      this.host.reportGeneration(record);
      for (const waiting of this.members.values()) {
        const sync = waiting.sync;
        waiting.sync = null;
        this.touch(waiting);
        sync?.(null, waiting.assignment);
      }
    });
  }

  // ---------------------------------------------------------------- Heartbeat, LeaveGroup, sessions

  heartbeat(memberId: string, generation: number): ErrorCode | null {
    if (this.fenced.has(memberId)) return "FENCED_INSTANCE_ID";
    const member = this.members.get(memberId);
    if (member === undefined) return "UNKNOWN_MEMBER_ID";
    if (generation !== this.generation) return "ILLEGAL_GENERATION";
    this.touch(member);
    return this.state === "preparing" ? "REBALANCE_IN_PROGRESS" : null;
  }

  leave(memberId: string, reason: string): ErrorCode | null {
    if (this.fenced.has(memberId)) return "FENCED_INSTANCE_ID";
    const member = this.members.get(memberId);
    if (member === undefined) return "UNKNOWN_MEMBER_ID";
    this.remove(member, `leaves (${reason})`);
    return null;
  }

  private remove(member: Member, why: string): void {
    this.members.delete(member.id);
    this.trace(`remove ${member.id}: ${why}`);
    if (this.leader === member.id) this.leader = null;
    if (this.state === "stable" || this.state === "completing") this.prepareRebalance(`${member.id} ${why}`);
    else this.tryCompleteJoin();
  }

  /** The member was heard from: its session starts again from now. */
  private touch(member: Member): void {
    member.lastSeenMs = this.host.nowMs;
    this.watchSession(member);
  }

  /** A member silent for its session timeout is removed (not while the coordinator owes it an answer). */
  private watchSession(member: Member): void {
    this.host.timer(member.sessionTimeoutMs, () => {
      if (!this.host.alive() || this.members.get(member.id) !== member) return;
      if (member.join !== null || member.sync !== null) return;
      if (this.host.nowMs - member.lastSeenMs < member.sessionTimeoutMs) return;
      this.remove(member, `session timeout (${member.sessionTimeoutMs} ms without a heartbeat)`);
    });
  }

  // ---------------------------------------------------------------- OffsetCommit, OffsetFetch

  commit(memberId: string, generation: number, offsets: readonly GroupOffset[], sharedOffsets: boolean, answer: (error: ErrorCode | null) => void): void {
    const standalone = generation < 0 && memberId === "";
    if (standalone) {
      // A commit from outside the group protocol (assign() plus commit): only to a group with no members.
      if (this.members.size > 0) return answer("UNKNOWN_MEMBER_ID");
    } else if (!this.host.bugs.acceptStaleCommit) {
      if (this.fenced.has(memberId)) return answer("FENCED_INSTANCE_ID");
      const member = this.members.get(memberId);
      if (member === undefined) return answer("UNKNOWN_MEMBER_ID");
      if (generation !== this.generation) return answer("ILLEGAL_GENERATION");
      if (this.state === "completing") return answer("REBALANCE_IN_PROGRESS");
      this.touch(member);
    } else {
      const member = this.members.get(memberId);
      if (member !== undefined) this.touch(member);
      if (member === undefined || generation !== this.generation) this.trace(`accept commit of ${memberId} generation ${generation} (current ${this.generation}) (planted bug)`);
    }
    const records: OffsetRecord[] = offsets.map((entry) => ({
      type: "offset",
      group: sharedOffsets ? null : this.id,
      topic: entry.topic,
      partition: entry.partition,
      offset: entry.offset,
      generation,
      member: memberId,
    }));
    if (records.length === 0) return answer(null);
    this.host.append(records, (error) => {
      if (error !== null) return answer(error);
      if (this.host.alive()) for (const record of records) this.host.storeOffset(record);
      answer(null);
    });
  }

  fetch(partitions: readonly GroupPartition[]): GroupOffset[] {
    return partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition, offset: this.host.committed(this.id, entry) }));
  }
}

function memberFrom(stored: StoredMember): Omit<Member, "lastSeenMs" | "join" | "sync"> {
  return {
    id: stored.member,
    client: stored.client,
    instance: stored.instance ?? null,
    sessionTimeoutMs: stored.sessionTimeoutMs,
    rebalanceTimeoutMs: stored.rebalanceTimeoutMs,
    protocols: stored.protocols,
    metadata: { topics: stored.topics, owned: stored.owned, ownedGeneration: stored.ownedGeneration },
    assignment: stored.assignment,
  };
}

function sameTopics(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && [...left].sort().join("\u0000") === [...right].sort().join("\u0000");
}
