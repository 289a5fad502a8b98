/**
 * C3's core, and C7's: where a member starts reading a partition it gains. Between its `assigned` call
 * (start) and its first poll returning the partition (first read) the member fetched the group's
 * committed offset; its first record must sit there. What the committed offset may have been then:
 * - with the coordinator's view (observer `offset-committed` of the group): the last offset stored by
 *   the start, and any stored up to the first read;
 * - else from the commits: each commit acknowledged ok by the start that no other acknowledged commit
 *   certainly followed (one sent after its answer), and every commit sent by the first read that was
 *   not refused (`fail`): answered later, indefinite (`info`) or never answered, it may have landed.
 * The first record may also sit above such an offset when the final reads hold no record in between
 * (nothing to read there: a transaction marker, a truncated record). Below every one is allowed only
 * after a truncation (unclean election, power loss) that can put the committed offset out of range.
 * Without any committed offset (or while none had certainly landed by the start), the member's
 * `auto.offset.reset` decides: `earliest`: the final reads
 * hold no record below the first one read; `latest`: the first record read was not already below the
 * high watermark before the start (acknowledged by acks=all, or read by a poll, before it; a reset
 * reads the high watermark after the start); `none`: no record at all (the poll must fail with
 * NO_OFFSET_FOR_PARTITION). A first read that only another group's commit explains is C7's; one only a
 * refused commit explains is C6's (a failed commit must not take effect).
 */
import type { Window } from "../explain.js";
import { formatTime } from "../fault-timeline.js";
import { logTruncation } from "./doubts.js";
import type { CommitOp, GroupFacts, GroupModel, Span, StoredOffset } from "./group-model.js";

export type ResumeStatus = "accepted" | "wrong" | "cross-group" | "failed-commit" | "reset-violation" | "unjudged";

export interface Candidate {
  readonly value: number;
  readonly commit: CommitOp | null;
  readonly stored: StoredOffset | null;
  /** When it could first have been the committed offset. */
  readonly time: number;
}

export interface Resume {
  readonly span: Span;
  readonly status: ResumeStatus;
  /** Committed offsets it was compared with (empty: auto.offset.reset decided). */
  readonly candidates: readonly Candidate[];
  /** For an anomaly: what happened, in one sentence; for an accepted resume: why it is right. */
  readonly message: string;
  /** The events that prove it: the start, the first read, and the commits or stored offsets compared. */
  readonly events: readonly number[];
  /** The other group's commit, or the refused commit, that explains the first read. */
  readonly culprit: CommitOp | StoredOffset | null;
  /** An excuse (a truncation) that made a lower first read acceptable. */
  readonly explanation: string;
  /**
   * For an accepted resume: the commits and stored offsets it resumed from. What follows from resuming
   * there (records read again, a regression) is implied by a root cause among them (a zombie's commit).
   */
  readonly basis: readonly string[];
}

function candidateWords(candidate: Candidate): string {
  if (candidate.stored !== null) return `${candidate.value} (stored at t=${formatTime(candidate.stored.time)})`;
  const commit = candidate.commit as CommitOp;
  const outcome = commit.outcome === "ok" ? `acknowledged at t=${formatTime(commit.completionTime)}` : commit.outcome === "open" ? "never answered" : `${commit.outcome}${commit.error === undefined ? "" : ` ${commit.error}`}`;
  return `${candidate.value} (${commit.value.mode} commit by ${commit.process}, ${outcome})`;
}

function candidateEvents(candidates: readonly Candidate[]): number[] {
  const events: number[] = [];
  for (const candidate of candidates) {
    if (candidate.stored !== null) events.push(candidate.stored.index);
    else if (candidate.commit !== null) events.push(...candidate.commit.events);
  }
  return events;
}

/** The offsets the group's committed offset of a partition may have had between `start` and `firstRead` (null: none). */
export function committedCandidates(facts: GroupFacts, partitionId: number, start: number, firstRead: number): Candidate[] | null {
  const candidates: Candidate[] = [];
  if (facts.stored.length > 0) {
    let last: StoredOffset | null = null;
    for (const stored of facts.storedByPartition.get(partitionId) ?? []) {
      if (stored.time <= start) last = stored;
      else if (stored.time <= firstRead) candidates.push({ value: stored.offset, commit: stored.commit, stored, time: stored.time });
    }
    if (last !== null) candidates.unshift({ value: last.offset, commit: last.commit, stored: last, time: last.time });
    return candidates.length === 0 ? null : candidates;
  }
  const commits = facts.commitsByPartition.get(partitionId) ?? [];
  let latestSend = Number.NEGATIVE_INFINITY;
  for (const commit of commits) if (commit.outcome === "ok" && commit.completionTime <= start && commit.invokeIndex >= 0) latestSend = Math.max(latestSend, commit.invokeTime);
  for (const commit of commits) {
    const value = commit.offsets.get(partitionId) as number;
    if (commit.outcome === "fail") continue;
    if (commit.outcome === "ok" && commit.completionTime <= start) {
      // Certainly overwritten: another acknowledged commit was sent after this one was answered.
      if (commit.completionTime >= latestSend) candidates.push({ value, commit, stored: null, time: commit.completionTime });
      continue;
    }
    const sentInTime = commit.invokeIndex >= 0 ? commit.invokeTime <= firstRead : commit.completionTime > start;
    if (sentInTime) candidates.push({ value, commit, stored: null, time: commit.sentBy });
  }
  return candidates.length === 0 ? null : candidates;
}

/**
 * Does a committed offset `value` explain a first read at `offset`: the same, or below it with no
 * record of the final reads in between (unless a truncation after the start may have removed one).
 */
function explains(model: GroupModel, span: Span, value: number, offset: number): boolean {
  if (value === offset) return true;
  if (value > offset) return false;
  // Without final reads nothing proves a record sat in between: the rule gives the benefit of the doubt.
  const between = model.finalRecordBetween(span.partitionId, value, offset);
  if (between < 0) return true;
  return logTruncation(model.state, span.partitionId, { after: span.startTime, before: Number.POSITIVE_INFINITY }).explained;
}

/** Commits of other groups (and refused commits of this one) that would explain the first read instead. */
function culpritOf(model: GroupModel, facts: GroupFacts, span: Span): { status: ResumeStatus; culprit: CommitOp | StoredOffset } | null {
  const offset = span.firstOffset;
  for (const other of model.groups.values()) {
    if (other === facts) continue;
    for (const stored of other.storedByPartition.get(span.partitionId) ?? []) {
      if (stored.time <= span.firstTime && explains(model, span, stored.offset, offset)) return { status: "cross-group", culprit: stored };
    }
    for (const commit of other.commitsByPartition.get(span.partitionId) ?? []) {
      if (commit.outcome !== "fail" && commit.sentBy <= span.firstTime && explains(model, span, commit.offsets.get(span.partitionId) as number, offset)) return { status: "cross-group", culprit: commit };
    }
  }
  for (const commit of facts.commitsByPartition.get(span.partitionId) ?? []) {
    if (commit.outcome === "fail" && commit.sentBy <= span.firstTime && explains(model, span, commit.offsets.get(span.partitionId) as number, offset)) return { status: "failed-commit", culprit: commit };
  }
  return null;
}

function culpritWords(culprit: CommitOp | StoredOffset): string {
  if ("commit" in culprit) return `offset ${culprit.offset} stored for group '${culprit.group}' at t=${formatTime(culprit.time)}`;
  return `${culprit.process}'s ${culprit.value.mode} commit of ${culprit.offsets.values().next().value ?? "?"} for group '${culprit.value.group}' (${culprit.outcome}${culprit.error === undefined ? "" : ` ${culprit.error}`})`;
}

function culpritEvents(culprit: CommitOp | StoredOffset): number[] {
  return "commit" in culprit ? [culprit.index, ...(culprit.commit?.events ?? [])] : culprit.events;
}

/** The record at the first read was certainly below the high watermark before the start: acks=all acknowledged, or read, by then. */
function belowHighWatermarkBefore(model: GroupModel, span: Span): { index: number; time: number; how: string } | null {
  const state = model.state;
  const table = state.table;
  const id = span.firstPayload === null ? -1 : state.sendIdOf(span.firstPayload);
  if (id < 0) return null;
  const acked = table.ackPartitionId(id) === span.partitionId && table.ackOffset(id) === span.firstOffset && table.rulesOf(id).producer.acks === "all";
  if (acked && table.ackTime(id) < span.startTime) return { index: table.completionIndex(id), time: table.ackTime(id), how: "acknowledged by acks=all" };
  const readIndex = table.firstReadIndex(id);
  if (readIndex >= 0 && table.firstReadPartitionId(id) === span.partitionId && table.firstReadOffset(id) === span.firstOffset && table.timeOf(readIndex) < span.startTime) {
    return { index: readIndex, time: table.timeOf(readIndex), how: "read by a poll" };
  }
  return null;
}

function resetResume(model: GroupModel, facts: GroupFacts, span: Span, base: readonly number[]): Resume {
  const reset = span.member.autoOffsetReset;
  const name = model.partitionName(span.partitionId);
  const who = `${span.member.process} took ${name} (group '${facts.group}', generation ${span.generation}) with no committed offset`;
  const accepted = (message: string, explanation = ""): Resume => ({ span, status: "accepted", candidates: [], message, events: base, culprit: null, explanation, basis: [] });
  const violation = (message: string, events: readonly number[] = base): Resume => {
    const culprit = culpritOf(model, facts, span);
    if (culprit !== null && culprit.status === "cross-group") {
      return { span, status: "cross-group", candidates: [], message: `${who}, yet its first read, offset ${span.firstOffset}, is where ${culpritWords(culprit.culprit)} points: another group's commit set this group's offset`, events: [...events, ...culpritEvents(culprit.culprit)], culprit: culprit.culprit, explanation: "", basis: [] };
    }
    return { span, status: "reset-violation", candidates: [], message, events, culprit: null, explanation: "", basis: [] };
  };
  switch (reset) {
    case "earliest": {
      const below = model.finalRecordBetween(span.partitionId, 0, span.firstOffset);
      if (below < 0) return accepted(`auto.offset.reset=earliest: nothing of the final reads lies below offset ${span.firstOffset}`);
      const truncation = logTruncation(model.state, span.partitionId, { after: span.startTime, before: Number.POSITIVE_INFINITY });
      if (truncation.explained) return accepted(`auto.offset.reset=earliest; offset ${below} below the first read may have been written after a truncation`, truncation.text);
      return violation(`${who} and auto.offset.reset=earliest, but its first read is offset ${span.firstOffset} while the log holds offset ${below} below it (final reads)`);
    }
    case "latest": {
      const known = belowHighWatermarkBefore(model, span);
      if (known === null) return accepted(`auto.offset.reset=latest: offset ${span.firstOffset} was not known to be below the high watermark when ${span.member.process} took ${name}`);
      const window: Window = { after: known.time, before: span.firstTime };
      const truncation = logTruncation(model.state, span.partitionId, window);
      if (truncation.explained) return accepted(`auto.offset.reset=latest after a truncation`, truncation.text);
      return violation(`${who} and auto.offset.reset=latest, but it first read offset ${span.firstOffset}, ${known.how} at t=${formatTime(known.time)}, before it took the partition: a reset to the log end cannot return it`, [...base, known.index]);
    }
    case "none":
      return violation(`${who} and auto.offset.reset=none, yet a poll returned offset ${span.firstOffset} (it must fail with NO_OFFSET_FOR_PARTITION)`);
    default:
      return { span, status: "unjudged", candidates: [], message: `auto.offset.reset=${reset} is not judged`, events: base, culprit: null, explanation: "", basis: [] };
  }
}

/** Classifies one span's first read (null for a span that read nothing). */
export function judgeResume(model: GroupModel, facts: GroupFacts, span: Span): Resume | null {
  if (span.firstOffset < 0) return null;
  const base = [span.startIndex, span.firstIndex];
  const candidates = committedCandidates(facts, span.partitionId, span.startTime, span.firstTime);
  if (candidates === null) return resetResume(model, facts, span, base);
  // Until a commit certainly landed (acknowledged or stored by the start), "no committed offset" is possible too.
  const certain = candidates.some((candidate) => (candidate.stored === null ? candidate.commit?.outcome === "ok" && candidate.commit.completionTime <= span.startTime : candidate.stored.time <= span.startTime));
  if (!certain) {
    const reset = resetResume(model, facts, span, base);
    if (reset.status === "accepted") return reset;
  }
  const events = [...base, ...candidateEvents(candidates)];
  const offset = span.firstOffset;
  const expected = candidates.map(candidateWords).join(", or ");
  const used = candidates.filter((candidate) => explains(model, span, candidate.value, offset));
  if (used.length > 0) {
    const basis = used.flatMap((candidate) => [...(candidate.stored === null ? [] : [`stored@${candidate.stored.index}`]), ...(candidate.commit === null ? [] : [candidate.commit.subject])]);
    return { span, status: "accepted", candidates, message: `first read ${offset} at the committed offset ${expected}`, events, culprit: null, explanation: "", basis };
  }
  const name = model.partitionName(span.partitionId);
  const lowest = Math.min(...candidates.map((candidate) => candidate.value));
  if (offset < lowest) {
    const earliest = Math.min(...candidates.map((candidate) => candidate.time));
    const truncation = logTruncation(model.state, span.partitionId, { after: earliest, before: span.firstTime });
    if (truncation.explained) return { span, status: "accepted", candidates, message: `first read ${offset} below the committed offset after a truncation`, events, culprit: null, explanation: truncation.text, basis: [] };
  }
  const culprit = culpritOf(model, facts, span);
  const took = `${span.member.process} took ${name} (group '${facts.group}', generation ${span.generation})`;
  if (culprit !== null) {
    const what = culprit.status === "cross-group" ? "another group's commit set this group's committed offset" : "a refused commit took effect";
    return {
      span,
      status: culprit.status,
      candidates,
      message: `${took} when its committed offset was ${expected}, but its first read, offset ${offset}, is where ${culpritWords(culprit.culprit)} points: ${what}`,
      events: [...events, ...culpritEvents(culprit.culprit)],
      culprit: culprit.culprit,
      explanation: "",
      basis: [],
    };
  }
  const direction = offset < lowest ? "below it (records read again)" : `above it, over offset ${model.finalRecordBetween(span.partitionId, lowest, offset)} which the final reads hold (records skipped)`;
  return { span, status: "wrong", candidates, message: `${took} when its committed offset was ${expected}, but its first read is offset ${offset}, ${direction}`, events, culprit: null, explanation: "", basis: [] };
}
