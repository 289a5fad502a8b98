/**
 * What the consumer-group judges share: the group model, every hand-over's resume (judged once, used
 * by C3, C6, C7 and C4/C5), the evidence each rule was applied to, and the root-cause log. Subjects
 * name what an anomaly is about, so one root cause is reported once: `commit@<event>` (a commit),
 * `resume@...` (where a span started reading), `owned@...` (a span's ownership), `stored@<event>` (a
 * stored offset), and record payloads.
 */
import type { Anomaly, AnomalyRecord } from "../../verdict.js";
import type { Judging } from "../judging.js";
import { GroupModel, type CommitOp, type GroupFacts, type Span } from "./group-model.js";
import { judgeResume, type Resume } from "./resumes.js";

/** What each rule was applied to (evidence.ts turns it into the verdict's words). */
export interface GroupEvidence {
  /** C1: member and coordinator claims compared, and the (generation, partition) pairs they covered. */
  claims: number;
  claimedPairs: number;
  /** C2: generations whose coverage was checked; why a group could not be. */
  generationsCovered: number;
  readonly coverageUnknown: string[];
  /** C3: hand-overs whose first read was judged; commits checked against the generation and the committer's reads. */
  resumes: number;
  commitsChecked: number;
  /** C4: records checked for at-least-once processing, processed records checked for repeats (at-most-once). */
  atLeastOnceRecords: number;
  atMostOnceRecords: number;
  readonly processingUnknown: string[];
  /** C5: records of auto-commit groups checked for unexplained skips and repeats. */
  autoCommitRecords: number;
  /** C6: consecutive stored offsets compared, under sync commits and under the others. */
  offsetStepsSync: number;
  offsetStepsOther: number;
  /** C8: the coordinator's generations checked against their assignor's contract; why others could not be. */
  assignorGenerations: number;
  readonly assignorUnknown: string[];
  /** C7: hand-overs and stored offsets checked against other groups' commits; groups sharing a partition. */
  crossGroupChecks: number;
  sharingGroups: number;
}

export class GroupJudging {
  readonly model: GroupModel;
  readonly resumes: Resume[] = [];
  readonly resumeBySpan = new Map<Span, Resume>();
  readonly evidence: GroupEvidence = {
    claims: 0,
    claimedPairs: 0,
    generationsCovered: 0,
    coverageUnknown: [],
    resumes: 0,
    commitsChecked: 0,
    atLeastOnceRecords: 0,
    atMostOnceRecords: 0,
    processingUnknown: [],
    autoCommitRecords: 0,
    offsetStepsSync: 0,
    offsetStepsOther: 0,
    crossGroupChecks: 0,
    sharingGroups: 0,
    assignorGenerations: 0,
    assignorUnknown: [],
  };

  constructor(readonly judging: Judging) {
    this.model = new GroupModel(judging.state);
    for (const facts of this.model.groups.values()) {
      for (const spans of facts.spansByPartition.values()) {
        for (const span of spans) {
          const resume = judgeResume(this.model, facts, span);
          if (resume === null) continue;
          this.resumes.push(resume);
          this.resumeBySpan.set(span, resume);
        }
      }
    }
  }

  emit(anomaly: Anomaly, subjects: readonly string[]): void {
    this.judging.roots.emit(anomaly, subjects);
  }

  groupOf(span: Span): GroupFacts {
    return this.model.factsOf(span.member.group);
  }

  recordAt(partitionId: number, offset: number, value?: string | null): AnomalyRecord {
    const partition = this.model.state.partitionOf(partitionId);
    const payload = value ?? this.model.finalPayloadAt(partitionId, offset);
    return { topic: partition.topic, partition: partition.partition, offset, ...(payload === null ? {} : { value: payload }) };
  }

  commitRecords(commit: CommitOp): AnomalyRecord[] {
    return [...commit.offsets].map(([partitionId, offset]) => {
      const partition = this.model.state.partitionOf(partitionId);
      return { topic: partition.topic, partition: partition.partition, offset };
    });
  }
}

/** The configuration that decides a group anomaly, in Kafka's words. */
export function memberWords(span: Span): string {
  return `group.id=${span.member.group}, commitMode=${span.member.commitMode}, auto.offset.reset=${span.member.autoOffsetReset}${span.member.cooperative ? ", cooperative rebalancing" : ""}`;
}
