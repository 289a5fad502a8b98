/**
 * Where the scenario's poll steps meet kafkajs's pushed batches.
 *
 * kafkajs has no poll(): its run loop fetches and pushes each partition's batch to eachBatch, one at
 * a time, and fetches again only after eachBatch returned. The mapping keeps that loop and lets poll
 * steps decide when the application receives records, as Java's poll() does:
 * - a poll step opens a poll (`poll` invoke) unless the application is still busy with the previous
 *   one (a Java application polls from one thread: the step is skipped and counted);
 * - a batch handed to eachBatch waits for an open poll (heartbeating meanwhile, as Java's background
 *   thread would); the open poll takes up to max.poll.records of its records and completes `ok` with
 *   them and the generation and member id the member has then;
 * - a poll that finds no batch within poll.timeout.ms completes `ok` with no records;
 * - the application is busy from the poll until it processed and committed what it got
 *   (commit-modes.ts), then the next poll step may open a poll.
 * So one poll returns records of one partition (kafkajs's batches are per partition).
 */
import type { GroupPollValue, ReadRecord } from "../../../model/index.js";
import type { HistoryRecorder, OpenOperation } from "../../protocol/recorder.js";
import type { AppThread } from "./app-thread.js";

export interface MailboxOptions {
  readonly process: string;
  readonly group: string;
  readonly recorder: HistoryRecorder;
  readonly thread: AppThread;
  readonly pollTimeoutMs: number;
  /** The generation and member id the member believes it has now. */
  readonly identity: () => { generation: number; member: string | undefined };
}

interface OpenPoll {
  readonly operation: OpenOperation;
  timer: NodeJS.Timeout | undefined;
  taken: boolean;
  /** Its time ran out while eachBatch held it: it expires when given back. */
  late: boolean;
}

/** An open poll handed to eachBatch: it completes it with records, or gives it back. */
export interface TakenPoll {
  complete(records: readonly ReadRecord[]): void;
  giveBack(): void;
}

export class PollMailbox {
  private open: OpenPoll | null = null;
  private waiter: (() => void) | null = null;
  private busyNow = false;
  /** Poll steps skipped: the application was busy, frozen or not running. */
  skipped = 0;

  constructor(private readonly options: MailboxOptions) {}

  get busy(): boolean {
    return this.busyNow;
  }

  /** A poll step; `ready` says whether the consumer runs at all (subscribed, not crashed). */
  poll(ready: boolean): void {
    const thread = this.options.thread;
    if (!ready || this.busyNow || thread.isFrozen || thread.isEnded) {
      this.skipped += 1;
      return;
    }
    this.busyNow = true;
    const poll: OpenPoll = { operation: this.options.recorder.invoke(this.options.process, "poll", {}), timer: undefined, taken: false, late: false };
    poll.timer = setTimeout(() => void this.expire(poll), this.options.pollTimeoutMs);
    this.open = poll;
    this.waiter?.();
  }

  /** eachBatch: the open poll, waiting up to `ms` for one; null when none came (or the session ended). */
  async take(ms: number): Promise<TakenPoll | null> {
    if (this.open === null && !this.options.thread.isEnded) {
      await this.options.thread.wait(ms, (wake) => {
        this.waiter = wake;
      });
      this.waiter = null;
    }
    const poll = this.open;
    if (poll === null || poll.taken || this.options.thread.isEnded || this.options.thread.isFrozen) return null;
    poll.taken = true;
    return {
      complete: (records) => {
        clearTimeout(poll.timer);
        this.open = null;
        this.finish(poll, records);
      },
      giveBack: () => {
        poll.taken = false;
        if (poll.late) void this.expire(poll);
      },
    };
  }

  /** The application handled what its poll returned: the next poll step may open a poll. */
  done(): void {
    this.busyNow = false;
  }

  /** A clean stop: an open poll returns with nothing. */
  close(): void {
    const poll = this.open;
    if (poll === null || poll.taken) return;
    clearTimeout(poll.timer);
    this.open = null;
    this.finish(poll, []);
    this.busyNow = false;
  }

  private async expire(poll: OpenPoll): Promise<void> {
    // A frozen application's poll returns when it wakes; a crashed one's never (the crash abandoned it).
    if (!(await this.options.thread.gate()) || this.open !== poll) return;
    if (poll.taken) {
      poll.late = true;
      return;
    }
    this.open = null;
    this.finish(poll, []);
    this.busyNow = false;
  }

  private finish(poll: OpenPoll, records: readonly ReadRecord[]): void {
    const identity = this.options.identity();
    // Before its first JoinGroup answer a member has no id: Java's is "" then (UNKNOWN_MEMBER_ID).
    const value: GroupPollValue = { records: [...records], group: this.options.group, generation: identity.generation, member: identity.member ?? "" };
    poll.operation.complete("ok", value);
  }
}
