/**
 * checkHistory: validate (unless the reader already did), run the state machine over every event,
 * then the end-of-history judgements, and build the verdict.
 */
import type { History } from "../history/event.js";
import type { Verdict } from "../verdict.js";
import { pairOperations } from "../history/operations.js";
import { validateHistory } from "../history/validate.js";
import { CheckerState } from "./state.js";
import { judgeAcknowledgements, judgeConsumerOrder, judgeDuplicates, judgeLosses, judgeOffsets, judgeSendOrder, type LossCounts } from "./judge.js";
import { buildVerdict } from "./verdict-builder.js";
import type { CheckerExtension, ExtensionPromise } from "./extension.js";
import type { GuaranteeId } from "../verdict.js";

export interface CheckOptions {
  /** Named in bad-input errors; `<memory>` by default. */
  readonly file?: string;
  /** Checkers for the T*, C* and L* families (see extension.ts). */
  readonly extensions?: readonly CheckerExtension[];
}

export function checkHistory(history: History, options: CheckOptions = {}): Verdict {
  const file = options.file ?? "<memory>";
  validateHistory(history, file);
  const pairing = pairOperations(history, file);
  const state = new CheckerState(history, file, pairing);
  const extensions = options.extensions ?? [];
  const events = history.events;
  const invokeOf = pairing.invokeOf;
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (event === undefined) throw new Error(`event ${index} missing after validation`);
    const invokeIndex = invokeOf[index] as number;
    state.observe(event, invokeIndex);
    if (extensions.length === 0) continue;
    // Only extensions get the invocation event: loading it costs a cache miss per completion.
    const invoke = invokeIndex >= 0 ? events[invokeIndex] : undefined;
    for (const extension of extensions) extension.observe(event, invoke, state);
  }
  const losses: LossCounts = { written: 0, lost: 0, unseen: 0, readThenLost: 0, duplicated: 0, phantomReads: 0, belowLogStart: 0 };
  judgeLosses(state, losses);
  judgeDuplicates(state, losses);
  judgeAcknowledgements(state);
  judgeOffsets(state, losses);
  judgeSendOrder(state);
  judgeConsumerOrder(state, losses);
  const extended = new Map<GuaranteeId, ExtensionPromise>();
  for (const extension of extensions) {
    for (const [id, promise] of extension.finish(state)) {
      if (!extension.guarantees.includes(id)) throw new Error(`an extension reported ${id}, which it does not declare`);
      extended.set(id, promise);
    }
  }
  return buildVerdict(state, losses, extended);
}
