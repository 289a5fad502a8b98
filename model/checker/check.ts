/**
 * checkHistory: validate (unless the reader already did), run the state machine over every event,
 * then the end-of-history judgements in rank order, and build the verdict.
 */
import type { History } from "../history/event.js";
import type { Verdict } from "../verdict.js";
import { pairOperations } from "../history/operations.js";
import { validateHistory } from "../history/validate.js";
import { CheckerState } from "./state.js";
import { Judging } from "./judging.js";
import { judgeClientDefects } from "./judge-client-defects.js";
import { judgeIdentity } from "./judge-identity.js";
import { judgeLosses } from "./judge-losses.js";
import { judgeRecords } from "./judge-records.js";
import { judgeConsumerOrder, judgeSendOrder } from "./judge-order.js";
import { buildVerdict } from "./verdict-builder.js";
import { judgeGroups } from "./groups/judge-groups.js";
import { judgeTransactions } from "./transactions/judge-transactions.js";
import type { CheckerExtension, ExtensionPromise } from "./extension.js";
import type { GuaranteeId } from "../verdict.js";

export interface CheckOptions {
  /** Named in bad-input errors; `<memory>` by default. */
  readonly file?: string;
  /** Checkers for the families still to come (T5, L*; see extension.ts). */
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
  state.faults.finish();
  // In rank order (root-causes.ts): causes before consequences, so one root cause is reported once.
  const judging = new Judging(state);
  judgeClientDefects(judging);
  judgeIdentity(judging);
  judgeLosses(judging);
  judgeRecords(judging);
  judgeSendOrder(judging);
  judgeConsumerOrder(judging);
  judging.groups = judgeGroups(judging);
  judging.transactions = judgeTransactions(judging);
  const extended = new Map<GuaranteeId, ExtensionPromise>();
  for (const extension of extensions) {
    for (const [id, promise] of extension.finish(state)) {
      if (!extension.guarantees.includes(id)) throw new Error(`an extension reported ${id}, which it does not declare`);
      extended.set(id, promise);
    }
  }
  return buildVerdict(judging, extended);
}
