import { assert } from "../simulation/assert.js";
import type { Scheduler } from "../simulation/scheduler.js";

export type NodeStatus = "running" | "paused" | "down";

/** Work a paused node owes: held until resume, like a process stopped with SIGSTOP. */
const maxDeferredWork = 1_000_000;

/**
 * A simulated process. Its timers and incoming messages are tied to its incarnation: a crash bumps
 * the incarnation so everything the old process scheduled or was sent silently disappears. A paused
 * node keeps its memory, and its timers and messages wait for resume (it then acts on stale beliefs).
 */
export class SimulatedNode {
  status: NodeStatus = "running";
  incarnation = 0;
  private deferred: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly index: number,
    private readonly scheduler: Scheduler,
  ) {}

  get running(): boolean {
    return this.status === "running";
  }

  /** Runs `action` after `delayMs` of simulated time if this incarnation is still alive. */
  timer(delayMs: number, action: () => void): void {
    const incarnation = this.incarnation;
    this.scheduler.after(delayMs, () => this.run(incarnation, action));
  }

  /** Runs `action` now-ish on behalf of this node: held while paused, dropped once the node died. */
  run(incarnation: number, action: () => void): void {
    if (incarnation !== this.incarnation || this.status === "down") return;
    if (this.status === "paused") {
      assert(this.deferred.length < maxDeferredWork, `${this.name}: too much work deferred while paused`);
      this.deferred.push(action);
      return;
    }
    action();
  }

  crash(): void {
    this.status = "down";
    this.incarnation++;
    this.deferred = [];
  }

  start(): void {
    assert(this.status === "down", `${this.name}: start while ${this.status}`);
    this.status = "running";
    this.incarnation++;
  }

  pause(): void {
    if (this.status === "running") this.status = "paused";
  }

  resume(): void {
    if (this.status !== "paused") return;
    this.status = "running";
    const work = this.deferred;
    this.deferred = [];
    const incarnation = this.incarnation;
    // Held work runs in its original order, each as its own event, after whatever runs now.
    for (const action of work) this.scheduler.after(0, () => this.run(incarnation, action));
  }
}
