import { assert } from "./assert.js";
import { EventQueue } from "./event-queue.js";

/** The simulated clock and the one event queue every node, link and client shares. */
export class Scheduler {
  private currentMs = 0;
  private readonly queue: EventQueue;
  /** Events run so far: the cost measure of a simulation (simulated time itself is free). */
  eventsRun = 0;

  constructor(queueCapacity: number) {
    this.queue = new EventQueue(queueCapacity);
  }

  get nowMs(): number {
    return this.currentMs;
  }

  get pending(): number {
    return this.queue.size;
  }

  at(timeMs: number, action: () => void): void {
    assert(timeMs >= this.currentMs, `cannot schedule in the past: ${timeMs} < ${this.currentMs}`);
    this.queue.push(timeMs, action);
  }

  after(delayMs: number, action: () => void): void {
    assert(delayMs >= 0, `negative delay ${delayMs}`);
    this.queue.push(this.currentMs + delayMs, action);
  }

  /** Runs one event if its time is at most `limitMs`; returns false when there is none. */
  step(limitMs: number): boolean {
    if (this.queue.size === 0 || this.queue.peekTime() > limitMs) return false;
    const event = this.queue.pop()!;
    assert(event.timeMs >= this.currentMs, "simulated time went backwards");
    this.currentMs = event.timeMs;
    this.eventsRun++;
    event.action();
    return true;
  }

  /** Moves the clock forward with no event (time passes even when nothing happens). */
  advanceTo(timeMs: number): void {
    if (timeMs > this.currentMs) {
      assert(this.queue.peekTime() >= timeMs, "advancing the clock over a queued event");
      this.currentMs = timeMs;
    }
  }
}
