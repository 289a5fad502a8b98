/** Wall-clock time since the run started, in nanoseconds (history time on the Kafka target). */
export interface RunClock {
  nowNs(): number;
  nowMs(): number;
}

export function startRunClock(): RunClock {
  const start = process.hrtime.bigint();
  const nowNs = (): number => Number(process.hrtime.bigint() - start);
  return { nowNs, nowMs: () => nowNs() / 1e6 };
}
