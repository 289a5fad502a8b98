/**
 * Offset commits as the Java client makes them. commitSync retries retriable errors until
 * default.api.timeout.ms; commitAsync sends once and reports whatever comes back. Both are judged by
 * the coordinator against the generation and member they carry (CommitIdentity), and an answer that
 * says the generation is gone resets the member (it must rejoin). Outcomes: ok; fail when the
 * coordinator refused the commit before writing anything; info when it may or may not be stored
 * (a timeout, or an append that was not confirmed).
 */
import type { CommitIdentity, CommitResult, EngineOffset } from "../../api.js";
import type { EngineContext } from "../../context.js";
import type { SimulatedNode } from "../../network/node.js";
import type { ErrorCode } from "../../protocol/errors.js";
import type { GroupResponse } from "../../protocol/group-messages.js";
import type { CoordinatorLink } from "./coordinator-link.js";
import type { GroupConsumerSettings } from "./group-consumer-settings.js";
import type { Membership } from "./membership.js";

/** Errors that prove the coordinator wrote nothing for this commit. */
const refusedBeforeWrite: ReadonlySet<ErrorCode> = new Set(["ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID", "REBALANCE_IN_PROGRESS", "NOT_COORDINATOR", "COORDINATOR_NOT_AVAILABLE"]);
/** Errors commitSync retries (Kafka's RetriableException subclasses for OffsetCommit). */
const retriable: ReadonlySet<ErrorCode> = new Set(["NOT_COORDINATOR", "COORDINATOR_NOT_AVAILABLE", "COORDINATOR_LOAD_IN_PROGRESS", "REQUEST_TIMED_OUT"]);
/** Bounds: commits the planted bug keeps for a late resend. */
const maxLateCommits = 100;

interface LateCommit {
  readonly offsets: readonly EngineOffset[];
  readonly identity: CommitIdentity;
}

export class Commits {
  /** Planted bug sync-commit-retried-late: sync commits whose attempt timed out, kept to be sent again after a later success. */
  private late: LateCommit[] = [];

  constructor(
    private readonly id: string,
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly settings: GroupConsumerSettings,
    private readonly link: CoordinatorLink,
    private readonly membership: Membership,
  ) {}

  private get now(): number {
    return this.context.scheduler.nowMs;
  }

  private trace(text: string): void {
    this.context.trace.record(this.now, this.node.name, text);
  }

  /** What an error answer means for the member (a lost generation, a rebalance to join). */
  private learn(error: ErrorCode): void {
    if (error === "ILLEGAL_GENERATION" || error === "UNKNOWN_MEMBER_ID") this.membership.resetGeneration(error);
    else if (error === "REBALANCE_IN_PROGRESS") this.membership.requestRejoin("commit: REBALANCE_IN_PROGRESS");
  }

  private send(offsets: readonly EngineOffset[], identity: CommitIdentity, done: (response: GroupResponse | null) => void): void {
    this.link.request(
      { kind: "offset-commit", group: this.settings.group, generation: identity.generation, member: identity.member, offsets: offsets.map((entry) => ({ topic: entry.topic, partition: entry.partition, offset: entry.offset })) },
      done,
    );
  }

  private describe(offsets: readonly EngineOffset[]): string {
    return offsets.map((entry) => `${entry.topic}-${entry.partition}:${entry.offset}`).join(",");
  }

  commitSync(offsets: readonly EngineOffset[], identity: CommitIdentity, done: (result: CommitResult) => void): void {
    if (offsets.length === 0) return done({ type: "ok" });
    if (identity.generation < 0) return done({ type: "fail", error: "CommitFailedException: the member is not part of an active generation (it must rejoin first)" });
    const deadline = this.now + this.settings.defaultApiTimeoutMs;
    this.trace(`commit sync ${this.describe(offsets)} generation ${identity.generation}`);
    /** An earlier attempt went unanswered or unconfirmed: it may still be stored, so a later refusal proves nothing. */
    let maybeStored = false;
    let kept = false;
    const attempt = (): void => {
      if (this.now >= deadline) {
        return done({ type: "info", error: `TimeoutException: commit not completed within default.api.timeout.ms (${this.settings.defaultApiTimeoutMs} ms)` });
      }
      const again = (): void => this.node.timer(Math.max(1, this.settings.retryBackoffMs), attempt);
      this.link.ensure((found) => {
        if (!found) return again();
        this.send(offsets, identity, (response) => {
          if (response === null || response.kind !== "offset-commit-response") {
            maybeStored = true;
            if (!kept && this.context.bugs.has("sync-commit-retried-late") && this.late.length < maxLateCommits) {
              kept = true;
              this.trace(`keep timed-out commit ${this.describe(offsets)} to send again later (planted bug)`);
              this.late.push({ offsets, identity });
            }
            return again();
          }
          if (response.error === null) {
            done({ type: "ok" });
            this.resendLate();
            return;
          }
          if (retriable.has(response.error)) {
            if (!refusedBeforeWrite.has(response.error)) maybeStored = true;
            return again();
          }
          this.learn(response.error);
          done({ type: maybeStored ? "info" : "fail", error: `CommitFailedException: ${response.error}${maybeStored ? " (an earlier attempt went unanswered and may be stored)" : ""}` });
        });
      });
    };
    attempt();
  }

  /** The planted bug's late resend: an old commit lands over the newer one just acknowledged. */
  private resendLate(): void {
    const late = this.late;
    this.late = [];
    for (const commit of late) {
      this.link.ensure((found) => {
        if (!found) return;
        this.trace(`send kept commit ${this.describe(commit.offsets)} again (planted bug)`);
        this.send(commit.offsets, commit.identity, () => undefined);
      });
    }
  }

  commitAsync(offsets: readonly EngineOffset[], identity: CommitIdentity, done: (result: CommitResult) => void): void {
    if (offsets.length === 0) return done({ type: "ok" });
    if (identity.generation < 0) return done({ type: "fail", error: "CommitFailedException: the member is not part of an active generation (it must rejoin first)" });
    this.trace(`commit async ${this.describe(offsets)} generation ${identity.generation}`);
    this.link.ensure((found) => {
      if (!found) return done({ type: "fail", error: "RetriableCommitFailedException: COORDINATOR_NOT_AVAILABLE" });
      this.send(offsets, identity, (response) => {
        if (response === null || response.kind !== "offset-commit-response") return done({ type: "info", error: "TimeoutException: no answer to the commit within request.timeout.ms" });
        if (response.error === null) return done({ type: "ok" });
        this.learn(response.error);
        if (refusedBeforeWrite.has(response.error)) return done({ type: "fail", error: `${retriable.has(response.error) ? "RetriableCommitFailedException" : "CommitFailedException"}: ${response.error}` });
        done({ type: "info", error: `RetriableCommitFailedException: ${response.error} (the commit may be stored)` });
      });
    });
  }
}
