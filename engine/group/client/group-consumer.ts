/**
 * The group consumer (api.ts GroupConsumer): subscribe, poll, commit, as the Java client does them.
 * Its parts: the CoordinatorLink (finding and talking to the coordinator), the Membership (join, sync,
 * heartbeats, the rebalance listener), Commits (sync, async, automatic), and the fetcher of the
 * manual-assignment consumer (engine/client/consumer.ts), which it points at the partitions it owns
 * and positions at their committed offsets (OffsetFetch), or by auto.offset.reset where none is.
 */
import type { CommitIdentity, CommitResult, EngineOffset, EngineTopicPartition, GroupConsumer, GroupPollResult, RebalanceCall } from "../../api.js";
import type { EngineContext } from "../../context.js";
import type { SimulatedNode } from "../../network/node.js";
import { isGroupResponse, type GroupResponse } from "../../protocol/group-messages.js";
import type { Message } from "../../protocol/messages.js";
import { ConsumerClient } from "../../client/consumer.js";
import type { ConsumerSettings } from "../../client/consumer-settings.js";
import { assert } from "../../simulation/assert.js";
import { Commits } from "./commits.js";
import { CoordinatorLink } from "./coordinator-link.js";
import type { GroupConsumerSettings } from "./group-consumer-settings.js";
import { Membership } from "./membership.js";

type AutoCommitListener = (offsets: readonly EngineOffset[], identity: CommitIdentity, result: CommitResult) => void;

/** Bounds: auto-commit listeners per consumer. */
const maxListeners = 16;

export class GroupConsumerClient implements GroupConsumer {
  private readonly fetcher: ConsumerClient;
  private readonly link: CoordinatorLink;
  private readonly membership: Membership;
  private readonly commits: Commits;
  private readonly autoCommitListeners: AutoCommitListener[] = [];
  /** Newly owned partitions whose committed offsets are being fetched (the fetcher waits for them). */
  private awaitingOffsets: EngineTopicPartition[] = [];
  private offsetFetchInFlight = false;
  private polling = false;
  private nextAutoCommitMs: number;
  closed = false;

  constructor(
    readonly id: string,
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly settings: GroupConsumerSettings,
    private readonly fetchSettings: ConsumerSettings,
  ) {
    this.fetcher = new ConsumerClient(id, node, context, fetchSettings);
    this.link = new CoordinatorLink(node, context, settings.group, settings.requestTimeoutMs, settings.retryBackoffMs);
    this.membership = new Membership({
      id,
      node,
      context,
      settings,
      link: this.link,
      partitionCount: (topic) => this.fetcher.partitionCount(topic),
      refreshMetadata: (topics) => this.fetcher.watchTopics(topics),
      onOwned: (owned, added) => this.onOwned(owned, added),
      beforeRejoin: () => this.autoCommit(),
    });
    this.commits = new Commits(id, node, context, settings, this.link, this.membership);
    this.nextAutoCommitMs = context.scheduler.nowMs + settings.autoCommitIntervalMs;
  }

  private get now(): number {
    return this.context.scheduler.nowMs;
  }

  handle(message: Message): void {
    if (this.closed) return;
    if (isGroupResponse(message)) return this.link.handle(message as GroupResponse);
    this.fetcher.handle(message);
  }

  subscribe(topics: readonly string[], listener: (call: RebalanceCall) => void): void {
    if (this.closed) throw new Error(`${this.id}: subscribe after close`);
    if (topics.length === 0) throw new Error(`${this.id}: subscribe to no topic is not allowed; name one or more topics`);
    this.membership.subscribe(topics, listener);
  }

  identity(): CommitIdentity {
    return { generation: this.membership.generation, member: this.membership.memberId };
  }

  positions(): readonly EngineOffset[] {
    const waiting = new Set(this.awaitingOffsets.map((entry) => `${entry.topic}-${entry.partition}`));
    const known = this.fetcher.knownPositions().filter((entry) => !waiting.has(`${entry.topic}-${entry.partition}`));
    if (!this.context.bugs.has("commit-last-processed")) return known;
    // Planted bug: the offset of the last record returned, not the next one to read.
    return known.map((entry) => ({ ...entry, offset: Math.max(0, entry.offset - 1) }));
  }

  poll(done: (result: GroupPollResult) => void): void {
    if (this.closed) return done({ type: "fail", error: "IllegalStateException: consumer closed" });
    if (this.polling) return done({ type: "fail", error: "IllegalStateException: poll already in progress" });
    if (!this.membership.subscribed) return done({ type: "fail", error: "IllegalStateException: consumer is not subscribed to any topics" });
    this.polling = true;
    this.membership.lastPollMs = this.now;
    if (this.settings.autoCommit && this.now >= this.nextAutoCommitMs) this.autoCommit();
    let finished = false;
    /** Once the fetcher polls, its own poll timeout ends this poll: records it took must reach the caller. */
    let fetching = false;
    const finish = (result: GroupPollResult): void => {
      if (finished || this.closed) return;
      finished = true;
      this.polling = false;
      done(result);
    };
    const empty = (): GroupPollResult => ({ type: "ok", records: [], generation: this.membership.viewGeneration, member: this.membership.memberId });
    // poll(timeout) returns empty when the rebalance does not finish in time; the round goes on regardless.
    this.node.timer(this.fetchSettings.pollTimeoutMs, () => {
      if (!fetching) finish(empty());
    });
    this.membership.ensureActive(() => {
      if (finished || this.closed) return;
      if (this.membership.fatal !== null) return finish({ type: "fail", error: this.membership.fatal });
      if (!this.membership.active) return finish(empty());
      this.withCommittedOffsets(() => {
        if (finished || this.closed) return;
        fetching = true;
        this.fetcher.poll((result) => {
          if (result.type !== "ok") return finish(result);
          // The member's view when the records are handed over (its last `assigned` generation).
          finish({ type: "ok", records: result.records, generation: this.membership.viewGeneration, member: this.membership.memberId });
        });
      });
    });
  }

  /** The fetcher follows what the member owns; new partitions start where the group committed. */
  private onOwned(owned: readonly EngineTopicPartition[], added: readonly EngineTopicPartition[]): void {
    const addedKeys = new Set(added.map((entry) => `${entry.topic}-${entry.partition}`));
    const ownedKeys = new Set(owned.map((entry) => `${entry.topic}-${entry.partition}`));
    this.awaitingOffsets = [...this.awaitingOffsets.filter((entry) => ownedKeys.has(`${entry.topic}-${entry.partition}`) && !addedKeys.has(`${entry.topic}-${entry.partition}`)), ...added];
    const waiting = new Set(this.awaitingOffsets.map((entry) => `${entry.topic}-${entry.partition}`));
    this.fetcher.assign(owned.filter((entry) => !waiting.has(`${entry.topic}-${entry.partition}`)));
  }

  /** OffsetFetch for partitions just assigned, then seek (or leave them to auto.offset.reset). */
  private withCommittedOffsets(then: () => void): void {
    if (this.awaitingOffsets.length === 0) return then();
    if (this.offsetFetchInFlight) return;
    this.offsetFetchInFlight = true;
    const asked = this.awaitingOffsets;
    const retry = (): void => {
      this.offsetFetchInFlight = false;
      this.node.timer(Math.max(1, this.settings.retryBackoffMs), () => this.withCommittedOffsets(then));
    };
    this.link.ensure((found) => {
      if (this.closed) return;
      if (!found) return retry();
      this.link.request({ kind: "offset-fetch", group: this.settings.group, partitions: asked }, (response) => {
        if (this.closed) return;
        if (response === null || response.kind !== "offset-fetch-response" || response.error !== null) return retry();
        this.offsetFetchInFlight = false;
        const stillAwaited = new Set(this.awaitingOffsets.map((entry) => `${entry.topic}-${entry.partition}`));
        const answered = response.offsets.filter((entry) => stillAwaited.has(`${entry.topic}-${entry.partition}`));
        const answeredKeys = new Set(answered.map((entry) => `${entry.topic}-${entry.partition}`));
        this.awaitingOffsets = this.awaitingOffsets.filter((entry) => !answeredKeys.has(`${entry.topic}-${entry.partition}`));
        const owned = this.membership.owned.filter((entry) => !this.awaitingOffsets.some((waiting) => waiting.topic === entry.topic && waiting.partition === entry.partition));
        this.fetcher.assign(owned);
        for (const entry of answered) {
          if (entry.offset >= 0) this.fetcher.seek({ topic: entry.topic, partition: entry.partition }, entry.offset);
          this.context.trace.record(this.now, this.node.name, `committed ${entry.topic}-${entry.partition}: ${entry.offset >= 0 ? entry.offset : "none (auto.offset.reset)"}`);
        }
        this.withCommittedOffsets(then);
      });
    });
  }

  commitSync(offsets: readonly EngineOffset[], done: (result: CommitResult) => void): void {
    if (this.closed) return done({ type: "fail", error: "IllegalStateException: consumer closed" });
    this.commits.commitSync(offsets, this.identity(), (result) => {
      if (!this.closed) done(result);
    });
  }

  commitAsync(offsets: readonly EngineOffset[], done: (result: CommitResult) => void): void {
    if (this.closed) return done({ type: "fail", error: "IllegalStateException: consumer closed" });
    this.commits.commitAsync(offsets, this.identity(), (result) => {
      if (!this.closed) done(result);
    });
  }

  onAutoCommit(listener: AutoCommitListener): void {
    assert(this.autoCommitListeners.length < maxListeners, `${this.id}: too many auto-commit listeners`);
    this.autoCommitListeners.push(listener);
  }

  /** enable.auto.commit: the positions of what earlier polls returned, sent asynchronously. */
  private autoCommit(): void {
    if (!this.settings.autoCommit) return;
    this.nextAutoCommitMs = this.now + this.settings.autoCommitIntervalMs;
    const offsets = this.positions();
    const identity = this.identity();
    if (offsets.length === 0 || identity.generation < 0) return;
    this.commits.commitAsync(offsets, identity, (result) => {
      if (this.closed) return;
      for (const listener of this.autoCommitListeners) listener(offsets, identity, result);
    });
  }

  crash(): void {
    if (this.closed) return;
    this.context.trace.record(this.now, this.node.name, "crash");
    this.stop();
    this.node.crash();
  }

  close(): void {
    if (this.closed) return;
    this.context.trace.record(this.now, this.node.name, "close");
    this.membership.leave();
    this.stop();
  }

  private stop(): void {
    this.closed = true;
    this.membership.stop();
    this.link.stopped = true;
    this.fetcher.close();
  }
}
