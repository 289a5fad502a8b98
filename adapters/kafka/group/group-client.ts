/**
 * One scenario group consumer across its sessions: the subscribe and poll steps, and the process
 * faults that name it (chaos/fault.ts):
 * - kill: a crash (group-session.ts: its connections die, no LeaveGroup; the coordinator notices when
 *   the session times out);
 * - restart: a new kafkajs consumer with the same configuration subscribes again (a new member);
 * - pause: the application and every connection freeze (a zombie once the session times out);
 * - resume: both thaw; the member acts on what it believed, and learns from the group's answers.
 * Steps due while the consumer is down or frozen are skipped (a dead or frozen process takes none).
 */
import type { ClientSpec } from "../../../chaos/scenario.js";
import type { Fault } from "../../../chaos/fault.js";
import type { GroupSettings } from "../client-config.js";
import { GroupSession, type GroupSessionOptions } from "./group-session.js";

export type ProcessFault = "kill" | "restart" | "pause" | "resume";

/** What a process fault did: applied, or why it had no effect. */
export interface ProcessFaultEffect {
  readonly applied: boolean;
  readonly effect: string;
}

export interface GroupClientOptions extends Omit<GroupSessionOptions, "id" | "settings" | "processingMs"> {
  readonly spec: ClientSpec;
  readonly settings: GroupSettings;
  /** Multiplies the client's processingMs, as the target's timeScale multiplies step times. */
  readonly timeScale: number;
}

export class GroupConsumerClient {
  private session: GroupSession | null = null;
  private topics: readonly string[] | null = null;
  private crashed = false;
  private paused = false;
  private sessions = 0;
  /** Steps skipped because the consumer was down or frozen, or its previous session's polls. */
  private skippedBefore = 0;
  /** Sessions that crashed or stopped: their kafkajs teardown is awaited at close. */
  private readonly ended: GroupSession[] = [];

  constructor(private readonly options: GroupClientOptions) {}

  get id(): string {
    return this.options.spec.id;
  }

  get settings(): GroupSettings {
    return this.options.settings;
  }

  get subscribedTopics(): readonly string[] {
    return this.topics ?? [];
  }

  /** Up and subscribed, with a session that is not frozen. */
  get live(): boolean {
    return this.session !== null && !this.crashed && !this.paused;
  }

  /** Sessions started so far (1 + restarts after a subscribe). */
  get sessionCount(): number {
    return this.sessions;
  }

  get busy(): boolean {
    return this.session?.busy ?? false;
  }

  get skippedSteps(): number {
    return this.skippedBefore + (this.session?.skippedPolls ?? 0);
  }

  get droppedBatches(): number {
    return this.ended.reduce((sum, session) => sum + session.dropped, 0) + (this.session?.dropped ?? 0);
  }

  subscribe(topics: readonly string[]): void {
    if (this.crashed || this.paused) {
      this.skippedBefore += 1;
      return;
    }
    if (this.session !== null) throw new Error(`step subscribe: ${this.id} already subscribed (a group consumer subscribes once; a restart subscribes again by itself)`);
    this.topics = [...topics];
    this.startSession();
  }

  poll(): void {
    if (this.session === null || this.crashed) {
      this.skippedBefore += 1;
      return;
    }
    this.session.poll();
  }

  apply(kind: ProcessFault): ProcessFaultEffect {
    switch (kind) {
      case "kill":
        if (this.crashed) return { applied: false, effect: "already down" };
        this.crashed = true;
        this.paused = false;
        this.endSession((session) => session.crash());
        return { applied: true, effect: "crashed: every connection destroyed, no LeaveGroup" };
      case "restart":
        if (!this.crashed) return { applied: false, effect: "already running" };
        this.crashed = false;
        if (this.topics !== null) this.startSession();
        return { applied: true, effect: this.topics === null ? "started (not subscribed yet)" : "a new consumer subscribes again" };
      case "pause":
        if (this.crashed || this.paused) return { applied: false, effect: "not running" };
        this.paused = true;
        this.session?.freeze();
        return { applied: true, effect: "frozen: the application and every connection" };
      case "resume":
        if (!this.paused) return { applied: false, effect: "not paused" };
        this.paused = false;
        this.session?.thaw();
        return { applied: true, effect: "thawed" };
    }
  }

  /** What brings the consumer back for the finale: thaw it, start it again. */
  finaleFaults(): Fault[] {
    if (this.paused) return [{ kind: "resume", node: this.id }];
    if (this.crashed) return [{ kind: "restart", node: this.id }];
    return [];
  }

  async settle(boundMs: number): Promise<void> {
    await this.session?.settle(boundMs);
  }

  /** A clean stop of the running session (revokes, leaves the group); then waits for every old session's teardown. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session !== null) {
      this.skippedBefore += session.skippedPolls;
      this.ended.push(session);
      await session.stop();
    }
    await Promise.all(this.ended.map((ended) => ended.finished()));
  }

  private startSession(): void {
    const { spec, settings, timeScale, ...shared } = this.options;
    this.sessions += 1;
    const session = new GroupSession({ ...shared, id: spec.id, settings, processingMs: (spec.processingMs ?? 0) * timeScale });
    this.session = session;
    const topics = this.topics ?? [];
    // After the current step returned: a restart's nemesis event completes before the new process subscribes.
    queueMicrotask(() => void session.subscribe(topics));
  }

  private endSession(end: (session: GroupSession) => void): void {
    const session = this.session;
    this.session = null;
    if (session === null) return;
    this.skippedBefore += session.skippedPolls;
    this.ended.push(session);
    end(session);
  }
}
