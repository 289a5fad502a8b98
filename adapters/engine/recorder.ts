/**
 * Records history events in the order they happen, with indices from 0 and times in ns from the
 * simulated clock. Keys are written in one fixed order and undefined fields are left out, so the
 * same run serialises to the same bytes.
 */
import type { EventType, HistoryEvent } from "../../model/history/event.js";

/** A generous bound: a scenario has at most 20k steps, each a handful of events, plus final reads. */
export const maxHistoryEvents = 2_000_000;

export class HistoryRecorder {
  private readonly recorded: HistoryEvent[] = [];
  private lastTime = 0;

  constructor(private readonly nowMs: () => number) {}

  get events(): readonly HistoryEvent[] {
    return this.recorded;
  }

  record(process: string, type: EventType, f: string, value?: unknown, error?: string): number {
    if (this.recorded.length >= maxHistoryEvents) throw new Error(`history exceeds ${maxHistoryEvents} events; the scenario is too large`);
    const time = Math.round(this.nowMs() * 1e6);
    // The simulated clock never goes back; a history with decreasing times would be a recorder bug.
    if (time < this.lastTime) throw new Error(`history time went back from ${this.lastTime} to ${time}`);
    this.lastTime = time;
    const index = this.recorded.length;
    const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = { index, time, process, type, f };
    if (value !== undefined) event.value = value;
    if (error !== undefined) event.error = error;
    this.recorded.push(event);
    return index;
  }
}
