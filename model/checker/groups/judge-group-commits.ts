/**
 * The coordinator's and the committers' defects, judged first among the group rules because the rest
 * follows from them (root-causes.ts ranks):
 * - C7 `cross-group-interference`: a member resumed where only another group's commit points, or the
 *   coordinator stored one group's commit as another group's offset (offsets are kept per group).
 * - C3 `stale-commit-accepted`: a commit acknowledged ok (or stored) with generation g although some
 *   member of the group had already seen a generation above g before the commit was sent (its
 *   `assigned` call, or the coordinator's own generation event): generations only grow, so the
 *   coordinator's was above g and it must have refused the commit (ILLEGAL_GENERATION). A zombie's
 *   commit, reported once; what it caused (a regression, skipped or repeated records) is implied.
 * - C3 `commit-not-next-offset`: a committed offset is the next offset to read, so a member never
 *   commits an offset at or below a record it had already processed in the same ownership span (an
 *   async commit repeating the offsets of one of its own that failed is a retry: judged by C6).
 * - C6 `failed-commit-applied`: an offset stored, or resumed from, that only a commit refused (`fail`)
 *   asked for: a failed commit must not take effect.
 * Generation -1 commits (outside a generation), and commits of KIP-848 members (`group.protocol=consumer`,
 * fenced by their own member epoch), are not judged for staleness.
 */
import { formatTime } from "../fault-timeline.js";
import { coordinatorStateLoss } from "./doubts.js";
import type { CommitOp, StoredOffset } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";

function storedSubject(stored: StoredOffset): string {
  return `stored@${stored.index}`;
}

function commitWords(commit: CommitOp): string {
  const offsets = [...commit.offsets.values()].join(", ");
  return `${commit.process}'s ${commit.value.mode} commit of ${offsets} (generation ${commit.value.generation}, invoked ${commit.invokeIndex >= 0 ? `at t=${formatTime(commit.invokeTime)}` : "before its answer"})`;
}

/** Rank 12: C7. */
export function judgeCrossGroup(groups: GroupJudging): void {
  const model = groups.model;
  const groupsByPartition = new Map<number, Set<string>>();
  for (const facts of model.groups.values()) {
    const touched = new Set([...facts.spansByPartition.keys(), ...facts.commitsByPartition.keys()]);
    for (const partitionId of touched) {
      let set = groupsByPartition.get(partitionId);
      if (set === undefined) groupsByPartition.set(partitionId, (set = new Set()));
      set.add(facts.group);
    }
  }
  const shared = (partitionId: number): boolean => (groupsByPartition.get(partitionId)?.size ?? 0) > 1;
  const sharing = new Set<string>();
  for (const set of groupsByPartition.values()) if (set.size > 1) for (const group of set) sharing.add(group);
  groups.evidence.sharingGroups = sharing.size;
  for (const resume of groups.resumes) {
    if (shared(resume.span.partitionId)) groups.evidence.crossGroupChecks++;
    if (resume.status !== "cross-group") continue;
    const culprit = resume.culprit;
    const culpritSubject = culprit === null ? [] : "commit" in culprit ? [storedSubject(culprit)] : [culprit.subject];
    groups.emit(
      {
        kind: "cross-group-interference",
        guarantee: "C7",
        message: resume.message,
        records: [groups.recordAt(resume.span.partitionId, resume.span.firstOffset, resume.span.firstPayload)],
        events: resume.events,
        allowed: false,
        explanation: "committed offsets are kept per group: one group's commits never move another's",
        configuration: `group.id=${resume.span.member.group}`,
      },
      [resume.span.resume, ...culpritSubject],
    );
  }
  for (const facts of model.groups.values()) {
    for (const stored of facts.stored) {
      if (shared(stored.partitionId)) groups.evidence.crossGroupChecks++;
      const commit = stored.commit;
      if (commit === null || commit.value.group === facts.group) continue;
      groups.emit(
        {
          kind: "cross-group-interference",
          guarantee: "C7",
          message: `the coordinator stored offset ${stored.offset} of ${model.partitionName(stored.partitionId)} for group '${facts.group}' from ${commitWords(commit)} for group '${commit.value.group}'`,
          records: [groups.recordAt(stored.partitionId, stored.offset)],
          events: [stored.index, ...commit.events],
          allowed: false,
          explanation: "committed offsets are kept per group: one group's commits never move another's",
          configuration: `group.id=${facts.group}`,
        },
        [storedSubject(stored), commit.subject],
      );
    }
  }
}

/** Rank 13: stale commits accepted, commits behind what was processed, failed commits that took effect. */
export function judgeCommitDefects(groups: GroupJudging): void {
  const model = groups.model;
  const state = model.state;
  for (const facts of model.groups.values()) {
    const reportedStale = new Set<CommitOp>();
    /** Offsets of async commits that failed or went unanswered, by process: a later equal commit is their retry. */
    const unsettledAsync = new Map<string, Set<string>>();
    for (const commit of facts.commits) {
      if (commit.invokeIndex < 0) continue;
      const retried = unsettledAsync.get(commit.process) ?? new Set<string>();
      const isRetryOf = (partitionId: number, offset: number): boolean => commit.value.mode === "async" && retried.has(`${partitionId}:${offset}`);
      if (commit.value.mode === "async" && commit.outcome !== "ok") {
        for (const [partitionId, offset] of commit.offsets) retried.add(`${partitionId}:${offset}`);
        unsettledAsync.set(commit.process, retried);
      }
      groups.evidence.commitsChecked++;
      const generation = commit.value.generation;
      const classic = model.state.groups?.memberOf(commit.process)?.classic !== false;
      if (commit.outcome === "ok" && generation >= 0 && classic) {
        const mark = facts.highestGenerationBefore(commit.invokeTime);
        if (mark !== null && mark.generation > generation) {
          const doubt = coordinatorStateLoss(state, { after: mark.time, before: commit.completionTime });
          reportedStale.add(commit);
          groups.emit(
            {
              kind: "stale-commit-accepted",
              guarantee: "C3",
              message: `${commitWords(commit)} was acknowledged, but group '${facts.group}' had reached generation ${mark.generation} at t=${formatTime(mark.time)}, before it was sent: the coordinator must refuse it (ILLEGAL_GENERATION)`,
              records: groups.commitRecords(commit),
              events: [mark.index, ...commit.events],
              allowed: doubt.explained,
              explanation: doubt.explained ? doubt.text : "generations only grow: a commit of an ended generation is a zombie's",
              configuration: `group.id=${facts.group}`,
            },
            [commit.subject],
          );
        }
      }
      for (const [partitionId, offset] of commit.offsets) {
        const span = commit.spans.get(partitionId);
        if (span === undefined || span.startTime >= commit.invokeTime) continue;
        const processed = span.maxProcessedBefore(commit.invokeTime);
        if (processed < offset) continue;
        // The application retrying a failed async commit with its old offsets (the 1-2-3 example) asks
        // for the offset it was right to ask for then: what the retry does is C6's (a regression), not C3's.
        if (isRetryOf(partitionId, offset)) continue;
        groups.emit(
          {
            kind: "commit-not-next-offset",
            guarantee: "C3",
            message: `${commitWords(commit)} committed offset ${offset} of ${model.partitionName(partitionId)} after processing offset ${processed}: the committed offset is the next offset to read (${processed + 1} or above)`,
            records: [groups.recordAt(partitionId, offset)],
            events: [span.startIndex, ...commit.events],
            allowed: false,
            explanation: "the next owner resumes at the committed offset and reads the processed record again",
            configuration: `group.id=${facts.group}, commitMode=${span.member.commitMode}`,
          },
          [commit.subject],
        );
        break;
      }
    }
    for (const stored of facts.stored) {
      const commit = stored.commit;
      if (commit !== null && commit.outcome === "fail") {
        groups.emit(
          {
            kind: "failed-commit-applied",
            guarantee: "C6",
            message: `the coordinator stored offset ${stored.offset} of ${model.partitionName(stored.partitionId)} for group '${facts.group}' from ${commitWords(commit)}, which was refused (${commit.error ?? "fail"})`,
            records: [groups.recordAt(stored.partitionId, stored.offset)],
            events: [stored.index, ...commit.events],
            allowed: false,
            explanation: "a failed commit must not take effect",
            configuration: `group.id=${facts.group}`,
          },
          [storedSubject(stored), commit.subject],
        );
      }
      if (stored.generation < 0 || (commit !== null && reportedStale.has(commit))) continue;
      const mark = facts.highestGenerationBefore(stored.time);
      if (mark === null || mark.generation <= stored.generation) continue;
      const doubt = coordinatorStateLoss(state, { after: mark.time, before: stored.time });
      groups.emit(
        {
          kind: "stale-commit-accepted",
          guarantee: "C3",
          message: `the coordinator stored offset ${stored.offset} of ${model.partitionName(stored.partitionId)} for group '${facts.group}' from generation ${stored.generation} (member ${stored.member}), after the group reached generation ${mark.generation} at t=${formatTime(mark.time)}`,
          records: [groups.recordAt(stored.partitionId, stored.offset)],
          events: [mark.index, stored.index, ...(commit?.events ?? [])],
          allowed: doubt.explained,
          explanation: doubt.explained ? doubt.text : "generations only grow: a commit of an ended generation is a zombie's",
          configuration: `group.id=${facts.group}`,
        },
        [storedSubject(stored), ...(commit === null ? [] : [commit.subject])],
      );
    }
  }
  for (const resume of groups.resumes) {
    if (resume.status !== "failed-commit" || resume.culprit === null || "commit" in resume.culprit) continue;
    groups.emit(
      {
        kind: "failed-commit-applied",
        guarantee: "C6",
        message: resume.message,
        records: [groups.recordAt(resume.span.partitionId, resume.span.firstOffset, resume.span.firstPayload)],
        events: resume.events,
        allowed: false,
        explanation: "a failed commit must not take effect",
        configuration: `group.id=${resume.span.member.group}`,
      },
      [resume.span.resume, resume.culprit.subject],
    );
  }
}
