import { assert } from "./assert.js";

/**
 * A binary min-heap of events ordered by (time, sequence). The sequence number breaks ties in
 * insertion order, so two events at the same simulated time always run in the same order.
 */
export interface QueuedEvent {
  readonly timeMs: number;
  readonly sequence: number;
  readonly action: () => void;
}

export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private nextSequence = 0;

  constructor(private readonly capacity: number) {
    assert(capacity > 0, "event queue capacity must be positive");
  }

  get size(): number {
    return this.heap.length;
  }

  push(timeMs: number, action: () => void): void {
    assert(Number.isFinite(timeMs), `event time ${timeMs} is not finite`);
    assert(this.heap.length < this.capacity, `event queue is full (${this.capacity} events): runaway scheduling`);
    const event: QueuedEvent = { timeMs, sequence: this.nextSequence++, action };
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(event, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  peekTime(): number {
    const top = this.heap[0];
    return top === undefined ? Infinity : top.timeMs;
  }

  pop(): QueuedEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let index = 0;
      const length = heap.length;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= length) break;
        const right = left + 1;
        let child = left;
        if (right < length && before(heap[right]!, heap[left]!)) child = right;
        if (!before(heap[child]!, last)) break;
        heap[index] = heap[child]!;
        index = child;
      }
      heap[index] = last;
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
}
