/**
 * Workload arbitraries: bursts of keyed sends from a few producers over a small key space (so that
 * per-key order is really exercised: many records share a key), interleaved with consumer polls and
 * fault episodes. Gaps are mostly a few ms (a burst keeps records in flight when a fault lands) and
 * sometimes long (so followers fall out of the ISR and elections happen between bursts).
 *
 * Faults are elements of the same list as sends and polls: shrinking removes them like any other
 * operation, and a fault stays between the same operations when others are removed.
 */
import fc from "fast-check";
import type { FaultEpisode } from "./faults.js";

export type WorkloadAction =
  | { readonly type: "send"; readonly producer: number; readonly key: number }
  | { readonly type: "poll"; readonly consumer: number }
  | { readonly type: "fault"; readonly episode: FaultEpisode };

export interface WorkloadOperation {
  readonly gapMs: number;
  readonly action: WorkloadAction;
}

export interface WorkloadOptions {
  readonly maxOperations: number;
  /** Keys are `k0`..`k<keys-1>`. */
  readonly keys: number;
  /** Consumers that may poll; 0 means sends only. */
  readonly consumers: number;
  /** Polls per 4 sends, on average (default 1); read-then-lost needs polls right after sends. */
  readonly pollWeight?: number;
  /** Fault episodes, when the schedule has any (see faults.ts). */
  readonly episode?: fc.Arbitrary<FaultEpisode> | null;
  /** Fault episodes per 4 sends, on average (default 1). */
  readonly faultWeight?: number;
}

export function operationArbitrary(options: WorkloadOptions): fc.Arbitrary<WorkloadOperation> {
  if (!(options.keys >= 1 && options.keys <= 1000)) throw new RangeError(`keys ${options.keys} is outside 1..1000`);
  const gapMs = fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.nat({ max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 1500 }) });
  const send: fc.Arbitrary<WorkloadAction> = fc.record({ type: fc.constant("send" as const), producer: fc.nat({ max: 15 }), key: fc.nat({ max: options.keys - 1 }) });
  const actions: fc.WeightedArbitrary<WorkloadAction>[] = [{ weight: 4, arbitrary: send }];
  if (options.consumers > 0) {
    actions.push({ weight: options.pollWeight ?? 1, arbitrary: fc.record({ type: fc.constant("poll" as const), consumer: fc.nat({ max: 15 }) }) });
  }
  if (options.episode !== undefined && options.episode !== null) {
    actions.push({ weight: options.faultWeight ?? 1, arbitrary: fc.record({ type: fc.constant("fault" as const), episode: options.episode }) });
  }
  // Sends come first: shrinking an action moves it toward a send, the simplest operation.
  return fc.record({ gapMs, action: fc.oneof({ withCrossShrink: true }, ...actions) });
}

export function workloadArbitrary(options: WorkloadOptions): fc.Arbitrary<WorkloadOperation[]> {
  if (!(options.maxOperations >= 1 && options.maxOperations <= 5000)) throw new RangeError(`maxOperations ${options.maxOperations} is outside 1..5000`);
  // minLength 0, not 1: fast-check's array shrinker keeps the first item and shrinks the rest with the
  // same bounds, so with minLength 1 the last operation could never be removed.
  // size "medium": fast-check's default ("small") draws at most ~10 operations, too few for faults to
  // land among in-flight sends; measured, medium finds every planted bug in far fewer scenarios.
  return fc.array(operationArbitrary(options), { minLength: 0, maxLength: options.maxOperations, size: "medium" });
}
