import type { Consumer, EngineOffset, EngineRecord, EngineTopicPartition, PollResult } from "../api.js";
import type { EngineContext } from "../context.js";
import { brokerNodeName } from "../context.js";
import type { SimulatedNode } from "../network/node.js";
import type { ConsumerFetchPartition, ConsumerFetchResult, Message } from "../protocol/messages.js";
import { isAbortedBatch } from "../protocol/aborted-transactions.js";
import { lastOffsetOf } from "../storage/partition-log.js";
import { ClientMetadata } from "./client-metadata.js";
import type { ConsumerSettings } from "./consumer-settings.js";

interface PollState {
  readonly done: (result: PollResult) => void;
  readonly deadlineMs: number;
  readonly records: EngineRecord[];
  outstanding: number;
  finished: boolean;
  failure: string | null;
  /** A position was found (ListOffsets) this round: fetch at once instead of waiting. */
  progressed: boolean;
}

/**
 * A consumer's position in one partition (immutable: every change makes a new one, so a response can
 * tell whether the position it was asked for is still current). KIP-320: `offsetEpoch` is the leader
 * epoch of the last record consumed (-1 when unknown: after a seek or an offset reset), `leaderEpoch`
 * the partition leader epoch the position was last valid under. When metadata shows a newer leader
 * epoch, a position with a known `offsetEpoch` is validated before fetching again.
 */
interface Position {
  readonly offset: number;
  readonly offsetEpoch: number;
  readonly leaderEpoch: number;
}

/** Fetch rounds one poll may run at most (each waits fetch.max.wait.ms), a bound on a poll's work. */
const maxRoundsPerPoll = 10_000;

/**
 * The consumer with manual assignment: positions per partition (seek, or auto.offset.reset through
 * ListOffsets), fetches from each partition's leader with the leader epoch it knows, and returns only
 * what the leader serves below its high watermark. After a leader change it validates its position
 * against the new leader's log (KIP-320) and resets to where the logs diverge if it was truncated. Between empty fetch rounds it waits
 * fetch.max.wait.ms, as the broker's long poll would.
 */
export class ConsumerClient implements Consumer {
  private assignment: EngineTopicPartition[] = [];
  private readonly positions = new Map<string, Position | null>();
  /** Partitions with an OffsetsForLeaderEpoch request in flight (the request id). */
  private readonly validating = new Map<string, number>();
  private readonly metadata: ClientMetadata;
  private poll_: PollState | null = null;
  private requestCounter = 0;
  private rounds = 0;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly settings: ConsumerSettings,
  ) {
    this.metadata = new ClientMetadata(node, context, () => ++this.requestCounter, settings.requestTimeoutMs, settings.retryBackoffMs, () => undefined);
  }

  private get now(): number {
    return this.context.scheduler.nowMs;
  }

  assign(partitions: readonly EngineTopicPartition[]): void {
    this.assignment = partitions.map(({ topic, partition }) => ({ topic, partition }));
    const keep = new Set(this.assignment.map((entry) => `${entry.topic}-${entry.partition}`));
    for (const key of [...this.positions.keys()]) if (!keep.has(key)) this.positions.delete(key);
    for (const { topic } of this.assignment) this.metadata.want(topic);
    this.metadata.refresh();
  }

  /** The next offset to read of every assigned partition whose position is known. */
  knownPositions(): EngineOffset[] {
    const known: EngineOffset[] = [];
    for (const { topic, partition } of this.assignment) {
      const position = this.positions.get(`${topic}-${partition}`);
      if (position != null) known.push({ topic, partition, offset: position.offset });
    }
    return known;
  }

  /** Partition count of a topic from the metadata (a group leader's assignor needs it). */
  partitionCount(topic: string): number | undefined {
    return this.metadata.partitions(topic)?.length;
  }

  watchTopics(topics: readonly string[]): void {
    for (const topic of topics) this.metadata.want(topic);
    this.metadata.refresh();
  }

  seek(partition: EngineTopicPartition, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`seek offset: ${offset} is not allowed; use an integer >= 0`);
    const key = `${partition.topic}-${partition.partition}`;
    if (!this.assignment.some((entry) => entry.topic === partition.topic && entry.partition === partition.partition)) {
      throw new Error(`seek partition: ${key} is not assigned to ${this.id}`);
    }
    // Java's seek(offset) carries no epoch, so the new position needs no validation.
    this.positions.set(key, { offset, offsetEpoch: -1, leaderEpoch: -1 });
  }

  poll(done: (result: PollResult) => void): void {
    if (this.closed) return done({ type: "fail", error: "IllegalStateException: consumer closed" });
    if (this.poll_ !== null) return done({ type: "fail", error: "IllegalStateException: poll already in progress" });
    const state: PollState = { done, deadlineMs: this.now + this.settings.pollTimeoutMs, records: [], outstanding: 0, finished: false, failure: null, progressed: false };
    this.poll_ = state;
    this.rounds = 0;
    this.node.timer(this.settings.pollTimeoutMs, () => this.finish(state));
    this.round(state);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const state = this.poll_;
    if (state !== null && !state.finished) {
      state.finished = true;
      this.poll_ = null;
      state.done({ type: "info", error: "consumer closed during poll" });
    }
  }

  handle(message: Message): void {
    if (this.closed) return;
    if (message.kind === "metadata-response") return this.metadata.handle(message);
    this.pendingRequests.get(requestIdOf(message))?.(message);
  }

  private finish(state: PollState): void {
    if (state.finished) return;
    state.finished = true;
    if (this.poll_ === state) this.poll_ = null;
    if (state.failure !== null) return state.done({ type: "fail", error: state.failure });
    this.context.trace.record(this.now, this.node.name, `poll ${state.records.length} records`);
    state.done({ type: "ok", records: state.records });
  }

  private round(state: PollState): void {
    if (state.finished || this.closed) return;
    this.rounds++;
    const byLeader = new Map<number, ConsumerFetchPartition[]>();
    const positionsAsked = new Map<string, Position>();
    let needMetadata = false;
    for (const { topic, partition } of this.assignment) {
      this.metadata.want(topic);
      const leader = this.metadata.leader(topic, partition);
      if (leader === undefined || leader.leader === null) {
        needMetadata = true;
        continue;
      }
      const key = `${topic}-${partition}`;
      let position = this.positions.get(key);
      if (position === undefined || position === null) {
        if (this.settings.autoOffsetReset === "none") {
          state.failure = `NoOffsetForPartitionException: no position for ${key} and auto.offset.reset=none`;
          return this.finish(state);
        }
        this.listOffsets(state, leader.leader, topic, partition);
        continue;
      }
      if (this.validating.has(key)) continue;
      if (position.leaderEpoch !== leader.leaderEpoch) {
        if (position.leaderEpoch >= 0 && this.context.bugs.has("consumer-rewind-on-leader-change")) {
          // Planted bug: the position is thrown away on a leader change and found again from the log start.
          this.context.trace.record(this.now, this.node.name, `rewind ${key} from ${position.offset} after leader epoch ${position.leaderEpoch} -> ${leader.leaderEpoch} (planted bug)`);
          this.positions.set(key, null);
          this.listOffsets(state, leader.leader, topic, partition, true);
          continue;
        }
        if (position.offsetEpoch >= 0 && position.leaderEpoch >= 0) {
          this.validatePosition(state, leader.leader, leader.leaderEpoch, topic, partition, position);
          continue;
        }
        // Nothing consumed since the position was set: nothing to validate (as Java skips it).
        position = { ...position, leaderEpoch: leader.leaderEpoch };
        this.positions.set(key, position);
      }
      let list = byLeader.get(leader.leader);
      if (list === undefined) {
        list = [];
        byLeader.set(leader.leader, list);
      }
      list.push({ topic, partition, fetchOffset: position.offset, currentLeaderEpoch: leader.leaderEpoch });
      positionsAsked.set(key, position);
    }
    if (needMetadata) this.metadata.refresh();
    for (const [brokerId, partitions] of byLeader) this.fetch(state, brokerId, partitions, positionsAsked);
    if (state.outstanding === 0) this.afterResponses(state);
  }

  private afterResponses(state: PollState): void {
    if (state.finished || state.outstanding > 0) return;
    if (state.records.length > 0 || state.failure !== null || this.rounds >= maxRoundsPerPoll) return this.finish(state);
    if (state.progressed) {
      state.progressed = false;
      return this.round(state);
    }
    const wait = Math.min(Math.max(this.settings.fetchMaxWaitMs, this.settings.retryBackoffMs, 1), state.deadlineMs - this.now);
    if (wait <= 0) return this.finish(state);
    this.node.timer(wait, () => this.round(state));
  }

  /** Sends a request and calls `onResponse` once with the response, or with null after request.timeout.ms. */
  private request(state: PollState, brokerId: number, message: Message, onResponse: (response: Message | null) => void): void {
    state.outstanding++;
    let answered = false;
    const answer = (response: Message | null): void => {
      if (answered) return;
      answered = true;
      this.pendingRequests.delete(requestIdOf(message));
      onResponse(response);
      state.outstanding--;
      this.afterResponses(state);
    };
    this.pendingRequests.set(requestIdOf(message), answer);
    this.context.network.send(this.node, brokerNodeName(brokerId), message);
    this.node.timer(this.settings.requestTimeoutMs, () => answer(null));
  }

  private readonly pendingRequests = new Map<number, (response: Message | null) => void>();

  private listOffsets(state: PollState, brokerId: number, topic: string, partition: number, earliest = this.settings.autoOffsetReset === "earliest"): void {
    const requestId = ++this.requestCounter;
    this.request(state, brokerId, { kind: "list-offsets", requestId, topic, partition, earliest }, (response) => {
      if (response === null || response.kind !== "list-offsets-response" || response.error !== null) {
        this.metadata.refresh();
        return;
      }
      const key = `${topic}-${partition}`;
      if (this.positions.get(key) == null && this.assignment.some((entry) => entry.topic === topic && entry.partition === partition)) {
        const leaderEpoch = this.metadata.leader(topic, partition)?.leaderEpoch ?? -1;
        this.positions.set(key, { offset: response.offset, offsetEpoch: -1, leaderEpoch });
        state.progressed = true;
      }
    });
  }

  /**
   * KIP-320: asks the leader where the epoch of the last consumed record ends in its log. Below the
   * position means the log was truncated under the consumer (an unclean election, or a lost unflushed
   * suffix): the consumer resets to that divergence point (or fails with auto.offset.reset=none),
   * instead of skipping the new leader's records at offsets it had already consumed elsewhere.
   */
  private validatePosition(state: PollState, brokerId: number, currentLeaderEpoch: number, topic: string, partition: number, asked: Position): void {
    const requestId = ++this.requestCounter;
    const key = `${topic}-${partition}`;
    this.validating.set(key, requestId);
    const message: Message = { kind: "offsets-for-leader-epoch", requestId, topic, partition, currentLeaderEpoch, leaderEpoch: asked.offsetEpoch };
    this.request(state, brokerId, message, (response) => {
      if (this.validating.get(key) === requestId) this.validating.delete(key);
      if (this.positions.get(key) !== asked) return;
      if (response === null || response.kind !== "offsets-for-leader-epoch-response" || response.error !== null) {
        this.metadata.refresh();
        return;
      }
      state.progressed = true;
      const truncated = response.epoch < 0 || response.endOffset < 0 || response.endOffset < asked.offset;
      if (!truncated) {
        this.positions.set(key, { ...asked, leaderEpoch: currentLeaderEpoch });
        return;
      }
      const known = response.epoch >= 0 && response.endOffset >= 0;
      this.context.trace.record(this.now, this.node.name, `truncation detected ${key} at ${asked.offset} epoch ${asked.offsetEpoch}: ${known ? `diverges at ${response.endOffset}` : "epoch unknown to the leader"}`);
      if (this.settings.autoOffsetReset === "none") {
        if (!state.finished) state.failure = `LogTruncationException: ${key} truncated below offset ${asked.offset}${known ? `, diverging at ${response.endOffset}` : ""}`;
        return;
      }
      // Java resets to the first offset known to diverge; with no common epoch, by auto.offset.reset.
      this.positions.set(key, known ? { offset: response.endOffset, offsetEpoch: response.epoch, leaderEpoch: currentLeaderEpoch } : null);
    });
  }

  private fetch(state: PollState, brokerId: number, partitions: ConsumerFetchPartition[], positionsAsked: ReadonlyMap<string, Position>): void {
    const requestId = ++this.requestCounter;
    this.request(state, brokerId, { kind: "fetch", requestId, readCommitted: this.settings.readCommitted, maxBytes: this.settings.maxPartitionFetchBytes, partitions }, (response) => {
      if (response === null || response.kind !== "fetch-response") {
        this.metadata.refresh();
        for (const requested of partitions) {
          const key = `${requested.topic}-${requested.partition}`;
          const asked = positionsAsked.get(key);
          if (asked !== undefined) this.skipOnError(key, asked);
        }
        return;
      }
      response.results.forEach((result, index) => {
        const requested = partitions[index]!;
        this.takeRecords(state, requested, positionsAsked.get(`${requested.topic}-${requested.partition}`)!, result);
      });
    });
  }

  /** Planted bug consumer-skip-on-error: a failed fetch moves the position one offset on, as if consumed. */
  private skipOnError(key: string, asked: Position): void {
    if (!this.context.bugs.has("consumer-skip-on-error") || this.positions.get(key) !== asked) return;
    this.context.trace.record(this.now, this.node.name, `skip ${key} from ${asked.offset} to ${asked.offset + 1} after a failed fetch (planted bug)`);
    this.positions.set(key, { ...asked, offset: asked.offset + 1 });
  }

  private takeRecords(state: PollState, requested: ConsumerFetchPartition, asked: Position, result: ConsumerFetchResult): void {
    if (state.finished) return;
    const key = `${requested.topic}-${requested.partition}`;
    if (this.positions.get(key) !== asked) return;
    if (result.error === "OFFSET_OUT_OF_RANGE") {
      this.positions.set(key, null);
      if (this.settings.autoOffsetReset === "none") state.failure = `OffsetOutOfRangeException: ${key} offset ${requested.fetchOffset}`;
      return;
    }
    if (result.error !== null) {
      this.metadata.refresh();
      this.skipOnError(key, asked);
      return;
    }
    let position = requested.fetchOffset;
    let offsetEpoch = asked.offsetEpoch;
    // read_committed skips aborted transactions' batches (the planted bug read-committed-returns-aborted
    // does not); markers are never returned to the application. Both still move the position past them.
    const aborted = this.settings.readCommitted && !this.context.bugs.has("read-committed-returns-aborted") ? (result.abortedTransactions ?? []) : [];
    for (const batch of result.batches) {
      if (state.records.length >= this.settings.maxPollRecords) break;
      if (batch.control !== undefined || isAbortedBatch(batch, aborted)) {
        const end = lastOffsetOf(batch) + 1;
        if (end > position) {
          position = end;
          offsetEpoch = batch.leaderEpoch;
        }
        continue;
      }
      for (let index = 0; index < batch.records.length; index++) {
        const offset = batch.baseOffset + index;
        if (offset < position) continue;
        if (state.records.length >= this.settings.maxPollRecords) break;
        const record = batch.records[index]!;
        state.records.push({ topic: requested.topic, partition: requested.partition, offset, key: record.key, value: record.value });
        position = offset + 1;
        offsetEpoch = batch.leaderEpoch;
      }
    }
    if (position !== asked.offset) this.positions.set(key, { offset: position, offsetEpoch, leaderEpoch: requested.currentLeaderEpoch });
  }
}

function requestIdOf(message: Message): number {
  return "requestId" in message ? message.requestId : -1;
}
