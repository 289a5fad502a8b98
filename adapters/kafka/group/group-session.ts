/**
 * One session of a group consumer: one kafkajs consumer from subscribe until it crashes or stops
 * (a restart is a new session, hence a new member). It keeps kafkajs's run loop (eachBatch) and
 * records what the member saw: subscribe, polls (poll-mailbox.ts), process and commits
 * (commit-modes.ts, commits.ts), and its rebalances (membership.ts).
 *
 * A batch reaches the application only when the member owns its partition and the batch was fetched
 * in the current assignment epoch (kafkajs-internals.ts stamps fetches): a batch fetched before a
 * rebalance is dropped unread and unresolved, so kafkajs fetches again from the new position, as a
 * Java consumer discards what it fetched for partitions it gave up.
 */
import kafkajs from "kafkajs";
import type { Consumer, EachBatchPayload, KafkaMessage, logCreator } from "kafkajs";
import type { ProcessValue, ReadRecord, SubscribeValue, TopicPartition } from "../../../model/index.js";
import type { GroupSettings } from "../client-config.js";
import type { HistoryRecorder } from "../../protocol/recorder.js";
import { kafkajsErrorName } from "../errors.js";
import { AppThread } from "./app-thread.js";
import { ClientSockets } from "./client-sockets.js";
import { handlePolled, type ApplicationSteps } from "./commit-modes.js";
import { Committer } from "./commits.js";
import type { GroupProgress } from "./group-progress.js";
import { FetchStamps, observeCluster, type InternalCluster } from "./kafkajs-internals.js";
import { isMembershipError, Membership } from "./membership.js";
import { PollMailbox } from "./poll-mailbox.js";

const { Kafka: KafkaClient, PartitionAssigners, logLevel } = kafkajs;

export interface GroupSessionOptions {
  readonly id: string;
  readonly settings: GroupSettings;
  /** The group's id on the cluster (the scenario's group tagged with the run). */
  readonly physicalGroup: string;
  readonly brokers: readonly string[];
  readonly logCreator: logCreator;
  readonly recorder: HistoryRecorder;
  readonly physicalTopic: (name: string) => string;
  readonly scenarioTopic: (physical: string) => string;
  readonly progress: GroupProgress;
  /** Wall-clock ms one poll's records take to process. */
  readonly processingMs: number;
  readonly log: (line: string) => void;
}

/** Bound on a clean stop or a crashed session's kafkajs teardown. */
const teardownMs = 15_000;
/** Bound on the turns of one batch (each turn ends with a poll, a heartbeat interval or the end). */
const maximumTurns = 1_000_000;
/** Errors of a heartbeat after which kafkajs rejoins (kafkajs's isRebalancing, and a lost membership). */
const rejoinErrors = new Set(["REBALANCE_IN_PROGRESS", "NOT_COORDINATOR_FOR_GROUP", "ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID", "FENCED_INSTANCE_ID"]);

function bounded(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

export class GroupSession {
  private readonly thread = new AppThread();
  private readonly sockets = new ClientSockets();
  private readonly stamps = new FetchStamps();
  private readonly membership: Membership;
  private readonly mailbox: PollMailbox;
  private readonly committer: Committer;
  private readonly consumer: Consumer;
  private readonly cluster: InternalCluster;
  private readonly steps: ApplicationSteps;
  private phase: "new" | "subscribing" | "running" | "stopping" | "ended" = "new";
  private teardown: Promise<unknown> = Promise.resolve();
  /** Batches not handed to the application: stale, not owned, or the session was ending. */
  dropped = 0;

  constructor(private readonly options: GroupSessionOptions) {
    const { settings, recorder, id } = options;
    this.membership = new Membership(settings.group, { note: (f, value) => this.alive && recorder.note(id, "info", f, value) });
    this.mailbox = new PollMailbox({ process: id, group: settings.group, recorder, thread: this.thread, pollTimeoutMs: settings.pollTimeoutMs, identity: () => this.membership.identity });
    const kafka = new KafkaClient({
      clientId: id,
      brokers: [...options.brokers],
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: Math.min(settings.requestTimeoutMs, 3000),
      retry: { retries: 5, initialRetryTime: Math.max(1, settings.retryBackoffMs), maxRetryTime: 1000 },
      logLevel: logLevel.ERROR,
      logCreator: options.logCreator,
      socketFactory: this.sockets.factory,
    });
    let cluster: unknown = null;
    this.consumer = kafka.consumer({
      groupId: options.physicalGroup,
      sessionTimeout: settings.sessionTimeoutMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      minBytes: settings.minBytes,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      readUncommitted: settings.readUncommitted,
      metadataMaxAge: settings.metadataMaxAgeMs,
      allowAutoTopicCreation: false,
      // kafkajs builds its assigners at once, handing each factory the consumer's own cluster.
      partitionAssigners: [
        (config) => {
          cluster = config.cluster;
          return PartitionAssigners.roundRobin(config);
        },
      ],
      // kafkajs restarts a crashed consumer by itself (a new member); not once the session ends.
      retry: { retries: 5, restartOnFailure: async () => this.phase === "running" },
    });
    this.cluster = observeCluster(
      cluster,
      {
        joinStarted: (member) => this.phase === "running" && this.membership.joinStarted(member),
        joinAnswered: (generation, member) => this.membership.joinAnswered(generation, member),
        epoch: () => this.membership.epoch,
      },
      this.stamps,
    );
    this.committer = new Committer({
      process: id,
      group: settings.group,
      physicalGroup: options.physicalGroup,
      recorder,
      physicalTopic: options.physicalTopic,
      scenarioTopic: options.scenarioTopic,
      findCoordinator: () => this.cluster.findGroupCoordinator({ groupId: options.physicalGroup }),
      requestTimeoutMs: settings.requestTimeoutMs,
      retryBackoffMs: settings.retryBackoffMs,
      alive: () => this.alive,
      onOutcome: (offsets, outcome) => {
        if (outcome.type === "ok") options.progress.noteCommitted(settings.group, offsets);
        else if (outcome.error !== undefined) this.membership.learned(outcome.error);
      },
    });
    this.steps = {
      mode: settings.commitMode,
      thread: this.thread,
      processingMs: options.processingMs,
      committer: this.committer,
      recordProcess: (records) => this.recordProcess(records),
      autoCommit: async () => undefined,
      learned: (error) => this.membership.learned(error),
    };
    this.listen();
  }

  /** Recording stops when the session crashed or finished stopping. */
  private get alive(): boolean {
    return this.phase !== "ended";
  }

  get busy(): boolean {
    return this.mailbox.busy || this.committer.inFlight > 0;
  }

  get skippedPolls(): number {
    return this.mailbox.skipped;
  }

  get ownedPartitions(): readonly TopicPartition[] {
    return this.membership.ownedPartitions;
  }

  private listen(): void {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, ({ payload }) => {
      if (this.phase !== "running") return;
      const partitions: TopicPartition[] = Object.entries(payload.memberAssignment)
        .flatMap(([topic, list]) => list.map((partition) => ({ topic: this.options.scenarioTopic(topic), partition })))
        .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
      this.membership.joined(payload.memberId, partitions);
    });
    if (this.options.settings.commitMode === "auto") {
      this.consumer.on(events.COMMIT_OFFSETS, ({ payload }) => this.committer.recordAutomatic(payload));
    }
    this.consumer.on(events.CRASH, ({ payload }) => {
      this.options.log(`kafka: ${this.options.id}: kafkajs consumer crashed (${kafkajsErrorName(payload.error)}), kafkajs restarts it: ${payload.restart}`);
    });
  }

  /** The subscribe step: connect, subscribe (recorded), then kafkajs's run loop joins the group. */
  async subscribe(topics: readonly string[]): Promise<void> {
    // Crashed before it got to subscribe: a dead process does nothing.
    if (this.phase === "ended") return;
    if (this.phase !== "new") throw new Error(`${this.options.id}: a session subscribes once (phase ${this.phase})`);
    this.phase = "subscribing";
    const value: SubscribeValue = { group: this.options.settings.group, topics: [...topics] };
    const operation = this.options.recorder.invoke(this.options.id, "subscribe", value);
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: topics.map(this.options.physicalTopic), fromBeginning: this.options.settings.fromBeginning });
    } catch (error) {
      if (this.alive) operation.complete("info", value, kafkajsErrorName(error));
      return;
    }
    if (this.phase !== "subscribing") return;
    operation.complete("ok", value);
    this.phase = "running";
    const auto = this.options.settings.commitMode === "auto";
    void this.consumer
      .run({
        autoCommit: auto,
        ...(auto ? { autoCommitInterval: this.options.settings.autoCommitIntervalMs } : {}),
        // The application resolves what its polls returned; nothing else moves kafkajs's position.
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.eachBatch(payload),
      })
      .catch((error: unknown) => this.options.log(`kafka: ${this.options.id}: kafkajs run failed: ${kafkajsErrorName(error)}`));
  }

  poll(): void {
    this.mailbox.poll(this.phase === "running");
  }

  freeze(): void {
    this.thread.freeze();
    this.sockets.freeze();
  }

  thaw(): void {
    this.sockets.thaw();
    this.thread.thaw();
  }

  /** A crash: nothing more leaves the client, open operations end as info, nothing more is recorded. */
  crash(): void {
    if (this.phase === "ended") return;
    this.phase = "ended";
    this.thread.end();
    this.sockets.crash();
    this.options.recorder.abandon("CLIENT_CRASHED", this.options.id);
    // kafkajs's own loops stop too; its LeaveGroup dies on the destroyed sockets.
    this.teardown = bounded(this.consumer.disconnect(), teardownMs);
  }

  /** A clean stop: the application stops, commits in flight settle, everything owned is revoked, the member leaves. */
  async stop(): Promise<void> {
    if (this.phase === "ended" || this.phase === "stopping") return this.teardown.then(() => undefined);
    this.phase = "stopping";
    this.thread.end();
    this.mailbox.close();
    await this.committer.settle(teardownMs);
    this.membership.close();
    this.teardown = bounded(this.consumer.disconnect(), teardownMs).then((done) => {
      if (!done) this.options.log(`kafka: ${this.options.id}: kafkajs disconnect did not finish within ${teardownMs} ms`);
    });
    await this.teardown;
    this.phase = "ended";
  }

  /** Waits until the application is idle (no poll open, no commit in flight), at most `boundMs`. */
  async settle(boundMs: number): Promise<void> {
    const deadline = performance.now() + boundMs;
    for (let turn = 0; turn < 10_000 && this.busy && performance.now() < deadline; turn += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Whether kafkajs's teardown of a crashed or stopped session finished. */
  async finished(): Promise<void> {
    await this.teardown;
  }

  private recordProcess(records: readonly ReadRecord[]): void {
    if (!this.alive) return;
    const value: ProcessValue = { records: records.map((record) => ({ topic: record.topic, partition: record.partition, offset: record.offset })) };
    this.options.recorder.invoke(this.options.id, "process", value).complete("ok", value);
    this.options.progress.noteProcessed(this.options.settings.group, value.records);
  }

  private fresh(messages: readonly KafkaMessage[], topic: string, partition: number, epoch: number): boolean {
    if (this.phase !== "running" || !this.membership.owns(topic, partition)) return false;
    const first = messages[0];
    return first !== undefined && this.stamps.epochOf(first) === epoch;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const topic = this.options.scenarioTopic(batch.topic);
    const epoch = this.membership.epoch;
    if (!this.fresh(batch.messages, topic, batch.partition, epoch)) {
      this.dropped += 1;
      return;
    }
    const records: ReadRecord[] = batch.messages.map((message) => ({
      topic,
      partition: batch.partition,
      offset: Number(message.offset),
      key: message.key === null ? null : message.key.toString("utf8"),
      value: message.value === null ? "" : message.value.toString("utf8"),
    }));
    const steps: ApplicationSteps = { ...this.steps, autoCommit: () => payload.commitOffsetsIfNecessary() };
    let next = 0;
    for (let turn = 0; next < records.length && turn < maximumTurns; turn += 1) {
      const poll = await this.nextPoll(payload, topic, batch.partition, epoch);
      if (poll === null) return;
      const chunk = records.slice(next, next + this.options.settings.maxPollRecords);
      next += chunk.length;
      const identity = this.membership.identity;
      poll.complete(chunk);
      // The position moves with what poll returned, as Java's does; kafkajs fetches from after it.
      const last = batch.messages[next - 1];
      if (last !== undefined) payload.resolveOffset(last.offset);
      const goOn = await handlePolled(steps, chunk, { generation: identity.generation, member: identity.member ?? "" });
      this.mailbox.done();
      if (!goOn) return;
    }
  }

  /**
   * Waits for a poll step while holding a batch, heartbeating as Java's background thread does; null
   * when the batch must be given up (the session ends, a rebalance began, the epoch moved on).
   */
  private async nextPoll(payload: EachBatchPayload, topic: string, partition: number, epoch: number): Promise<{ complete(records: readonly ReadRecord[]): void } | null> {
    const valid = (): boolean => this.phase === "running" && this.membership.epoch === epoch && this.membership.owns(topic, partition);
    for (let turn = 0; turn < maximumTurns; turn += 1) {
      if (!(await this.thread.gate()) || !valid()) return null;
      const poll = await this.mailbox.take(this.options.settings.heartbeatIntervalMs);
      if (poll !== null) {
        if (valid()) return poll;
        poll.giveBack();
        return null;
      }
      if (this.thread.isFrozen || this.thread.isEnded) continue;
      try {
        await payload.heartbeat();
      } catch (error) {
        const name = kafkajsErrorName(error);
        if (isMembershipError(name)) this.membership.learned(name);
        if (rejoinErrors.has(name)) return null;
      }
    }
    return null;
  }
}
