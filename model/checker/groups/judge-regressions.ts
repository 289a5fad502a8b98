/**
 * Rank 17: C6 `offset-regression`. Per group and partition, the stored committed offset, in order: the
 * coordinator's `offset-committed` observations when the history has them for the group, else the
 * commits acknowledged ok, in the order of their answers. A step down is explained, or a violation:
 * - an asynchronous (or automatic) commit sent before the higher one and landing after it: the seed's
 *   1-2-3 example (000 §4.3.3), allowed and named: "commit of 2 (invoked at ..) completed after commit
 *   of 3 (invoked ..)"; or the application retrying its own failed asynchronous commit after a newer one;
 * - a new owner that legitimately resumed lower (after a truncation put the committed offset out of
 *   range, or from a lower commit that may still have landed) commits from where it resumed: that is
 *   no commit going backwards (when the lower commit it resumed from was a synchronous one sent before
 *   the higher, that commit landing late is the regression, and it is a violation);
 * - a lost coordinator state (a power loss; doubts.ts);
 * and, without the coordinator's view, no step is judged between two members' commits whose order of
 * storing is unknown (the lower one sent before the higher one's answer);
 * otherwise a violation, under every commit mode: sync commits promise no regression, and an
 * asynchronous one may only be overtaken by its own later commits. A refused commit that took effect,
 * a zombie's commit and a wrong resume were reported before as the root cause (ranks 13, 16): the
 * regression they cause is implied by them.
 */
import type { Window } from "../explain.js";
import { formatTime } from "../fault-timeline.js";
import { coordinatorStateLoss } from "./doubts.js";
import type { CommitOp, GroupFacts } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";

interface Step {
  readonly value: number;
  readonly commit: CommitOp | null;
  /** When it became the stored offset (stored, or acknowledged). */
  readonly time: number;
  readonly events: readonly number[];
  readonly subjects: readonly string[];
}

function stepsOf(facts: GroupFacts, partitionId: number): Step[] {
  if (facts.stored.length > 0) {
    return (facts.storedByPartition.get(partitionId) ?? []).map((stored) => ({
      value: stored.offset,
      commit: stored.commit,
      time: stored.time,
      events: [stored.index, ...(stored.commit?.events ?? [])],
      subjects: [`stored@${stored.index}`, ...(stored.commit === null ? [] : [stored.commit.subject])],
    }));
  }
  return (facts.commitsByPartition.get(partitionId) ?? [])
    .filter((commit) => commit.outcome === "ok")
    .sort((left, right) => left.completionIndex - right.completionIndex)
    .map((commit) => ({ value: commit.offsets.get(partitionId) as number, commit, time: commit.completionTime, events: commit.events, subjects: [commit.subject] }));
}

const asynchronous = (commit: CommitOp): boolean => commit.value.mode === "async" || commit.value.mode === "auto";

function sentWords(commit: CommitOp): string {
  return commit.invokeIndex >= 0 ? `invoked at t=${formatTime(commit.invokeTime)}` : "sent before its answer";
}

/** The same member's asynchronous commit, sent before the higher one, landing after it. */
function reordered(lower: CommitOp, higher: CommitOp | null, partitionId: number, stored: boolean): string | null {
  if (higher === null || lower.process !== higher.process || !asynchronous(lower) || lower.invokeIndex < 0 || higher.invokeIndex < 0 || lower.invokeTime >= higher.invokeTime) return null;
  const landed = stored ? "was stored after" : "completed after";
  return `${lower.value.mode} commit of ${lower.offsets.get(partitionId)} (${sentWords(lower)}) ${landed} commit of ${higher.offsets.get(partitionId)} (${sentWords(higher)})`;
}

/**
 * The application's variant of the same example: the lower commit repeats the offset of one of the
 * member's own asynchronous commits that failed (or went unanswered) and was sent before the higher
 * one: a retry from the commit's callback, landing after the newer commit.
 */
function retriedLate(lower: CommitOp, higher: CommitOp | null, partitionId: number, commits: readonly CommitOp[]): string | null {
  if (higher === null || lower.process !== higher.process || !asynchronous(lower) || lower.invokeIndex < 0 || higher.invokeIndex < 0) return null;
  const offset = lower.offsets.get(partitionId);
  const failed = commits.find(
    (earlier) =>
      earlier !== lower &&
      earlier.process === lower.process &&
      asynchronous(earlier) &&
      earlier.outcome !== "ok" &&
      earlier.invokeIndex >= 0 &&
      earlier.invokeTime < higher.invokeTime &&
      earlier.completionTime <= lower.invokeTime &&
      earlier.offsets.get(partitionId) === offset,
  );
  if (failed === undefined) return null;
  return `${lower.value.mode} commit of ${offset} (${sentWords(lower)}) retried the commit of ${offset} that ended ${failed.outcome} (${sentWords(failed)}), after the commit of ${higher.offsets.get(partitionId)} (${sentWords(higher)})`;
}

export function judgeRegressions(groups: GroupJudging): void {
  const model = groups.model;
  const state = model.state;
  for (const facts of model.groups.values()) {
    const allSync = [...facts.modes()].every((mode) => mode.startsWith("sync"));
    const observed = facts.stored.length > 0;
    const partitions = new Set([...facts.storedByPartition.keys(), ...facts.commitsByPartition.keys()]);
    for (const partitionId of partitions) {
      const steps = stepsOf(facts, partitionId);
      for (let position = 1; position < steps.length; position++) {
        const previous = steps[position - 1] as Step;
        const current = steps[position] as Step;
        const sync = current.commit === null ? allSync : current.commit.value.mode === "sync";
        if (sync) groups.evidence.offsetStepsSync++;
        else groups.evidence.offsetStepsOther++;
        if (current.value >= previous.value) continue;
        const commit = current.commit;
        // Answers of different members come on different connections: without the coordinator's view,
        // a commit sent before the other's answer may have been stored first. Order is certain only
        // for one member's commits (one connection, answered in order) or a commit sent after the answer.
        if (!observed && commit !== null && previous.commit !== null && commit.process !== previous.commit.process && commit.sentBy < previous.commit.completionTime) {
          continue;
        }
        const span = commit?.spans.get(partitionId);
        const subjects = [...current.subjects, ...previous.subjects, ...(span === undefined ? [] : [span.resume, span.owned, ...(groups.resumeBySpan.get(span)?.basis ?? [])])];
        const events = [...previous.events, ...current.events];
        let allowed = false;
        let explanation = "";
        const order = commit === null ? null : (reordered(commit, previous.commit, partitionId, observed) ?? retriedLate(commit, previous.commit, partitionId, facts.commits));
        const resume = span === undefined ? undefined : groups.resumeBySpan.get(span);
        if (order !== null) {
          allowed = true;
          explanation = order;
        } else if (span !== undefined && resume !== undefined && resume.status === "accepted" && span.startTime > previous.time && span.firstOffset <= current.value) {
          // A new owner's commits start where it resumed; which commit that was decides.
          const basis = resume.candidates.find((candidate) => candidate.value <= span.firstOffset && candidate.value < previous.value);
          const late = basis?.commit ?? null;
          const lateOrder = late === null ? null : reordered(late, previous.commit, partitionId, observed);
          if (basis === undefined || late === null) {
            allowed = true;
            explanation = `${span.member.process} took ${model.partitionName(partitionId)} at t=${formatTime(span.startTime)} and resumed at ${span.firstOffset} (${resume.explanation === "" ? resume.message : resume.explanation}): a new owner's commits start where it resumed`;
          } else if (lateOrder !== null) {
            allowed = true;
            explanation = `${span.member.process} resumed from ${late.offsets.get(partitionId)}: ${lateOrder}`;
          } else {
            subjects.push(late.subject);
            events.push(...late.events);
            explanation = `${span.member.process} resumed at ${span.firstOffset}, from ${late.process}'s ${late.value.mode} commit of ${late.offsets.get(partitionId)} (${late.outcome}, ${sentWords(late)}), which took effect after the commit of ${previous.value}`;
          }
        }
        if (!allowed) {
          const window: Window = { after: previous.time, before: current.time };
          const doubt = coordinatorStateLoss(state, window);
          if (doubt.explained) {
            allowed = true;
            explanation = doubt.text;
          } else if (explanation === "") explanation = sync ? "synchronous commits never move the committed offset backwards" : "an asynchronous commit may only be overtaken by the same member's later commits";
        }
        const by = commit === null ? "an unattributed store" : `${commit.process}'s ${commit.value.mode} commit`;
        groups.emit(
          {
            kind: "offset-regression",
            guarantee: "C6",
            message: `the committed offset of ${model.partitionName(partitionId)} for group '${facts.group}' went from ${previous.value} back to ${current.value} (${by}, at t=${formatTime(current.time)})`,
            records: [groups.recordAt(partitionId, current.value)],
            events,
            allowed,
            explanation,
            configuration: `group.id=${facts.group}, ${commit === null ? "commit unattributed" : `${commit.value.mode} commit`}`,
          },
          subjects,
        );
      }
    }
  }
}
