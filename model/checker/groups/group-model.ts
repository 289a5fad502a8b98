/**
 * The consumer groups as the history shows them, built once after the pass from the events the group
 * log kept: per member, its sessions (subscribe to crash or close) and its ownership spans (one
 * partition, from the `assigned` call that gave it to the call, crash or close that took it away),
 * with what each span read and processed; per group, its commits (paired operations, each with the
 * span that made it), its processing, the coordinator's stored offsets (matched to the commits that
 * asked for them), every claim "member M owns p in generation g" the members or the coordinator made,
 * and each member session's reported generations (C2 without the coordinator's view).
 *
 * A member's owned set follows its own listener calls: owned = owned - revoked - lost + assigned. Eager
 * rebalancing revokes everything before each join, so `assigned` replaces the assignment; cooperative
 * rebalancing (KIP-429) assigns only what is added, and the kept partitions are owned in the new
 * generation too. The member's generation is that of its latest `assigned`.
 */
import type { CommitValue, GroupGenerationValue, HistoryEvent, OffsetCommittedValue, PollValue, ProcessValue, RebalanceValue, SubscribeValue } from "../../history/event.js";
import type { CheckerState } from "../state.js";
import { crashFaults, type MemberProfile } from "./group-log.js";

export type SpanEnd = "revoked" | "lost" | "reassigned" | "crashed" | "closed" | "history-end";

/** One member's ownership of one partition. */
export class Span {
  firstOffset = -1;
  firstIndex = -1;
  firstTime = 0;
  firstPayload: string | null = null;
  endIndex = -1;
  endTime = Number.POSITIVE_INFINITY;
  end: SpanEnd = "history-end";
  /** Offsets its polls returned, in order. */
  readonly returned: number[] = [];
  /** Processing completed in the span, in time order, with the running maximum offset. */
  private readonly processedTimes: number[] = [];
  private readonly processedMaxima: number[] = [];
  readonly processed = new Set<number>();

  constructor(
    readonly member: MemberProfile,
    readonly partitionId: number,
    readonly memberId: string,
    readonly generation: number,
    readonly startIndex: number,
    readonly startTime: number,
    readonly session: number,
  ) {}

  /** Names the span's ownership (C1 roots) and its start (C3 roots) for one-root-cause accounting. */
  get owned(): string {
    return `owned@${this.member.process}@${this.startIndex}@${this.partitionId}`;
  }

  get resume(): string {
    return `resume@${this.member.process}@${this.startIndex}@${this.partitionId}`;
  }

  read(offset: number, index: number, time: number, payload: string): void {
    if (this.firstOffset < 0) {
      this.firstOffset = offset;
      this.firstIndex = index;
      this.firstTime = time;
      this.firstPayload = payload;
    }
    this.returned.push(offset);
  }

  processedOk(offset: number, time: number): void {
    const maximum = this.processedMaxima.length === 0 ? offset : Math.max(offset, this.processedMaxima[this.processedMaxima.length - 1] as number);
    this.processedTimes.push(time);
    this.processedMaxima.push(maximum);
    this.processed.add(offset);
  }

  /** The highest offset whose processing completed at or before `time` (-1: none). */
  maxProcessedBefore(time: number): number {
    let low = 0;
    let high = this.processedTimes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      // At the same instant counts as before: a member's loop is sequential, so a processing that
      // completed at the commit's invocation time completed before it (the engine's clock stands still
      // between the two; the history orders them by index).
      if ((this.processedTimes[middle] as number) <= time) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? -1 : (this.processedMaxima[low - 1] as number);
  }

  close(end: SpanEnd, index: number, time: number): void {
    this.end = end;
    this.endIndex = index;
    this.endTime = time;
  }
}

export type CommitOutcome = "ok" | "fail" | "info" | "open";

/** One commit operation: invoked (or, for an automatic commit reported on completion, lone), completed or not. */
export class CommitOp {
  outcome: CommitOutcome = "open";
  completionIndex = -1;
  completionTime = Number.POSITIVE_INFINITY;
  error: string | undefined;

  constructor(
    readonly process: string,
    readonly value: CommitValue,
    /** Next offset to read by partition id. */
    readonly offsets: ReadonlyMap<number, number>,
    /** -1 for a lone automatic commit: when it was sent is unknown. */
    readonly invokeIndex: number,
    readonly invokeTime: number,
    /** Per partition, the committer's latest span of it in the session (what it had read and processed). */
    readonly spans: ReadonlyMap<number, Span>,
  ) {}

  get anchor(): number {
    return this.invokeIndex >= 0 ? this.invokeIndex : this.completionIndex;
  }

  get subject(): string {
    return `commit@${this.anchor}`;
  }

  get events(): number[] {
    return [this.invokeIndex, this.completionIndex].filter((index) => index >= 0);
  }

  /** When it may have been stored: from its sending (unknown for a lone one) to its answer. */
  get sentBy(): number {
    return this.invokeIndex >= 0 ? this.invokeTime : this.completionTime;
  }
}

export interface Processing {
  readonly process: string;
  readonly partitionId: number;
  readonly offset: number;
  readonly invokeIndex: number;
  readonly time: number;
  okIndex: number;
  readonly span: Span | undefined;
}

/** The coordinator stored an offset (observer `offset-committed`). */
export interface StoredOffset {
  readonly index: number;
  readonly time: number;
  readonly group: string;
  readonly partitionId: number;
  readonly offset: number;
  readonly generation: number;
  readonly member: string;
  /** The commit that asked for it: of this group, or (a coordinator bug) of another one. */
  commit: CommitOp | null;
}

/** "Owner O holds p in generation g": from a member's own calls or the coordinator's generation. */
export interface Claim {
  readonly group: string;
  readonly generation: number;
  readonly partitionId: number;
  /** group.instance.id for a static member, else the member id. */
  readonly owner: string;
  readonly index: number;
  /** The member's span, for a member's own claim. */
  readonly span: Span | null;
}

/** One `assigned` call: the member's assignment in that generation (what it owned right after the call). */
export interface GenerationReport {
  readonly generation: number;
  readonly member: string;
  readonly index: number;
  readonly time: number;
  readonly partitions: readonly number[];
}

/** An event of a member's session after which it may have sent a JoinGroup (or been expelled): it left its latest generation. */
export interface RejoinSign {
  readonly index: number;
  readonly time: number;
  readonly what: string;
}

/**
 * One session of a group consumer (subscribe to crash or close), as C2 judges coverage from the
 * members' own views: the generations it reported, the signs that it left them, its polls' generations.
 */
export interface MemberSession {
  readonly profile: MemberProfile;
  /** 1 for the process's first session. */
  readonly number: number;
  readonly startIndex: number;
  readonly startTime: number;
  /** The crash or close that ended it; -1 and infinity while alive at the end of the history. */
  endIndex: number;
  endTime: number;
  endedBy: "crash" | "close" | null;
  readonly reports: GenerationReport[];
  readonly rejoinSigns: RejoinSign[];
  /** Polls that returned naming a generation: when they were invoked, and that generation. */
  readonly polls: { readonly invokeTime: number; readonly generation: number }[];
}

export interface GenerationMark {
  readonly time: number;
  readonly generation: number;
  readonly index: number;
}

export class GroupFacts {
  readonly members: MemberProfile[] = [];
  readonly commits: CommitOp[] = [];
  readonly commitsByPartition = new Map<number, CommitOp[]>();
  readonly spansByPartition = new Map<number, Span[]>();
  readonly processingByPartition = new Map<number, Processing[]>();
  readonly stored: StoredOffset[] = [];
  readonly storedByPartition = new Map<number, StoredOffset[]>();
  /** Observer group-generation event indexes of this group. */
  readonly generationEvents: number[] = [];
  /** Generations seen (members' `assigned`, the coordinator's generations), sorted by time, with running maxima. */
  private marks: GenerationMark[] = [];
  private maxima: GenerationMark[] = [];
  /** Every member session, per process in order. */
  readonly sessions: MemberSession[] = [];
  /** Each member process's subscriptions, in order. */
  readonly subscriptions = new Map<string, { readonly time: number; readonly topics: readonly string[] }[]>();

  constructor(readonly group: string) {}

  addMark(mark: GenerationMark): void {
    this.marks.push(mark);
  }

  sortMarks(): void {
    this.marks.sort((left, right) => left.time - right.time || left.index - right.index);
    let best: GenerationMark | null = null;
    this.maxima = this.marks.map((mark) => (best = best === null || mark.generation > best.generation ? mark : best));
  }

  /** The highest generation some member or the coordinator had reached strictly before `time`. */
  highestGenerationBefore(time: number): GenerationMark | null {
    let low = 0;
    let high = this.marks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.marks[middle] as GenerationMark).time < time) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? null : (this.maxima[low - 1] as GenerationMark);
  }

  modes(): ReadonlySet<string> {
    return new Set(this.members.map((member) => member.commitMode));
  }

  subscriptionAt(process: string, time: number): readonly string[] | null {
    let topics: readonly string[] | null = null;
    for (const subscription of this.subscriptions.get(process) ?? []) if (subscription.time <= time) topics = subscription.topics;
    return topics;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function commitKey(member: string, generation: number, partitionId: number, offset: number): string {
  return `${member}\u0000${generation}\u0000${partitionId}\u0000${offset}`;
}

export class GroupModel {
  readonly groups = new Map<string, GroupFacts>();
  readonly claims: Claim[] = [];
  /** The group each member id belongs to (from its own events). */
  readonly groupOfMember = new Map<string, string>();
  /** Per partition id: the offsets of the final reads, ascending. */
  private readonly finalOffsets = new Map<number, number[]>();
  /** Records read by polls of group consumers outside any ownership span (not judged, counted). */
  readOutsideSpans = 0;

  constructor(readonly state: CheckerState) {
    const log = state.groups;
    if (log === null) throw new Error("a group model needs group consumers");
    for (const member of log.members.values()) this.factsOf(member.group).members.push(member);
    for (const member of log.members.values()) this.walk(member);
    for (const facts of this.groups.values()) {
      for (const commit of facts.commits) {
        for (const [partitionId, offset] of commit.offsets) push(this.commitsByKey, commitKey(commit.value.member, commit.value.generation, partitionId, offset), commit);
      }
    }
    for (const index of log.generations) this.addGeneration(index);
    for (const index of log.stored) this.addStored(index);
    for (const facts of this.groups.values()) facts.sortMarks();
    this.collectFinalOffsets();
  }

  factsOf(group: string): GroupFacts {
    let facts = this.groups.get(group);
    if (facts === undefined) {
      facts = new GroupFacts(group);
      this.groups.set(group, facts);
    }
    return facts;
  }

  private event(index: number): HistoryEvent {
    const event = this.state.history.events[index];
    if (event === undefined) throw new Error(`event ${index} missing`);
    return event;
  }

  private partitionId(topic: string, partition: number): number {
    return this.state.partitionId(topic, partition);
  }

  /** One member's events in order: sessions, spans, claims, reads, processing, commits. */
  private walk(member: MemberProfile): void {
    const facts = this.factsOf(member.group);
    const invokeOf = this.state.pairing.invokeOf;
    const owned = new Map<number, Span>();
    /** The latest span per partition in the current session (owned or ended). */
    const latest = new Map<number, Span>();
    const processings = new Map<number, Processing[]>();
    const commitsByInvoke = new Map<number, CommitOp>();
    let session = 0;
    let current: MemberSession | null = null;
    /** The generation of the session's latest `assigned` (-1: none yet). */
    let reported = -1;
    const endSession = (event: HistoryEvent, how: "crash" | "close"): void => {
      if (current === null) return;
      current.endIndex = event.index;
      current.endTime = event.time;
      current.endedBy = how;
      current = null;
    };
    const closeAll = (end: SpanEnd, event: HistoryEvent): void => {
      for (const span of owned.values()) span.close(end, event.index, event.time);
      owned.clear();
    };
    for (const index of member.events) {
      const event = this.event(index);
      if (event.process === "nemesis") {
        if (!crashFaults.has(event.f) || current === null) continue;
        closeAll("crashed", event);
        endSession(event, "crash");
        continue;
      }
      switch (event.f) {
        case "subscribe": {
          if (event.type !== "invoke") break;
          const value = event.value as SubscribeValue;
          push(facts.subscriptions, member.process, { time: event.time, topics: value.topics });
          if (current === null) {
            session++;
            current = { profile: member, number: session, startIndex: index, startTime: event.time, endIndex: -1, endTime: Number.POSITIVE_INFINITY, endedBy: null, reports: [], rejoinSigns: [], polls: [] };
            facts.sessions.push(current);
            reported = -1;
            latest.clear();
          }
          break;
        }
        case "close":
        case "unsubscribe":
          if (event.type === "invoke" || current === null) break;
          closeAll("closed", event);
          endSession(event, "close");
          break;
        case "assigned": {
          const value = event.value as RebalanceValue;
          if (!member.cooperative) closeAll("reassigned", event);
          this.groupOfMember.set(value.member, member.group);
          for (const entry of value.partitions) {
            const partitionId = this.partitionId(entry.topic, entry.partition);
            if (owned.has(partitionId)) continue;
            const span = new Span(member, partitionId, value.member, value.generation, index, event.time, session);
            owned.set(partitionId, span);
            latest.set(partitionId, span);
            push(facts.spansByPartition, partitionId, span);
          }
          if (value.generation >= 0 && member.classic) {
            facts.addMark({ time: event.time, generation: value.generation, index });
            const owner = member.instance ?? value.member;
            for (const [partitionId, span] of owned) this.claims.push({ group: member.group, generation: value.generation, partitionId, owner, index, span });
          }
          reported = value.generation;
          current?.reports.push({ generation: value.generation, member: value.member, index, time: event.time, partitions: [...owned.keys()] });
          break;
        }
        case "revoked":
        case "lost": {
          const value = event.value as RebalanceValue;
          for (const entry of value.partitions) {
            const partitionId = this.partitionId(entry.topic, entry.partition);
            owned.get(partitionId)?.close(event.f === "lost" ? "lost" : "revoked", index, event.time);
            owned.delete(partitionId);
          }
          current?.rejoinSigns.push({ index, time: event.time, what: `${event.f === "lost" ? "lost" : "revoked"} (event ${index})` });
          break;
        }
        case "poll": {
          const value = event.value as PollValue & { generation?: number };
          if (value.generation !== undefined && event.type === "ok" && current !== null) {
            const invoke = this.state.history.events[invokeOf[index] as number];
            current.polls.push({ invokeTime: invoke?.time ?? event.time, generation: value.generation });
            // A poll naming a generation the member did not report: it is in (or joining) another one.
            if (value.generation !== reported) current.rejoinSigns.push({ index, time: event.time, what: `a poll naming generation ${value.generation} (event ${index})` });
          }
          for (const record of value.records ?? []) {
            const span = owned.get(this.partitionId(record.topic, record.partition));
            if (span === undefined) this.readOutsideSpans++;
            else span.read(record.offset, index, event.time, record.value);
          }
          break;
        }
        case "process": {
          if (event.type === "invoke") {
            const list: Processing[] = [];
            for (const record of (event.value as ProcessValue).records) {
              const partitionId = this.partitionId(record.topic, record.partition);
              const processing: Processing = { process: member.process, partitionId, offset: record.offset, invokeIndex: index, time: event.time, okIndex: -1, span: owned.get(partitionId) };
              list.push(processing);
              push(facts.processingByPartition, partitionId, processing);
            }
            processings.set(index, list);
          } else if (event.type === "ok") {
            for (const processing of processings.get(invokeOf[index] as number) ?? []) {
              processing.okIndex = index;
              processing.span?.processedOk(processing.offset, event.time);
            }
          }
          break;
        }
        case "commit":
          this.onCommit(member, facts, event, invokeOf[index] as number, latest, commitsByInvoke);
          break;
        default:
          break;
      }
    }
  }

  private onCommit(member: MemberProfile, facts: GroupFacts, event: HistoryEvent, invokeIndex: number, latest: ReadonlyMap<number, Span>, commitsByInvoke: Map<number, CommitOp>): void {
    let commit: CommitOp | undefined;
    if (event.type === "invoke") {
      const value = event.value as CommitValue;
      commit = this.newCommit(member, facts, value, event.index, event.time, latest);
      commitsByInvoke.set(event.index, commit);
      return;
    }
    commit = invokeIndex >= 0 ? commitsByInvoke.get(invokeIndex) : undefined;
    if (commit === undefined) {
      // A lone automatic commit (operations.ts): its value is on the completion.
      commit = this.newCommit(member, facts, event.value as CommitValue, -1, Number.NEGATIVE_INFINITY, latest);
    }
    commit.outcome = event.type as CommitOutcome;
    commit.completionIndex = event.index;
    commit.completionTime = event.time;
    commit.error = event.error;
  }

  private newCommit(member: MemberProfile, facts: GroupFacts, value: CommitValue, invokeIndex: number, invokeTime: number, latest: ReadonlyMap<number, Span>): CommitOp {
    const offsets = new Map<number, number>();
    const spans = new Map<number, Span>();
    for (const entry of value.offsets) {
      const partitionId = this.partitionId(entry.topic, entry.partition);
      offsets.set(partitionId, entry.offset);
      const span = latest.get(partitionId);
      if (span !== undefined) spans.set(partitionId, span);
    }
    this.groupOfMember.set(value.member, member.group);
    const commit = new CommitOp(member.process, value, offsets, invokeIndex, invokeTime, spans);
    facts.commits.push(commit);
    for (const partitionId of offsets.keys()) push(facts.commitsByPartition, partitionId, commit);
    return commit;
  }

  private addGeneration(index: number): void {
    const event = this.event(index);
    const value = event.value as GroupGenerationValue;
    const facts = this.factsOf(value.group);
    facts.generationEvents.push(index);
    facts.addMark({ time: event.time, generation: value.generation, index });
    for (const view of value.members) {
      this.groupOfMember.set(view.member, value.group);
      for (const entry of view.partitions) {
        this.claims.push({ group: value.group, generation: value.generation, partitionId: this.partitionId(entry.topic, entry.partition), owner: view.instance ?? view.member, index, span: null });
      }
    }
  }

  /**
   * A stored offset, matched to the commit that asked for it: the earliest unmatched commit of that
   * member, generation and offset that could have been stored then (sent before, or, lone, answered
   * after), a commit not refused first. Searched in the stored group first, then in every group (a
   * coordinator storing one group's commit as another's).
   */
  private addStored(index: number): void {
    const event = this.event(index);
    const value = event.value as OffsetCommittedValue;
    const partitionId = this.partitionId(value.topic, value.partition);
    const facts = this.factsOf(value.group);
    const stored: StoredOffset = { index, time: event.time, group: value.group, partitionId, offset: value.offset, generation: value.generation, member: value.member, commit: null };
    const groups = [facts, ...[...this.groups.values()].filter((other) => other !== facts)];
    for (const candidateGroup of groups) {
      const match = this.matchCommit(candidateGroup, stored);
      if (match !== null) {
        stored.commit = match;
        break;
      }
    }
    facts.stored.push(stored);
    push(facts.storedByPartition, partitionId, stored);
  }

  private readonly matched = new Set<string>();
  /** Commits by member, generation, partition and offset: what a stored offset is matched on. */
  private readonly commitsByKey = new Map<string, CommitOp[]>();

  private matchCommit(facts: GroupFacts, stored: StoredOffset): CommitOp | null {
    let best: CommitOp | null = null;
    for (const commit of this.commitsByKey.get(commitKey(stored.member, stored.generation, stored.partitionId, stored.offset)) ?? []) {
      if (commit.value.group !== facts.group) continue;
      const key = `${commit.anchor}/${stored.partitionId}`;
      if (this.matched.has(key)) continue;
      const possible = commit.invokeIndex >= 0 ? commit.invokeTime <= stored.time : commit.completionTime >= stored.time;
      if (!possible) continue;
      if (best === null || (best.outcome === "fail" && commit.outcome !== "fail")) best = commit;
      if (best.outcome !== "fail") break;
    }
    if (best !== null) this.matched.add(`${best.anchor}/${stored.partitionId}`);
    return best;
  }

  private collectFinalOffsets(): void {
    const table = this.state.table;
    for (let id = 0; id < table.count; id++) {
      const offset = table.finalOffset(id);
      if (offset >= 0) push(this.finalOffsets, table.finalPartitionId(id), offset);
    }
    for (const offsets of this.finalOffsets.values()) offsets.sort((left, right) => left - right);
  }

  /** The final reads' offsets of a partition, ascending (empty without final reads). */
  finalOffsetsOf(partitionId: number): readonly number[] {
    return this.finalOffsets.get(partitionId) ?? [];
  }

  /** The lowest final-read offset in [from, to), or -1. */
  finalRecordBetween(partitionId: number, from: number, to: number): number {
    const offsets = this.finalOffsetsOf(partitionId);
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((offsets[middle] as number) < from) low = middle + 1;
      else high = middle;
    }
    const found = offsets[low];
    return found !== undefined && found < to ? found : -1;
  }

  /** The payload the final reads hold at an offset (for reports and subjects). */
  finalPayloadAt(partitionId: number, offset: number): string | null {
    return this.state.observationAt(this.state.partitionOf(partitionId), offset)?.payload ?? null;
  }

  partitionName(partitionId: number): string {
    const partition = this.state.partitionOf(partitionId);
    return `${partition.topic}-${partition.partition}`;
  }
}
