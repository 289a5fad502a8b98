/**
 * The extension point for the families still to come (transactions T*, consumer groups C*, log
 * management L*). An extension sees every event after the core state machine did, shares its state
 * (sends by payload, partitions, faults, the anomaly log), adds its anomalies at the end and says how
 * many records were promised each guarantee it judges and what its rule was applied to (a guarantee
 * holds only on evidence, as in the core); those guarantees then leave `not-checked`.
 */
import type { HistoryEvent } from "../history/event.js";
import type { GuaranteeId } from "../verdict.js";
import type { CheckerState } from "./state.js";

export interface ExtensionPromise {
  /** Records (or operations) under a configuration that promises the guarantee; 0 = not promised. */
  readonly promisedRecords: number;
  readonly reason: string;
  /** What the rule was applied to (count > 0), or why nothing could be: promised without evidence is inconclusive. */
  readonly evidence: { readonly count: number; readonly text: string };
}

export interface CheckerExtension {
  readonly guarantees: readonly GuaranteeId[];
  observe(event: HistoryEvent, invoke: HistoryEvent | undefined, state: CheckerState): void;
  finish(state: CheckerState): ReadonlyMap<GuaranteeId, ExtensionPromise>;
}
