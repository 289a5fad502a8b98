/**
 * What the nemesis and the observer did, reduced to what loss explanation needs: for each broker the
 * latest disruption and every power loss, for each partition the latest election and the latest
 * unclean election. Queries are "did X happen to this partition at or after time t", answered in O(1)
 * from the latest occurrence, which keeps the checker linear.
 */
import type { ElectionValue, HistoryEvent, NemesisValue } from "../history/event.js";

export interface Occurrence {
  readonly time: number;
  readonly index: number;
  readonly what: string;
}

const none: Occurrence = { time: -1, index: -1, what: "" };

/** Faults that can take a leader away or stop replication (a kill keeps the page cache; see README). */
const disruptiveFaults = new Set([
  "kill",
  "kill-leader",
  "power-loss",
  "stop",
  "pause",
  "partition",
  "isolate",
  "isolate-leader",
  "split",
  "one-way",
  "bridge",
]);

function later(current: Occurrence, candidate: Occurrence): Occurrence {
  return candidate.time >= current.time ? candidate : current;
}

function brokerIdOf(node: string): number | null {
  const match = /^broker-(\d+)$/.exec(node);
  return match === null ? null : Number(match[1]);
}

/** Faults after which a broker cannot fetch or answer until restarted or resumed. */
const downFaults = new Set(["kill", "kill-leader", "power-loss", "stop", "pause"]);
const upFaults = new Set(["restart", "resume"]);

export class FaultTimeline {
  /** Brokers certainly down now, with the time they were certainly down from (the latest fault event). */
  readonly downSince = new Map<number, Occurrence>();
  private readonly disruptionByBroker = new Map<number, Occurrence>();
  private readonly powerLossByBroker = new Map<number, Occurrence>();
  private readonly electionByPartition: Occurrence[];
  private readonly uncleanByPartition: Occurrence[];
  /** True once any observer event was seen: then elections explain losses precisely. */
  observed = false;
  faults = 0;
  elections = 0;

  constructor(
    private readonly brokers: readonly number[],
    partitionCount: number,
  ) {
    this.electionByPartition = new Array<Occurrence>(partitionCount).fill(none);
    this.uncleanByPartition = new Array<Occurrence>(partitionCount).fill(none);
  }

  recordNemesis(event: HistoryEvent): void {
    this.trackDown(event);
    if (!disruptiveFaults.has(event.f)) return;
    // A fault is logged as invoke + completion: count it once, but let either time explain a loss.
    if (event.type !== "invoke") this.faults++;
    const value = (event.value ?? {}) as NemesisValue;
    const touched = new Set<number>();
    for (const node of value.nodes ?? []) {
      const id = brokerIdOf(node);
      if (id !== null) touched.add(id);
    }
    for (const [from, to] of value.cuts ?? []) {
      const fromId = brokerIdOf(from);
      const toId = brokerIdOf(to);
      if (fromId !== null) touched.add(fromId);
      if (toId !== null) touched.add(toId);
    }
    // A fault that names no broker (kill-leader before resolution) may have hit any of them.
    const targets = touched.size > 0 ? [...touched] : this.brokers;
    for (const broker of targets) {
      const occurrence: Occurrence = { time: event.time, index: event.index, what: `${event.f} of broker-${broker} at t=${event.time}` };
      this.disruptionByBroker.set(broker, later(this.disruptionByBroker.get(broker) ?? none, occurrence));
      if (event.f === "power-loss") this.powerLossByBroker.set(broker, later(this.powerLossByBroker.get(broker) ?? none, occurrence));
    }
  }

  /**
   * Down intervals, conservatively: down from the fault's LAST event (its completion), up again from a
   * restart's FIRST event (its invocation). Only faults that name their brokers count.
   */
  private trackDown(event: HistoryEvent): void {
    const down = downFaults.has(event.f);
    if (!down && !upFaults.has(event.f)) return;
    for (const node of ((event.value ?? {}) as NemesisValue).nodes ?? []) {
      const id = brokerIdOf(node);
      if (id === null) continue;
      if (down) this.downSince.set(id, { time: event.time, index: event.index, what: `${event.f} of broker-${id} at t=${event.time}` });
      else this.downSince.delete(id);
    }
  }

  recordElection(event: HistoryEvent, partitionId: number): void {
    const value = event.value as ElectionValue;
    this.observed = true;
    this.elections++;
    const what = `${value.unclean ? "unclean " : ""}election of broker-${value.leader} as leader of ${value.topic}-${value.partition} (epoch ${value.epoch}) at t=${event.time}`;
    const occurrence: Occurrence = { time: event.time, index: event.index, what };
    this.electionByPartition[partitionId] = later(this.electionByPartition[partitionId] ?? none, occurrence);
    if (value.unclean) this.uncleanByPartition[partitionId] = later(this.uncleanByPartition[partitionId] ?? none, occurrence);
  }

  private latestAmong(map: ReadonlyMap<number, Occurrence>, replicas: readonly number[] | null): Occurrence {
    let latest = none;
    for (const broker of replicas ?? this.brokers) latest = later(latest, map.get(broker) ?? none);
    return latest;
  }

  /** The latest fault touching one of the replicas (every broker when the assignment is unknown). */
  lastDisruption(replicas: readonly number[] | null): Occurrence {
    return this.latestAmong(this.disruptionByBroker, replicas);
  }

  lastPowerLoss(replicas: readonly number[] | null): Occurrence {
    return this.latestAmong(this.powerLossByBroker, replicas);
  }

  lastElection(partitionId: number): Occurrence {
    return this.electionByPartition[partitionId] ?? none;
  }

  lastUncleanElection(partitionId: number): Occurrence {
    return this.uncleanByPartition[partitionId] ?? none;
  }
}
