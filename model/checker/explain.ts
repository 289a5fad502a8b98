/**
 * Loss explanation: a missing acknowledged record is allowed only when the history shows an event that
 * can cause it. The rules (model/README.md explains why each is sound):
 * - acks=1: a leader change of the partition at or after the send's invocation (observer elections,
 *   when the history has any), else a fault touching one of the partition's replicas at or after it.
 * - acks=all, unclean elections enabled: an observed unclean election of the partition at or after
 *   the send, or (no observer events at all) a fault touching a replica at or after it.
 * - any acks, flush.messages above 1: a power loss of one of the partition's replicas at or after the
 *   send (unflushed records die with the page cache; one power loss suffices, see README).
 * Times are compared to the invocation, not the ack: the ack's clock and the fault's clock differ on a
 * real cluster, and an earlier bound can only excuse more, never accuse wrongly.
 */
import type { EffectiveTopic } from "../config/effective.js";
import type { FaultTimeline } from "./fault-timeline.js";
import type { PartitionState } from "./records.js";

export interface Explanation {
  readonly explained: boolean;
  /** The fault or election that explains it, or why nothing does. */
  readonly text: string;
  /** The history event that explains it, when one does. */
  readonly index?: number;
}

function name(partition: PartitionState): string {
  return `${partition.topic}-${partition.partition}`;
}

export function explainLeaderFailure(faults: FaultTimeline, partition: PartitionState, partitionId: number, since: number): Explanation {
  if (faults.observed) {
    const election = faults.lastElection(partitionId);
    if (election.time >= since) return { explained: true, text: election.what, index: election.index };
    return { explained: false, text: `no leader change of ${name(partition)} after t=${since} (the history records elections)` };
  }
  const fault = faults.lastDisruption(partition.replicas);
  if (fault.time >= since) return { explained: true, text: fault.what, index: fault.index };
  return { explained: false, text: `no fault touched a replica of ${name(partition)} after t=${since}` };
}

export function explainUncleanOrPowerLoss(
  faults: FaultTimeline,
  partition: PartitionState,
  partitionId: number,
  topic: EffectiveTopic,
  since: number,
): Explanation {
  if (topic.uncleanElection) {
    if (faults.observed) {
      const unclean = faults.lastUncleanElection(partitionId);
      if (unclean.time >= since) return { explained: true, text: unclean.what, index: unclean.index };
    } else {
      const fault = faults.lastDisruption(partition.replicas);
      if (fault.time >= since) return { explained: true, text: `unclean elections enabled; ${fault.what}`, index: fault.index };
    }
  }
  if (topic.flushMessages > 1) {
    const powerLoss = faults.lastPowerLoss(partition.replicas);
    if (powerLoss.time >= since) return { explained: true, text: `${powerLoss.what} with flush.messages=${topic.flushMessages > 1e15 ? "unbounded" : topic.flushMessages} (unflushed records lost)`, index: powerLoss.index };
  }
  const unclean = topic.uncleanElection ? "no unclean election" : "unclean elections disabled";
  return { explained: false, text: `${unclean} and no power loss of a replica of ${name(partition)} after t=${since}` };
}
