/**
 * The application thread of one group consumer session, as far as the harness plays it: it can be
 * frozen (a pause fault: it stops wherever it is, at its next step), and it ends (a crash or a clean
 * stop) with every wait it is in released, so kafkajs's eachBatch returns and its run loop can stop.
 */
export class AppThread {
  private frozen = false;
  private ended = false;
  private readonly waiters = new Set<() => void>();

  get isFrozen(): boolean {
    return this.frozen;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  freeze(): void {
    if (!this.ended) this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    this.wakeAll();
  }

  end(): void {
    this.ended = true;
    this.frozen = false;
    this.wakeAll();
  }

  /** Waits while frozen; true to go on, false once the session ended. */
  async gate(): Promise<boolean> {
    // Each turn waits for a thaw or an end, so two turns suffice; the bound is for the rule, not the logic.
    for (let turn = 0; turn < 1_000 && this.frozen && !this.ended; turn += 1) await this.wait(null);
    return !this.ended;
  }

  /** Sleeps `ms` (released early by the end), then passes the gate. */
  async sleep(ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    // A thaw wakes every wait: the sleep goes on until its time is up (bounded: each turn ends by the timer or a wake).
    for (let turn = 0; turn < 1_000 && !this.ended && performance.now() < deadline; turn += 1) await this.wait(Math.max(1, deadline - performance.now()));
    return this.gate();
  }

  /**
   * Resolves after `ms` (null: only when woken), on thaw or end, or when `wake` is called with the
   * returned handle's function: the building block of every wait of the session.
   */
  wait(ms: number | null, register?: (wake: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
      if (ms !== null) timer = setTimeout(wake, ms);
      register?.(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
