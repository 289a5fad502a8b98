/**
 * Loss explanation: a missing acknowledged record is allowed only when the history shows an event that
 * can cause it, on that partition's replicas, inside the window [after, before]: the fault must still
 * be in effect at or after the record was sent (after: the send's invocation, or the read that saw it)
 * and must have begun no later than the read that proved the record missing (before). The rules
 * (model/README.md explains why each is sound):
 * - acks=1: a change of the partition's leader (observer elections, when the history has any: the same
 *   leader re-elected after a kill truncates nothing), else a fault touching one of its replicas.
 * - acks=all, unclean elections enabled: an observed unclean election of the partition, or (no observer
 *   events at all) a fault touching a replica.
 * - any acks, flush.messages above 1: a power loss of one of the partition's replicas (unflushed records
 *   die with the page cache; one power loss suffices, see README).
 * The lower bound is the invocation, not the ack: the ack's clock and the fault's clock differ on a real
 * cluster, and an earlier bound can only excuse more, never accuse wrongly.
 */
import type { EffectiveTopic } from "../config/effective.js";
import { formatTime, type FaultTimeline, type Occurrence } from "./fault-timeline.js";
import type { PartitionState } from "./records.js";

export interface Explanation {
  readonly explained: boolean;
  /** The fault or election that explains it, or why nothing does. */
  readonly text: string;
  /** The history event that explains it, when one does. */
  readonly index?: number;
}

/** Cause before effect: the fault ends at or after `after` and starts no later than `before`. */
export interface Window {
  readonly after: number;
  readonly before: number;
}

function name(partition: PartitionState): string {
  return `${partition.topic}-${partition.partition}`;
}

function span(window: Window): string {
  return Number.isFinite(window.before) ? `between t=${formatTime(window.after)} and t=${formatTime(window.before)}` : `after t=${formatTime(window.after)}`;
}

function found(occurrence: Occurrence, prefix = ""): Explanation {
  return { explained: true, text: `${prefix}${occurrence.what}`, index: occurrence.index };
}

export function explainLeaderFailure(faults: FaultTimeline, partition: PartitionState, partitionId: number, window: Window): Explanation {
  if (faults.observed) {
    const election = faults.leaderChange(partitionId, window.after, window.before);
    if (election !== null) return found(election);
    return { explained: false, text: `no change of leader of ${name(partition)} ${span(window)} (the history records elections)` };
  }
  const fault = faults.disruption(partition.replicas, window.after, window.before);
  if (fault !== null) return found(fault);
  return { explained: false, text: `no fault touched a replica of ${name(partition)} ${span(window)}` };
}

export function explainUncleanOrPowerLoss(faults: FaultTimeline, partition: PartitionState, partitionId: number, topic: EffectiveTopic, window: Window): Explanation {
  if (topic.uncleanElection) {
    if (faults.observed) {
      const unclean = faults.uncleanElection(partitionId, window.after, window.before);
      if (unclean !== null) return found(unclean);
    } else {
      const fault = faults.disruption(partition.replicas, window.after, window.before);
      if (fault !== null) return found(fault, "unclean elections enabled; ");
    }
  }
  if (topic.flushMessages > 1) {
    const powerLoss = faults.powerLoss(partition.replicas, window.after, window.before);
    if (powerLoss !== null) {
      const flush = topic.flushMessages > 1e15 ? "unbounded" : String(topic.flushMessages);
      return { explained: true, text: `${powerLoss.what} with flush.messages=${flush} (unflushed records lost)`, index: powerLoss.index };
    }
  }
  const unclean = topic.uncleanElection ? "no unclean election" : "unclean elections disabled";
  return { explained: false, text: `${unclean} and no power loss of a replica of ${name(partition)} ${span(window)}` };
}
