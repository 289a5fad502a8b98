/**
 * A group consumer's membership, as the Java client's ConsumerCoordinator keeps it: join and sync
 * rounds (run from poll, so the rebalance listener is called inside poll), the heartbeat timer, the
 * max.poll.interval.ms check, and what the member believes: its member id, generation and owned
 * partitions. Eager protocol (range, roundrobin, sticky): revoke everything before joining.
 * Cooperative (every configured assignor cooperative, KIP-429): keep what stays, revoke only what
 * moved after the sync, and rejoin at once so the moved partitions find their new owner.
 */
import type { EngineTopicPartition, RebalanceCall } from "../../api.js";
import type { EngineContext } from "../../context.js";
import type { SimulatedNode } from "../../network/node.js";
import type { ErrorCode } from "../../protocol/errors.js";
import type { GroupPartition, GroupResponse, JoinedMember } from "../../protocol/group-messages.js";
import { assignorFor, type AssignorMember, type AssignorName } from "../assignors/index.js";
import type { CoordinatorLink } from "./coordinator-link.js";
import type { GroupConsumerSettings } from "./group-consumer-settings.js";

export interface MembershipHost {
  readonly id: string;
  readonly node: SimulatedNode;
  readonly context: EngineContext;
  readonly settings: GroupConsumerSettings;
  readonly link: CoordinatorLink;
  /** Partition counts from the client's metadata (undefined: not known yet; the host refreshes it). */
  partitionCount(topic: string): number | undefined;
  refreshMetadata(topics: readonly string[]): void;
  /** The member's owned partitions changed (after the listener was told): move the fetcher. */
  onOwned(owned: readonly EngineTopicPartition[], added: readonly EngineTopicPartition[]): void;
  /** The application's automatic commit before a rebalance (enable.auto.commit), while the generation is still valid. */
  beforeRejoin(): void;
}

/** Bounds: join rounds tried before a poll gives the attempt up (the next poll tries again), metadata waits per round. */
const maxMetadataWaits = 100;

export class Membership {
  memberId = "";
  generation = -1;
  /** What the rebalance listener was last told: the generation of its last `assigned` call (-1 after `lost`). */
  viewGeneration = -1;
  owned: EngineTopicPartition[] = [];
  /** The assignment of the last completed generation (what sticky assignors are told the member had). */
  private previous: { partitions: EngineTopicPartition[]; generation: number } = { partitions: [], generation: -1 };
  private topics: readonly string[] = [];
  private listener: ((call: RebalanceCall) => void) | null = null;
  private rejoinNeeded = false;
  /** The generation was reset by an error: the next rejoin calls `lost`, not `revoked`. */
  private lostPending = false;
  private roundInFlight = false;
  private waiters: (() => void)[] = [];
  private heartbeatToken = 0;
  private lastHeartbeatAckMs = 0;
  lastPollMs = 0;
  /** Set when a join is refused for good (a configuration the group cannot take). */
  fatal: string | null = null;
  stopped = false;
  private readonly cooperative: boolean;

  constructor(private readonly host: MembershipHost) {
    this.cooperative = host.settings.assignors.every((name) => assignorFor(name).protocol === "cooperative");
  }

  private get now(): number {
    return this.host.context.scheduler.nowMs;
  }

  private trace(text: string): void {
    this.host.context.trace.record(this.now, this.host.node.name, text);
  }

  subscribe(topics: readonly string[], listener: (call: RebalanceCall) => void): void {
    this.topics = [...topics];
    this.listener = listener;
    this.rejoinNeeded = true;
    this.host.refreshMetadata(this.topics);
  }

  get subscribed(): boolean {
    return this.topics.length > 0;
  }

  /** In a generation with nothing pending: poll may fetch. */
  get active(): boolean {
    return this.generation >= 0 && !this.rejoinNeeded && !this.roundInFlight;
  }

  requestRejoin(why: string): void {
    if (!this.rejoinNeeded) this.trace(`rejoin needed: ${why}`);
    this.rejoinNeeded = true;
  }

  /** The coordinator no longer knows this generation (or member): the partitions are lost, not revoked. */
  resetGeneration(error: ErrorCode | string): void {
    if (this.generation < 0 && this.memberId === "") return;
    this.trace(`generation ${this.generation} reset: ${error}`);
    if (error === "UNKNOWN_MEMBER_ID" || error === "poll timeout") this.memberId = "";
    this.generation = -1;
    this.heartbeatToken++;
    this.lostPending = true;
    this.rejoinNeeded = true;
  }

  private call(type: RebalanceCall["type"], generation: number, partitions: readonly EngineTopicPartition[]): void {
    this.trace(`listener ${type} generation ${generation} [${partitions.map((entry) => `${entry.topic}-${entry.partition}`).join(",")}]`);
    this.listener?.({ type, group: this.host.settings.group, generation, member: this.memberId, partitions: partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition })) });
  }

  /** Makes the member active if it needs to (re)join; `done` fires when the round ends, however it ends. */
  ensureActive(done: () => void): void {
    if (this.stopped) return;
    if (!this.subscribed || this.active || this.fatal !== null) return done();
    this.waiters.push(done);
    if (this.roundInFlight) return;
    this.roundInFlight = true;
    this.prepareJoin();
    this.join();
  }

  private endRound(): void {
    this.roundInFlight = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** onJoinPrepare: lost after a reset; eager revokes everything; cooperative keeps its partitions. */
  private prepareJoin(): void {
    if (this.lostPending) {
      this.lostPending = false;
      const lost = this.owned;
      this.owned = [];
      this.previous = { partitions: [], generation: -1 };
      this.host.onOwned([], []);
      this.call("lost", this.viewGeneration, lost);
      this.viewGeneration = -1;
      return;
    }
    if (this.generation >= 0) this.host.beforeRejoin();
    if (!this.cooperative && this.owned.length > 0) {
      const revoked = this.owned;
      this.owned = [];
      this.host.onOwned([], []);
      this.call("revoked", this.viewGeneration, revoked);
    }
  }

  private retry(why: string, delayMs = this.host.settings.retryBackoffMs): void {
    this.trace(`join retry: ${why}`);
    this.host.node.timer(Math.max(1, delayMs), () => {
      if (this.stopped) return;
      // A poll that gave up waiting is gone; the round still completes, so the next poll finds the member active.
      this.join();
    });
  }

  /** A JoinGroup or SyncGroup error: start the round again, at once when the coordinator said how (a new member id, a new generation). */
  private retryAfter(error: ErrorCode): void {
    switch (error) {
      case "UNKNOWN_MEMBER_ID":
        this.memberId = "";
        return this.retry(error, 0);
      case "ILLEGAL_GENERATION":
      case "REBALANCE_IN_PROGRESS":
        return this.retry(error, 0);
      default:
        return this.retry(error);
    }
  }

  private join(): void {
    if (this.stopped) return;
    this.host.link.ensure((found) => {
      if (this.stopped) return;
      if (!found) return this.retry("no coordinator");
      this.host.link.request(
        {
          kind: "join-group",
          group: this.host.settings.group,
          member: this.memberId,
          client: this.host.id,
          ...(this.host.settings.instance === null ? {} : { instance: this.host.settings.instance }),
          sessionTimeoutMs: this.host.settings.sessionTimeoutMs,
          rebalanceTimeoutMs: this.host.settings.maxPollIntervalMs,
          protocols: this.host.settings.assignors,
          metadata: { topics: this.topics, owned: this.cooperative ? this.owned : this.previous.partitions, ownedGeneration: this.previous.generation },
        },
        (response) => this.onJoinResponse(response),
        // The coordinator holds a JoinGroup until the rebalance completes: Java waits for it up to
        // max.poll.interval.ms (the rebalance timeout) plus 5 s, not request.timeout.ms.
        Math.max(this.host.settings.requestTimeoutMs, this.host.settings.maxPollIntervalMs + 5_000),
      );
    });
  }

  private onJoinResponse(response: GroupResponse | null): void {
    if (this.stopped) return;
    if (response === null || response.kind !== "join-group-response") return this.retry("join timed out");
    if (response.error === "INCONSISTENT_GROUP_PROTOCOL" || response.error === "INVALID_SESSION_TIMEOUT" || response.error === "FENCED_INSTANCE_ID") {
      this.fatal = `${response.error}: the group coordinator refused ${this.host.id}'s JoinGroup`;
      return this.endRound();
    }
    if (response.error !== null) return this.retryAfter(response.error);
    this.memberId = response.member;
    const assignments = response.leader === response.member ? this.assign(response.protocol as AssignorName, response.members) : [];
    if (assignments === null) return this.retry("leader waits for topic metadata");
    this.host.link.ensure((found) => {
      if (this.stopped) return;
      if (!found) return this.retry("no coordinator for SyncGroup");
      this.host.link.request(
        { kind: "sync-group", group: this.host.settings.group, generation: response.generation, member: this.memberId, assignments },
        (sync) => this.onSyncResponse(response.generation, response.protocol, sync),
      );
    });
  }

  /** The leader runs the group's assignor over every member's subscription (null: partition counts unknown yet). */
  private assign(protocol: AssignorName, members: readonly JoinedMember[]): { member: string; partitions: GroupPartition[] }[] | null {
    const topics = [...new Set(members.flatMap((member) => member.topics))];
    const counts = new Map<string, number>();
    for (const topic of topics) {
      const count = this.host.partitionCount(topic);
      if (count === undefined) {
        this.metadataWaits++;
        if (this.metadataWaits > maxMetadataWaits) throw new Error(`${this.host.id}: no metadata for topic ${topic} after ${maxMetadataWaits} tries`);
        this.host.refreshMetadata(topics);
        return null;
      }
      counts.set(topic, count);
    }
    this.metadataWaits = 0;
    const forgets = this.host.context.bugs.has("sticky-forgets-ownership") && (protocol === "sticky" || protocol === "cooperative-sticky");
    if (forgets) this.trace("assign without previous ownership (planted bug sticky-forgets-ownership)");
    const input: AssignorMember[] = members.map((member) => ({
      member: member.member,
      ...(member.instance === undefined ? {} : { instance: member.instance }),
      topics: member.topics,
      owned: forgets ? [] : member.owned,
      generation: forgets ? -1 : member.ownedGeneration,
    }));
    const result = assignorFor(protocol).assign(input, counts);
    return members.map((member) => ({ member: member.member, partitions: [...(result.get(member.member) ?? [])] }));
  }

  private metadataWaits = 0;

  private onSyncResponse(generation: number, protocol: string, response: GroupResponse | null): void {
    if (this.stopped) return;
    if (response === null || response.kind !== "sync-group-response") return this.retry("sync timed out");
    if (response.error !== null) return this.retryAfter(response.error);
    this.generation = generation;
    this.rejoinNeeded = false;
    const assigned = response.partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition }));
    const key = (entry: EngineTopicPartition): string => `${entry.topic}-${entry.partition}`;
    const now = new Set(assigned.map(key));
    const before = new Set(this.owned.map(key));
    const added = assigned.filter((entry) => !before.has(key(entry)));
    if (this.cooperative) {
      const revoked = this.owned.filter((entry) => !now.has(key(entry)));
      this.owned = assigned;
      this.host.onOwned(this.owned, added);
      if (revoked.length > 0) {
        this.call("revoked", this.viewGeneration, revoked);
        this.requestRejoin(`cooperative rebalance revoked ${revoked.length} partitions`);
      }
    } else {
      this.owned = assigned;
      this.host.onOwned(this.owned, added);
    }
    this.viewGeneration = generation;
    this.previous = { partitions: assigned, generation };
    this.trace(`joined generation ${generation} protocol ${protocol} as ${this.memberId}`);
    this.call("assigned", generation, this.cooperative ? added : assigned);
    this.startHeartbeats();
    this.endRound();
  }

  // ---------------------------------------------------------------- heartbeats

  private startHeartbeats(): void {
    const token = ++this.heartbeatToken;
    this.lastHeartbeatAckMs = this.now;
    const beat = (): void => {
      if (this.stopped || token !== this.heartbeatToken) return;
      this.heartbeat(token);
      this.host.node.timer(this.host.settings.heartbeatIntervalMs, beat);
    };
    this.host.node.timer(this.host.settings.heartbeatIntervalMs, beat);
  }

  private heartbeat(token: number): void {
    const settings = this.host.settings;
    if (this.now - this.lastPollMs > settings.maxPollIntervalMs) {
      // The application stopped polling: leave, so the group moves on without this member (KIP-62).
      this.trace(`poll interval exceeded (${this.now - this.lastPollMs} ms > max.poll.interval.ms ${settings.maxPollIntervalMs}): leave group`);
      // A static member does not leave: its instance keeps its place until the session times out (KIP-345).
      if (this.host.link.coordinator !== null && settings.instance === null) {
        this.host.link.request({ kind: "leave-group", group: settings.group, member: this.memberId, reason: "consumer poll timeout has expired" }, () => undefined);
      }
      this.resetGeneration("poll timeout");
      return;
    }
    if (this.now - this.lastHeartbeatAckMs > settings.sessionTimeoutMs) {
      this.host.link.forget("no heartbeat answer within session.timeout.ms");
      this.lastHeartbeatAckMs = this.now;
    }
    this.host.link.ensure((found) => {
      if (!found || this.stopped || token !== this.heartbeatToken) return;
      this.host.link.request({ kind: "group-heartbeat", group: settings.group, generation: this.generation, member: this.memberId }, (response) => {
        if (this.stopped || token !== this.heartbeatToken || response === null || response.kind !== "group-heartbeat-response") return;
        switch (response.error) {
          case null:
            this.lastHeartbeatAckMs = this.now;
            return;
          case "REBALANCE_IN_PROGRESS":
            this.lastHeartbeatAckMs = this.now;
            return this.requestRejoin("heartbeat: REBALANCE_IN_PROGRESS");
          case "ILLEGAL_GENERATION":
          case "UNKNOWN_MEMBER_ID":
            return this.resetGeneration(response.error);
          case "FENCED_INSTANCE_ID":
            return this.fence();
          default:
            return;
        }
      });
    });
  }

  /** Another session of this member's group.instance.id took its place: FencedInstanceIdException, fatal (Java). */
  fence(): void {
    if (this.fatal !== null) return;
    this.fatal = `FencedInstanceIdException: ${this.host.id}'s member ${this.memberId} was replaced by a new session of group.instance.id ${this.host.settings.instance ?? ""}`;
    this.trace(this.fatal);
    this.heartbeatToken++;
  }

  /** A clean close: LeaveGroup (fire and forget; not for a static member, KIP-345), then nothing more. */
  leave(): void {
    if (this.memberId !== "" && this.host.link.coordinator !== null && this.host.settings.instance === null) {
      this.host.link.request({ kind: "leave-group", group: this.host.settings.group, member: this.memberId, reason: "the consumer is being closed" }, () => undefined);
    }
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    this.heartbeatToken++;
  }
}
