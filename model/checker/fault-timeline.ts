/**
 * What the nemesis and the observer did, reduced to what loss explanation needs. A fault is one span,
 * from its invocation to its completion, and touches only the nodes it names: the completion's list
 * (what it actually hit after resolution, `[]` for a fault with no effect), else the invocation's; only
 * a fault that names no nodes anywhere may have hit any broker. Elections are kept per partition, with
 * whether they changed the leader.
 *
 * Every query is "did X happen to this partition in the window [after, before]": the fault must end at
 * or after the record was sent (after) and start no later than the read that proved the record missing
 * (before): a cause comes before its effect. Spans are appended in history order (the nemesis is one
 * process, its operations pair first in, first out), so each list is sorted by start and end, and a
 * query is a binary search: the checker stays linear.
 */
import type { ElectionValue, HistoryEvent, NemesisValue } from "../history/event.js";
import { HistoryFormatError, lineOfEvent } from "../history/format-error.js";

export interface Occurrence {
  /** When it began (a fault's invocation; an election's observation). */
  readonly start: number;
  /** When it had certainly taken effect (a fault's completion). */
  readonly end: number;
  /** The history event that proves it (a fault's completion, else its invocation). */
  readonly index: number;
  readonly what: string;
}

/** Faults that can take a leader away or stop replication (a kill keeps the page cache; see README). */
const disruptiveFaults = new Set(["kill", "kill-leader", "power-loss", "stop", "pause", "partition", "isolate", "isolate-leader", "split", "one-way", "bridge"]);
/** Faults after which a broker cannot fetch or answer until restarted or resumed. */
const downFaults = new Set(["kill", "kill-leader", "power-loss", "stop", "pause"]);
const upFaults = new Set(["restart", "resume"]);
/** Faults that cut links (their `cuts` list says which); `heal` restores every link. */
const cutFaults = new Set(["partition", "isolate", "isolate-leader", "split", "one-way", "bridge", "cut-client"]);

function isClusterNode(node: string): boolean {
  return /^(broker|controller)-\d+$/.test(node);
}

export function brokerIdOf(node: string): number | null {
  const match = /^broker-(\d+)$/.exec(node);
  return match === null ? null : Number(match[1]);
}

/** How many overlapping spans a query looks past (bounded: a loop over every fault would not be linear). */
const maxOverlapScanned = 64;

/** Occurrences sorted by time; `firstEndingFrom(t)` finds the earliest one still in effect at t or later. */
class OccurrenceList {
  readonly items: Occurrence[] = [];

  add(occurrence: Occurrence): void {
    this.items.push(occurrence);
  }

  lastStart(): number {
    return this.items[this.items.length - 1]?.start ?? -1;
  }

  /** The first occurrence with end >= after, if it started by `before`. */
  within(after: number, before: number): Occurrence | null {
    const items = this.items;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((items[middle] as Occurrence).end < after) low = middle + 1;
      else high = middle;
    }
    // Ends are sorted (completions come in history order); starts nearly so, but overlapping faults
    // of different kinds may complete out of invocation order: look a few further for an earlier start.
    for (let position = low, scanned = 0; position < items.length && scanned < maxOverlapScanned; position++, scanned++) {
      const found = items[position] as Occurrence;
      if (found.start <= before) return found;
    }
    return null;
  }
}

function earliest(current: Occurrence | null, candidate: Occurrence | null): Occurrence | null {
  if (candidate === null) return current;
  if (current === null || candidate.start < current.start) return candidate;
  return current;
}

export interface ElectionOccurrence extends Occurrence {
  readonly leader: number;
  readonly epoch: number;
  readonly unclean: boolean;
  /** False when the partition's previous leader was elected again (nothing was truncated). */
  readonly leaderChanged: boolean;
}

export class FaultTimeline {
  /** Brokers certainly down now, since the completion of the fault that took them down. */
  readonly downSince = new Map<number, Occurrence>();
  /** Directed broker links certainly cut now ("from>to"), since the completion of the cut. */
  readonly cutSince = new Map<string, number>();
  private readonly disruptionByBroker = new Map<number, OccurrenceList>();
  private readonly powerLossByBroker = new Map<number, OccurrenceList>();
  /** Faults that named no node at all: they may have hit any broker. */
  private readonly unknownDisruptions = new OccurrenceList();
  private readonly unknownPowerLosses = new OccurrenceList();
  private readonly leaderChangesByPartition: OccurrenceList[];
  private readonly uncleanByPartition: OccurrenceList[];
  private readonly lastElectionByPartition: (ElectionOccurrence | undefined)[];
  /** Nemesis invocations waiting for their completion, by event index (the pairing says which completes which). */
  private readonly pending = new Map<number, HistoryEvent>();
  /** True once any observer event was seen: then elections explain leader changes precisely. */
  observed = false;
  faults = 0;
  elections = 0;

  constructor(
    private readonly brokers: readonly number[],
    partitionCount: number,
    private readonly file: string,
  ) {
    this.leaderChangesByPartition = Array.from({ length: partitionCount }, () => new OccurrenceList());
    this.uncleanByPartition = Array.from({ length: partitionCount }, () => new OccurrenceList());
    this.lastElectionByPartition = new Array<ElectionOccurrence | undefined>(partitionCount).fill(undefined);
  }

  /**
   * One nemesis event: an invocation opens a fault, its completion (paired by the history's pairing,
   * `invoke`; absent for a lone completion) closes it into a span.
   */
  recordNemesis(event: HistoryEvent, invoke: HistoryEvent | undefined): void {
    if (event.type === "invoke") {
      this.pending.set(event.index, event);
      // Conservatively up from a restart's first event: a broker restarting may already fetch.
      if (upFaults.has(event.f)) this.markUp(nodesOf(event));
      return;
    }
    if (invoke !== undefined) this.pending.delete(invoke.index);
    this.closeFault(invoke, event);
  }

  /** Faults still open when the history ends took effect at some unknown time: open-ended spans. */
  finish(): void {
    for (const invoke of [...this.pending.values()].sort((left, right) => left.index - right.index)) this.closeFault(invoke, undefined);
    this.pending.clear();
  }

  private closeFault(invoke: HistoryEvent | undefined, completion: HistoryEvent | undefined): void {
    const last = (completion ?? invoke) as HistoryEvent;
    const f = last.f;
    const start = invoke?.time ?? last.time;
    const end = completion?.time ?? Number.POSITIVE_INFINITY;
    const completionNodes = completion === undefined ? undefined : nodesOf(completion);
    const named = completionNodes ?? (invoke === undefined ? undefined : nodesOf(invoke));
    const value = ((completion?.value ?? invoke?.value) ?? {}) as NemesisValue;
    const cuts = ((completion?.value as NemesisValue | undefined)?.cuts ?? (invoke?.value as NemesisValue | undefined)?.cuts) ?? [];
    if (completion !== undefined) this.trackState(completion, f, completionNodes ?? named ?? [], cuts);
    if (!disruptiveFaults.has(f)) return;
    this.faults++;
    const touched = new Set<number>();
    if (cuts.length > 0) {
      // A network fault touches a broker only through links to other cluster nodes: a client cut from
      // a broker (cut-client) takes no leader away and stops no replication.
      for (const [from, to] of cuts) {
        if (!isClusterNode(from) || !isClusterNode(to)) continue;
        const fromId = brokerIdOf(from);
        const toId = brokerIdOf(to);
        if (fromId !== null) touched.add(fromId);
        if (toId !== null) touched.add(toId);
      }
    } else {
      for (const node of named ?? []) {
        const id = brokerIdOf(node);
        if (id !== null) touched.add(id);
      }
    }
    const index = last.index;
    if (named === undefined && cuts.length === 0) {
      // The fault named nothing anywhere: it may have hit any broker.
      const what = `${f} (${value.description ?? "nodes not recorded"}) at t=${formatTime(start)}`;
      this.unknownDisruptions.add({ start, end, index, what });
      if (f === "power-loss") this.unknownPowerLosses.add({ start, end, index, what });
      return;
    }
    for (const broker of touched) {
      const occurrence: Occurrence = { start, end, index, what: `${f} of broker-${broker} at t=${formatTime(start)}` };
      listOf(this.disruptionByBroker, broker).add(occurrence);
      if (f === "power-loss") listOf(this.powerLossByBroker, broker).add(occurrence);
    }
  }

  /** Which brokers are down and which links are cut now (for D5 at each acknowledgement). */
  private trackState(completion: HistoryEvent, f: string, nodes: readonly string[], cuts: readonly (readonly [string, string])[]): void {
    if (downFaults.has(f)) {
      for (const node of nodes) {
        const id = brokerIdOf(node);
        if (id !== null) this.downSince.set(id, { start: completion.time, end: completion.time, index: completion.index, what: `${f} of broker-${id} at t=${formatTime(completion.time)}` });
      }
    } else if (upFaults.has(f)) {
      this.markUp(nodes);
    }
    if (f === "heal") this.cutSince.clear();
    else if (cutFaults.has(f)) {
      for (const [from, to] of cuts) {
        const key = `${from}>${to}`;
        if (!this.cutSince.has(key)) this.cutSince.set(key, completion.time);
      }
    }
  }

  private markUp(nodes: readonly string[] | undefined): void {
    // A restart that does not say which node may bring any of them back: forget them all (lenient).
    if (nodes === undefined) {
      this.downSince.clear();
      return;
    }
    for (const node of nodes) {
      const id = brokerIdOf(node);
      if (id !== null) this.downSince.delete(id);
    }
  }

  recordElection(event: HistoryEvent, partitionId: number): void {
    const value = event.value as ElectionValue;
    this.observed = true;
    this.elections++;
    const previous = this.lastElectionByPartition[partitionId];
    if (previous !== undefined && value.epoch <= previous.epoch) {
      throw new HistoryFormatError(this.file, lineOfEvent(event.index), "value.epoch", `leader epoch ${value.epoch} of ${value.topic}-${value.partition} is not above the previous election's epoch ${previous.epoch} (line ${lineOfEvent(previous.index)}): epochs only grow`);
    }
    const leaderChanged = previous === undefined || previous.leader !== value.leader;
    const what = `${value.unclean ? "unclean " : ""}election of broker-${value.leader} as leader of ${value.topic}-${value.partition} (epoch ${value.epoch}) at t=${formatTime(event.time)}`;
    const occurrence: ElectionOccurrence = { start: event.time, end: event.time, index: event.index, what, leader: value.leader, epoch: value.epoch, unclean: value.unclean, leaderChanged };
    this.lastElectionByPartition[partitionId] = occurrence;
    if (leaderChanged) (this.leaderChangesByPartition[partitionId] as OccurrenceList).add(occurrence);
    if (value.unclean) (this.uncleanByPartition[partitionId] as OccurrenceList).add(occurrence);
  }

  private withinReplicas(map: ReadonlyMap<number, OccurrenceList>, unknown: OccurrenceList, replicas: readonly number[] | null, after: number, before: number): Occurrence | null {
    let found = unknown.within(after, before);
    for (const broker of replicas ?? this.brokers) found = earliest(found, map.get(broker)?.within(after, before) ?? null);
    return found;
  }

  /** The earliest fault touching one of the replicas (every broker when the assignment is unknown) in the window. */
  disruption(replicas: readonly number[] | null, after: number, before: number): Occurrence | null {
    return this.withinReplicas(this.disruptionByBroker, this.unknownDisruptions, replicas, after, before);
  }

  powerLoss(replicas: readonly number[] | null, after: number, before: number): Occurrence | null {
    return this.withinReplicas(this.powerLossByBroker, this.unknownPowerLosses, replicas, after, before);
  }

  /** The earliest observed election that changed the partition's leader, in the window. */
  leaderChange(partitionId: number, after: number, before: number): Occurrence | null {
    return this.leaderChangesByPartition[partitionId]?.within(after, before) ?? null;
  }

  uncleanElection(partitionId: number, after: number, before: number): Occurrence | null {
    return this.uncleanByPartition[partitionId]?.within(after, before) ?? null;
  }

  /** When a fault on one of the replicas, or an observed leader change, last began (-1: never). */
  latestDisturbance(partitionId: number, replicas: readonly number[] | null): number {
    let latest = this.unknownDisruptions.lastStart();
    for (const broker of replicas ?? this.brokers) latest = Math.max(latest, this.disruptionByBroker.get(broker)?.lastStart() ?? -1);
    return Math.max(latest, this.leaderChangesByPartition[partitionId]?.lastStart() ?? -1);
  }

  /**
   * The earliest event after `after` that could truncate the partition's log (a leader change, or a
   * power loss of a replica; without observer events any fault on a replica): before it, records a
   * leader appended can only be lost together with every record above them.
   */
  firstTruncationCause(partitionId: number, replicas: readonly number[] | null, after: number): Occurrence | null {
    const never = Number.POSITIVE_INFINITY;
    if (!this.observed) return this.disruption(replicas, after, never);
    return earliest(this.leaderChange(partitionId, after, never), this.powerLoss(replicas, after, never));
  }
}

function listOf(map: Map<number, OccurrenceList>, broker: number): OccurrenceList {
  let list = map.get(broker);
  if (list === undefined) {
    list = new OccurrenceList();
    map.set(broker, list);
  }
  return list;
}

function nodesOf(event: HistoryEvent): readonly string[] | undefined {
  return (event.value as NemesisValue | undefined)?.nodes;
}

/** One time unit in every message: seconds since the run started, to the microsecond where needed. */
export function formatTime(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds)) return "the end";
  const seconds = nanoseconds / 1e9;
  const digits = Math.abs(seconds) >= 1 ? 3 : Math.abs(seconds) >= 0.001 ? 6 : 9;
  const text = seconds.toFixed(digits);
  return `${text.includes(".") ? text.replace(/\.?0+$/, "") : text} s`;
}
