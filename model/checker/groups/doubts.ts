/**
 * What may legitimately undo the group coordinator's or a log's state, so the group rules never
 * accuse where Kafka's own durability rules allow a loss (model/README.md, "Loss must be explained"):
 * - a partition's log loses records only by an unclean election or a power loss of an unflushed
 *   replica (clean elections keep everything below the high watermark, and reads stay below it);
 * - the coordinator's state (committed offsets, the group's generation) lives in `__consumer_offsets`,
 *   whose replicas the history does not name: it may be lost by a power loss of any broker (broker
 *   `log.flush.interval.messages` above 1), or, with unclean elections enabled at broker level, by any
 *   broker fault. A kill keeps the page cache and clean elections lose no acknowledged write.
 */
import { effectiveTopic } from "../../config/effective.js";
import { explainUncleanOrPowerLoss, type Explanation, type Window } from "../explain.js";
import type { CheckerState } from "../state.js";

export function logTruncation(state: CheckerState, partitionId: number, window: Window): Explanation {
  const partition = state.partitionOf(partitionId);
  const topic = state.topicsByIndex[partition.topicIndex];
  if (topic === undefined) return { explained: false, text: "unknown topic" };
  return explainUncleanOrPowerLoss(state.faults, partition, partitionId, topic.effective, window);
}

export function coordinatorStateLoss(state: CheckerState, window: Window): Explanation {
  const offsetsTopic = effectiveTopic({ partitions: 1, replicationFactor: 1, config: {} }, state.history.header.broker, "broker");
  if (offsetsTopic.flushMessages > 1) {
    const powerLoss = state.faults.powerLoss(null, window.after, window.before);
    if (powerLoss !== null) return { explained: true, text: `${powerLoss.what}: the coordinator's unflushed state (__consumer_offsets) may be lost`, index: powerLoss.index };
  }
  if (offsetsTopic.uncleanElection) {
    const fault = state.faults.disruption(null, window.after, window.before);
    if (fault !== null) return { explained: true, text: `unclean elections enabled; ${fault.what}: __consumer_offsets may have lost committed state`, index: fault.index };
  }
  return { explained: false, text: "no power loss (and no unclean election) could have lost the coordinator's state" };
}
