/**
 * Rank 16: C3's hand-overs (resumes.ts says what a first read is compared with): `wrong-resume-offset`
 * when a new owner's first read is not where the committed offset points, `reset-violation` when,
 * without one, it does not follow auto.offset.reset. Resumes another group's or a refused commit
 * explains were reported before (C7, C6) as their root cause.
 */
import type { GroupJudging } from "./group-judging.js";
import { memberWords } from "./group-judging.js";

export function judgeResumes(groups: GroupJudging): void {
  for (const resume of groups.resumes) {
    if (resume.status === "unjudged") continue;
    groups.evidence.resumes++;
    if (resume.status !== "wrong" && resume.status !== "reset-violation") continue;
    const span = resume.span;
    groups.emit(
      {
        kind: resume.status === "wrong" ? "wrong-resume-offset" : "reset-violation",
        guarantee: "C3",
        message: resume.message,
        records: [groups.recordAt(span.partitionId, span.firstOffset, span.firstPayload)],
        events: resume.events,
        allowed: false,
        explanation: resume.status === "wrong" ? "a new owner resumes at the group's committed offset (the next offset to read)" : `without a committed offset, auto.offset.reset=${span.member.autoOffsetReset} decides where a new owner starts`,
        configuration: memberWords(span),
      },
      [span.resume],
    );
  }
}
