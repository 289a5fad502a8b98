/**
 * The trace: significant events as stable text lines plus a rolling hash over every line (also the
 * ones past the kept-lines bound), so determinism can be proven by comparing hashes of two runs.
 */
export class Trace {
  private readonly lines: string[] = [];
  private hashLow = 0x811c9dc5;
  private hashHigh = 0x01000193;
  private lineCount = 0;
  private readonly counters = new Map<string, number>();

  constructor(private readonly maxLines: number) {}

  record(timeMs: number, node: string, text: string): void {
    const line = `${formatTime(timeMs)} ${node} ${text}`;
    this.lineCount++;
    let low = this.hashLow;
    let high = this.hashHigh;
    for (let index = 0; index < line.length; index++) {
      const code = line.charCodeAt(index);
      low = Math.imul(low ^ code, 0x01000193) >>> 0;
      high = Math.imul(high ^ code ^ (low >>> 7), 0x5bd1e995) >>> 0;
    }
    this.hashLow = Math.imul(low ^ 10, 0x01000193) >>> 0;
    this.hashHigh = high;
    if (this.lines.length < this.maxLines) this.lines.push(line);
  }

  /** Counts a frequent, unremarkable event (message deliveries) without a line of its own. */
  count(kind: string): void {
    this.counters.set(kind, (this.counters.get(kind) ?? 0) + 1);
  }

  get hash(): string {
    return this.hashHigh.toString(16).padStart(8, "0") + this.hashLow.toString(16).padStart(8, "0");
  }

  text(): string {
    const summary = [...this.counters.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([kind, count]) => `${kind}=${count}`);
    const omitted = this.lineCount - this.lines.length;
    return [
      ...this.lines,
      ...(omitted > 0 ? [`... ${omitted} more lines (in the hash)`] : []),
      `counts ${summary.join(" ")}`,
      `lines ${this.lineCount} hash ${this.hash}`,
    ].join("\n");
  }
}

function formatTime(timeMs: number): string {
  // Microsecond resolution keeps the text stable while latencies are fractional.
  return (Math.round(timeMs * 1000) / 1000).toFixed(3);
}
