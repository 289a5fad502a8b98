/**
 * What the application does with the records one poll returned, by its commit mode (the study notes'
 * choices, model/history/event.ts CommitMode). Processing takes `processingMs`; `process` (invoke and
 * ok together) is recorded when it is done. The commit asks for the next offset after the last record.
 * - sync-after-processing: process, then commitSync and wait for it;
 * - sync-before-processing: commitSync and wait, then process only if the commit succeeded;
 * - async-after-processing: process, then commitAsync without waiting;
 * - auto: process, then let kafkajs commit when its interval says so (commitOffsetsIfNecessary, as
 *   kafkajs's documentation asks of eachBatch users; kafkajs also commits after every batch);
 * - none: process, never commit.
 * The application is frozen (pause) or ended (crash, stop) at each of its steps (app-thread.ts).
 * Returns whether it goes on with the rest of the batch: not after a commit the group refused for a
 * rebalance or a lost membership (kafkajs then rejoins).
 */
import type { CommitMode, ReadRecord } from "../../../model/index.js";
import { kafkajsErrorName } from "../errors.js";
import type { AppThread } from "./app-thread.js";
import type { CommitOutcome, Committer } from "./commits.js";
import { isMembershipError } from "./membership.js";

export interface ApplicationSteps {
  readonly mode: CommitMode;
  readonly thread: AppThread;
  readonly processingMs: number;
  readonly committer: Committer;
  readonly recordProcess: (records: readonly ReadRecord[]) => void;
  /** kafkajs's interval-gated commit of what was resolved (mode auto). */
  readonly autoCommit: () => Promise<void>;
  /** An error the member learned from (a membership error means it is out of the group). */
  readonly learned: (error: string) => void;
}

function nextOffsets(records: readonly ReadRecord[]): { topic: string; partition: number; offset: number }[] {
  const next = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const record of records) {
    const key = `${record.topic}\u0000${record.partition}`;
    const current = next.get(key);
    if (current === undefined || current.offset <= record.offset) next.set(key, { topic: record.topic, partition: record.partition, offset: record.offset + 1 });
  }
  return [...next.values()];
}

/** After a refused commit the member must rejoin before committing again. */
function goesOn(outcome: CommitOutcome): boolean {
  const error = outcome.error ?? "";
  return !(isMembershipError(error) || error === "REBALANCE_IN_PROGRESS");
}

async function processed(steps: ApplicationSteps, records: readonly ReadRecord[]): Promise<boolean> {
  if (!(await steps.thread.sleep(steps.processingMs))) return false;
  steps.recordProcess(records);
  return true;
}

export async function handlePolled(steps: ApplicationSteps, records: readonly ReadRecord[], identity: { generation: number; member: string }): Promise<boolean> {
  const { committer, thread } = steps;
  switch (steps.mode) {
    case "none":
      return processed(steps, records);
    case "sync-after-processing":
      if (!(await processed(steps, records)) || !(await thread.gate())) return false;
      return goesOn(await committer.commitSync(identity, nextOffsets(records)));
    case "sync-before-processing": {
      if (!(await thread.gate())) return false;
      const outcome = await committer.commitSync(identity, nextOffsets(records));
      if (outcome.type !== "ok") return goesOn(outcome);
      return processed(steps, records);
    }
    case "async-after-processing":
      if (!(await processed(steps, records)) || !(await thread.gate())) return false;
      committer.commitAsync(identity, nextOffsets(records));
      return true;
    case "auto":
      if (!(await processed(steps, records)) || !(await thread.gate())) return false;
      try {
        await steps.autoCommit();
        return true;
      } catch (error) {
        const name = kafkajsErrorName(error);
        steps.learned(name);
        return goesOn({ type: "fail", error: name });
      }
  }
}
