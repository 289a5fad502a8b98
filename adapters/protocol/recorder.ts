/**
 * The one history recorder of every target: every invoke gets exactly one completion, in the order the
 * completions really happened; times come from the target's clock (simulated on the engine, wall on
 * Kafka) and never go back. Operations still open when the run ends are completed as `info` (the
 * client was abandoned: nothing is known about them). Fields are written in one fixed order, so the
 * same run serialises to the same bytes.
 */
import type { EventType, HistoryEvent } from "../../model/index.js";

/** Nanoseconds since the run started. */
export interface RecorderClock {
  nowNs(): number;
}

/** A bound on the history's length: a run that exceeds it is a runaway loop, not a workload. */
export const maximumEvents = 2_000_000;

export interface OpenOperation {
  readonly process: string;
  readonly f: string;
  readonly invokeIndex: number;
  /** Completes the operation; a second completion is a bug in the adapter and throws. */
  complete(type: Exclude<EventType, "invoke">, value?: unknown, error?: string): void;
  readonly completed: boolean;
}

export class HistoryRecorder {
  private readonly recorded: HistoryEvent[] = [];
  private readonly open = new Set<OpenOperation & { markAbandoned(): void }>();
  private closed = false;
  private lastTime = 0;

  constructor(private readonly clock: RecorderClock) {}

  get events(): readonly HistoryEvent[] {
    return this.recorded;
  }

  get openOperations(): number {
    return this.open.size;
  }

  private append(process: string, type: EventType, f: string, value: unknown, error: string | undefined): number {
    if (this.closed) throw new Error(`history is closed; cannot record ${type} ${f} for ${process}`);
    if (this.recorded.length >= maximumEvents) throw new Error(`history exceeds ${maximumEvents} events`);
    const index = this.recorded.length;
    const time = this.clock.nowNs();
    // A history whose time goes back is a recorder bug, never the clients' doing.
    if (time < this.lastTime) throw new Error(`history time went back from ${this.lastTime} to ${time}`);
    this.lastTime = time;
    const event: HistoryEvent = {
      index,
      time,
      process,
      type,
      f,
      ...(value === undefined ? {} : { value }),
      ...(error === undefined ? {} : { error }),
    };
    this.recorded.push(event);
    return index;
  }

  invoke(process: string, f: string, value?: unknown): OpenOperation {
    const invokeIndex = this.append(process, "invoke", f, value, undefined);
    let completed = false;
    let abandoned = false;
    const operation: OpenOperation & { markAbandoned(): void } = {
      markAbandoned: () => {
        abandoned = true;
      },
      process,
      f,
      invokeIndex,
      get completed() {
        return completed;
      },
      complete: (type, completionValue, error) => {
        // A client settling an operation the run already abandoned (recorded as info): drop it.
        if (abandoned) return;
        if (completed) throw new Error(`operation ${f} of ${process} (event ${invokeIndex}) completed twice`);
        completed = true;
        this.open.delete(operation);
        this.append(process, type, f, completionValue, error);
      },
    };
    this.open.add(operation);
    return operation;
  }

  /** A single event with no invoke (observations). */
  note(process: string, type: Exclude<EventType, "invoke">, f: string, value?: unknown, error?: string): void {
    this.append(process, type, f, value, error);
  }

  /** Complete every open operation of `process` (or of every process) as info. */
  abandon(error: string, process?: string): number {
    let count = 0;
    for (const operation of [...this.open]) {
      if (process !== undefined && operation.process !== process) continue;
      const value = this.recorded[operation.invokeIndex]?.value;
      operation.complete("info", value, error);
      operation.markAbandoned();
      count += 1;
    }
    return count;
  }

  /** Abandon what is open and refuse further events. */
  close(): readonly HistoryEvent[] {
    this.abandon("ABANDONED_AT_END_OF_RUN");
    this.closed = true;
    return this.recorded;
  }
}
