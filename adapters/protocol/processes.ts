/**
 * What every target shares around a scenario's clients: the harness's own process names (the model's,
 * so a history and its checker agree) and the final reader, which reads every partition from its
 * start after the cluster healed, with one configuration on every target.
 */
import type { ConfigMap } from "../../model/index.js";
import { finalCommittedReaderProcess, finalReaderProcess, nemesisProcess, observerProcess } from "../../model/index.js";

export { finalCommittedReaderProcess, finalReaderProcess, nemesisProcess, observerProcess };

/** Process ids the harness uses itself: no scenario client may take one. */
export const harnessProcesses: readonly string[] = [nemesisProcess, observerProcess, finalReaderProcess, finalCommittedReaderProcess];

/** The final reader: everything appended, from the earliest offset, nothing committed. */
export const finalReaderConfig: ConfigMap = { "isolation.level": "read_uncommitted", "enable.auto.commit": false, "auto.offset.reset": "earliest" };

/** The finale's second reader when the scenario has transactional producers: committed data only (T rules). */
export const finalCommittedReaderConfig: ConfigMap = { "isolation.level": "read_committed", "enable.auto.commit": false, "auto.offset.reset": "earliest" };
