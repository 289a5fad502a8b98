/**
 * Rank 18: what a group processed (C4, C5), per group and partition, by the group's commit mode (a
 * group whose members mix modes is not judged, and says so):
 * - range: from the group's first processed offset to its last completed processing, and to the end
 *   offset when the group drained (its last completed processing reached the final end offset). Only
 *   records of the final reads in that range are looked for; processing counts when it completed
 *   (`process` ok) for skips, and when it began for repeats.
 * - `skipped-record`: a record in range no member completed processing. Allowed when a new owner,
 *   without a committed offset, reset to `latest` above it. Otherwise: under the after-processing modes
 *   (sync and async: every commit covers processed records only, so a new owner resumes at or below
 *   the first unprocessed record) a C4 violation; under `auto` (C5) allowed only when a poll returned
 *   it to a member whose ownership then ended (crash, revoke, loss, close) before it processed it (its
 *   position may have been committed); under `sync-before-processing` and `none` allowed (C4 not
 *   promised that way).
 * - `duplicate-processing`: a record whose processing began twice in the group. Under
 *   `sync-before-processing` (at-most-once: processing only after its commit succeeded) a C4
 *   violation; under `auto` (C5) allowed only when the second processing came in a later ownership span
 *   that resumed, accepted by C3, at or below the record (processed after the last auto commit the new
 *   owner resumed from); under the after-processing modes and `none` allowed.
 * Every anomaly names the record, the commit that moved past it, and the spans involved, so a root
 * cause reported before (a wrong resume, a zombie's commit, two owners) implies it.
 */
import type { CommitMode } from "../../history/event.js";
import type { GuaranteeId } from "../../verdict.js";
import { formatTime } from "../fault-timeline.js";
import { coordinatorStateLoss } from "./doubts.js";
import type { GroupFacts, Processing, Span } from "./group-model.js";
import type { GroupJudging } from "./group-judging.js";

const atLeastOnceModes: ReadonlySet<CommitMode> = new Set(["sync-after-processing", "async-after-processing"]);

function spanWords(span: Span): string {
  const end = span.end === "history-end" ? "to the end" : `until ${span.end === "crashed" ? "it crashed" : span.end} at t=${formatTime(span.endTime)}`;
  return `${span.member.process} (from t=${formatTime(span.startTime)}, ${end})`;
}

/** Per offset: the spans whose polls returned it. */
function returnedBy(facts: GroupFacts, partitionId: number): Map<number, Span[]> {
  const map = new Map<number, Span[]>();
  for (const span of facts.spansByPartition.get(partitionId) ?? []) {
    for (const offset of span.returned) {
      const list = map.get(offset);
      if (list === undefined) map.set(offset, [span]);
      else if (!list.includes(span)) list.push(span);
    }
  }
  return map;
}

function judgePartition(groups: GroupJudging, facts: GroupFacts, mode: CommitMode, partitionId: number, processings: readonly Processing[]): void {
  const model = groups.model;
  const state = model.state;
  const name = model.partitionName(partitionId);
  const guarantee: GuaranteeId = mode === "auto" ? "C5" : "C4";
  const configuration = `group.id=${facts.group}, commitMode=${mode}`;
  const completed = new Map<number, Processing>();
  const began = new Map<number, Processing[]>();
  let first = Number.POSITIVE_INFINITY;
  let lastCompleted = -1;
  for (const processing of processings) {
    first = Math.min(first, processing.offset);
    const list = began.get(processing.offset);
    if (list === undefined) began.set(processing.offset, [processing]);
    else list.push(processing);
    if (processing.okIndex >= 0) {
      if (!completed.has(processing.offset)) completed.set(processing.offset, processing);
      lastCompleted = Math.max(lastCompleted, processing.offset);
    }
  }
  const returned = returnedBy(facts, partitionId);
  const spans = facts.spansByPartition.get(partitionId) ?? [];
  const endOffset = state.partitionOf(partitionId).endOffset;
  const drained = endOffset >= 0 && lastCompleted + 1 >= endOffset;
  const finalOffsets = model.finalOffsetsOf(partitionId);
  for (const offset of finalOffsets) {
    if (offset < first || (!drained && offset > lastCompleted)) continue;
    if (atLeastOnceModes.has(mode)) groups.evidence.atLeastOnceRecords++;
    if (mode === "auto") groups.evidence.autoCommitRecords++;
    if (completed.has(offset)) continue;
    const payload = model.finalPayloadAt(partitionId, offset);
    const reset = spans.find((span) => span.firstOffset > offset && groups.resumeBySpan.get(span)?.status === "accepted" && groups.resumeBySpan.get(span)?.candidates.length === 0 && span.member.autoOffsetReset === "latest");
    const jumper = spans.find((span) => span.firstOffset > offset);
    const readers = returned.get(offset) ?? [];
    const covering = (facts.commitsByPartition.get(partitionId) ?? []).find((commit) => commit.outcome !== "fail" && (commit.offsets.get(partitionId) as number) > offset);
    let allowed: boolean;
    let explanation: string;
    if (reset !== undefined) {
      allowed = true;
      explanation = `${reset.member.process} took ${name} with no committed offset and auto.offset.reset=latest: it started at ${reset.firstOffset}`;
    } else if (mode === "auto") {
      const ended = readers.find((span) => span.end !== "history-end" && !span.processed.has(offset));
      allowed = ended !== undefined;
      explanation = ended !== undefined ? `returned to ${spanWords(ended)}, whose ownership ended before it processed it: an automatic commit of its position may have covered it` : "auto commit skips only records returned to a member that lost them before processing them; no poll returned this one to such a member";
    } else if (atLeastOnceModes.has(mode)) {
      allowed = false;
      explanation = "commits after processing cover processed records only: a new owner resumes at the first unprocessed one";
    } else {
      allowed = true;
      explanation = mode === "none" ? "commitMode=none: every new owner follows auto.offset.reset" : "commit before processing: a crash between the commit and the processing skips the record (at-most-once)";
    }
    const story = [
      covering === undefined ? null : `${covering.process}'s commit of ${covering.offsets.get(partitionId)} (${covering.outcome}) moved past it`,
      jumper === undefined ? null : `${spanWords(jumper)} started at ${jumper.firstOffset}`,
      readers.length === 0 ? "no poll returned it to a member" : `returned to ${readers.map(spanWords).join(", ")}`,
    ].filter((part) => part !== null);
    const events = [...(covering?.events ?? []), ...(jumper === undefined ? [] : [jumper.startIndex, jumper.firstIndex]), ...readers.flatMap((span) => (span.endIndex >= 0 ? [span.endIndex] : []))];
    groups.emit(
      {
        kind: "skipped-record",
        guarantee,
        message: `group '${facts.group}' never processed offset ${offset} of ${name}${payload === null ? "" : ` ('${payload}')`}, between offsets it processed: ${story.join("; ")}`,
        records: [groups.recordAt(partitionId, offset, payload)],
        events: events.length > 0 ? events : [processings[0]?.invokeIndex ?? 0],
        allowed,
        explanation,
        configuration,
      },
      [
        ...(payload === null ? [] : [payload]),
        ...(covering === undefined ? [] : [covering.subject]),
        ...(jumper === undefined ? [] : [jumper.resume, ...(groups.resumeBySpan.get(jumper)?.basis ?? [])]),
        ...readers.map((span) => span.owned),
      ],
    );
  }
  for (const [offset, list] of began) {
    if (mode === "sync-before-processing") groups.evidence.atMostOnceRecords++;
    if (mode === "auto") groups.evidence.autoCommitRecords++;
    if (list.length < 2) continue;
    const earlier = list[0] as Processing;
    const again = list[1] as Processing;
    const payload = model.finalPayloadAt(partitionId, offset);
    const span = again.span;
    const resume = span === undefined ? undefined : groups.resumeBySpan.get(span);
    let allowed: boolean;
    let explanation: string;
    if (mode === "sync-before-processing") {
      const doubt = coordinatorStateLoss(state, { after: earlier.time, before: again.time });
      allowed = doubt.explained;
      explanation = doubt.explained ? doubt.text : "commit before processing: a record is processed only after its commit succeeded, so no owner reads it again (at-most-once)";
    } else if (mode === "auto") {
      allowed = span !== undefined && span !== earlier.span && resume?.status === "accepted" && span.firstOffset <= offset;
      explanation = allowed
        ? `processed again by ${span?.member.process} after it resumed at ${span?.firstOffset}: it was processed after the last automatic commit the new owner resumed from`
        : "auto commit repeats only records processed after the last commit a new owner resumed from; this one was processed twice without such a hand-over";
    } else {
      allowed = true;
      explanation = mode === "none" ? "commitMode=none: a new owner starts where auto.offset.reset says" : `processed again${span === undefined ? "" : ` by ${span.member.process} after it resumed at ${span.firstOffset}`}: commits follow processing (at-least-once)`;
    }
    const spanSubjects = [earlier.span, again.span].flatMap((entry) => (entry === undefined ? [] : [entry.owned]));
    groups.emit(
      {
        kind: "duplicate-processing",
        guarantee,
        message: `group '${facts.group}' processed offset ${offset} of ${name}${payload === null ? "" : ` ('${payload}')`} twice: by ${earlier.process} at t=${formatTime(earlier.time)} and by ${again.process} at t=${formatTime(again.time)}`,
        records: [groups.recordAt(partitionId, offset, payload)],
        events: [earlier.invokeIndex, again.invokeIndex, ...(span === undefined ? [] : [span.startIndex])],
        allowed,
        explanation,
        configuration,
      },
      [...(payload === null ? [] : [payload]), ...spanSubjects, ...(span === undefined ? [] : [span.resume, ...(resume?.basis ?? [])])],
    );
  }
}

export function judgeProcessing(groups: GroupJudging): void {
  for (const facts of groups.model.groups.values()) {
    const modes = [...facts.modes()] as CommitMode[];
    if (modes.length !== 1) {
      if (facts.processingByPartition.size > 0) groups.evidence.processingUnknown.push(`group '${facts.group}' mixes commit modes (${modes.join(", ")}): its processing promise is not judged`);
      continue;
    }
    const mode = modes[0] as CommitMode;
    for (const [partitionId, processings] of facts.processingByPartition) judgePartition(groups, facts, mode, partitionId, processings);
  }
}
