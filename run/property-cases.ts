/**
 * The property table, shared by the vitest files and `verify`: for each guarantee family, the
 * configuration that promises its guarantees ("holds"), the nearest weaker configurations under which
 * the harness must *find* the allowed violation ("teeth"), and the planted bugs each property must
 * catch. One table, so the tests and the main command cannot drift apart.
 */
import type { FaultKind } from "../chaos/fault.js";
import type { GuaranteeId } from "../model/index.js";
import type { PlantedBug } from "../engine/api.js";
import type fc from "fast-check";
import type { Scenario } from "../chaos/scenario.js";
import type { GroupEpisodeKind } from "../chaos/arbitraries/faults.js";
import { presetByName, presetScenarioArbitrary } from "../chaos/arbitraries/presets.js";

export type Family = "delivery" | "ordering" | "unclean-election" | "idempotence" | "groups";

export interface HoldsCase {
  readonly family: Family;
  /** Set (to the reason) while no target under test can run the case yet: listed in the docs as pending, not run. */
  readonly pending?: string;
  /** What the property says, for the test name. */
  readonly title: string;
  readonly preset: string;
  readonly guarantees: readonly GuaranteeId[];
  readonly consumers?: number;
  readonly faultKinds?: readonly FaultKind[];
  /** Group episodes (group presets only; default every one the target supports). */
  readonly groupFaultKinds?: readonly GroupEpisodeKind[];
  /** Set (to the reason) when only the engine can run this configuration. */
  readonly engineOnly?: string;
}

export interface TeethCase {
  readonly family: Family;
  /** Set (to the reason) while no target under test can run the case yet: listed in the docs as pending, not run. */
  readonly pending?: string;
  readonly title: string;
  /** The nearest configuration that does not promise the guarantee. */
  readonly preset: string;
  /** The guarantees whose allowed anomalies must be observed (any of them). */
  readonly guarantees: readonly GuaranteeId[];
  readonly consumers?: number;
  readonly faultKinds?: readonly FaultKind[];
  readonly groupFaultKinds?: readonly GroupEpisodeKind[];
  readonly intensity?: number;
  /** Set (to the reason) when only the engine can run this configuration. */
  readonly engineOnly?: string;
  /**
   * A known gap that keeps the harness from seeing this allowed violation yet (where to read about
   * it). The test then asserts the gap is still there, with a small budget, and fails once it is
   * closed, to say this field can go (as a counterexample's openIssue does).
   */
  readonly openIssue?: string;
}

export interface PlantedBugCase {
  readonly family: Family;
  /** Set (to the reason) while no target under test can run the case yet: listed in the docs as pending, not run. */
  readonly pending?: string;
  readonly bug: PlantedBug;
  /** A configuration that promises what the bug breaks. */
  readonly preset: string;
  /** The property that must catch it: a promised violation of one of these. */
  readonly guarantees: readonly GuaranteeId[];
  readonly consumers?: number;
  readonly faultKinds?: readonly FaultKind[];
  readonly groupFaultKinds?: readonly GroupEpisodeKind[];
  readonly intensity?: number;
  readonly pollWeight?: number;
  /**
   * At most this many producers (3 by default). A consumer-side bug needs one: with more, shrinking
   * can stall where removing a producer hands its sends to another and hides the failure.
   */
  readonly maxProducers?: number;
}

const crashes: readonly FaultKind[] = ["kill", "kill-leader", "stop", "pause"];
const partitions: readonly FaultKind[] = ["isolate", "isolate-leader", "split", "one-way", "bridge", "cut-client"];
const everyFaultButPowerLoss: readonly FaultKind[] = [...crashes, ...partitions];
/** Lost responses make producers retry: that is where sequence numbers matter. */
const retryMakers: readonly FaultKind[] = ["cut-client", "one-way", "isolate-leader", "kill-leader", "pause"];
/** Faults the model counts as "down" (D5 counts alive replicas; it treats an isolated broker as alive). */
const downMakers: readonly FaultKind[] = ["kill", "stop", "pause"];
/** Leader changes under a polling consumer: where a consumer's position must survive. */
const leaderChangers: readonly FaultKind[] = ["kill-leader", "isolate-leader"];
/** Broker faults beside the group episodes (consumer crash, freeze, coordinator kill) of group presets. */
const groupBrokerFaults: readonly FaultKind[] = ["kill", "kill-leader", "isolate-leader"];

export const holdsCases: readonly HoldsCase[] = [
  { family: "delivery", title: "durable configuration (acks=all, RF=3, min ISR 2, unclean off)", preset: "durable", guarantees: ["D2", "D5", "D6", "D8", "D9", "D10"], consumers: 1, faultKinds: everyFaultButPowerLoss },
  { family: "delivery", title: "at-most-once producers (acks=0, retries=0)", preset: "at-most-once", guarantees: ["D1", "D9", "D10"], consumers: 1, faultKinds: everyFaultButPowerLoss },
  { family: "delivery", title: "batching producers (linger.ms=25): every record acknowledged at its own offset", preset: "batching", guarantees: ["D2", "D3", "D9", "D10"], consumers: 1, faultKinds: everyFaultButPowerLoss },
  { family: "delivery", title: "acks=1 producers lose nothing outside the acks=1 window", preset: "acks-1", guarantees: ["D4", "D6", "D9", "D10"], consumers: 1, faultKinds: everyFaultButPowerLoss },
  { family: "ordering", title: "partition order, key to partition, per-key order (idempotent or 1 in flight)", preset: "durable", guarantees: ["O1", "O2", "O3"], consumers: 2, faultKinds: everyFaultButPowerLoss },
  { family: "unclean-election", title: "unclean election off: no acknowledged record lost while the ISR is down", preset: "clean-two-replicas", guarantees: ["D7"], consumers: 1, faultKinds: everyFaultButPowerLoss },
  { family: "idempotence", title: "idempotent producers: no duplicates, no loss, order kept", preset: "idempotent", guarantees: ["D3", "O3"], faultKinds: retryMakers },
  {
    family: "groups",
    title: "a group committing after processing (range), and a second group: exclusive, covered, resumed, nothing skipped, no regression, independent",
    preset: "group-sync-after",
    guarantees: ["C1", "C2", "C3", "C4", "C6", "C7", "C8"],
    faultKinds: groupBrokerFaults,
  },
  { family: "groups", title: "a group committing before processing: nothing processed twice", preset: "group-sync-before", guarantees: ["C1", "C3", "C4", "C6"], faultKinds: groupBrokerFaults },
  { family: "groups", title: "auto commit: skips and repeats only where auto commit explains them", preset: "group-auto", guarantees: ["C1", "C3", "C5"], faultKinds: groupBrokerFaults },
  { family: "groups", title: "sticky assignor: balanced and sticky", preset: "group-sticky", guarantees: ["C1", "C2", "C4", "C8"], faultKinds: groupBrokerFaults },
  { family: "groups", title: "cooperative-sticky: incremental rebalancing never gives a partition two owners", preset: "group-cooperative", guarantees: ["C1", "C2", "C3", "C4", "C8"], faultKinds: groupBrokerFaults },
];

export const teethCases: readonly TeethCase[] = [
  { family: "delivery", title: "acks=1: acknowledged records lost after a leader failure", preset: "acks-1", guarantees: ["D2", "D4", "D8"], faultKinds: ["kill-leader", "isolate-leader", "split"], intensity: 0.6 },
  {
    family: "delivery",
    title: "acks=1: writes acknowledged with 2 of 3 replicas down (min.insync.replicas=2 not consulted)",
    preset: "acks-1",
    guarantees: ["D5"],
    faultKinds: downMakers,
    intensity: 0.9,
  },
  { family: "delivery", title: "retries without idempotence: a record appears twice (not at-most-once)", preset: "retries-no-idempotence", guarantees: ["D1", "D3"], faultKinds: retryMakers, intensity: 0.6 },
  { family: "ordering", title: "partitioner.ignore.keys=true: keyed records off their murmur2 partition", preset: "ignore-keys", guarantees: ["O2"], faultKinds: ["kill"], intensity: 0.25, engineOnly: "kafkajs has no partitioner.ignore.keys" },
  { family: "ordering", title: "5 in flight, retries, no idempotence: same-key records reordered", preset: "retries-no-idempotence", guarantees: ["O3"], faultKinds: retryMakers, intensity: 0.6 },
  { family: "unclean-election", title: "unclean election on: an out-of-sync leader loses acknowledged records", preset: "unclean", guarantees: ["D7", "D2", "D6", "D9"], consumers: 1, faultKinds: ["kill", "kill-leader", "isolate", "pause"], intensity: 0.8 },
  { family: "idempotence", title: "idempotence off with retries: duplicates", preset: "retries-no-idempotence", guarantees: ["D3", "D1"], faultKinds: retryMakers, intensity: 0.6 },
  { family: "groups", title: "commit before processing: records skipped across a consumer crash (at-most-once)", preset: "group-sync-before", guarantees: ["C4"], faultKinds: [], groupFaultKinds: ["kill-consumer"], intensity: 0.6 },
  { family: "groups", title: "auto commit with slow processing: records skipped or repeated across a consumer crash", preset: "group-auto", guarantees: ["C4", "C5"], faultKinds: [], groupFaultKinds: ["kill-consumer"], intensity: 0.6 },
  { family: "groups", title: "asynchronous commits: a late commit moves the committed offset back", preset: "group-async", guarantees: ["C6"], faultKinds: [], groupFaultKinds: ["kill-coordinator", "pause-consumer"], intensity: 0.8 },
];

export const plantedBugCases: readonly PlantedBugCase[] = [
  { family: "delivery", bug: "early-ack", preset: "durable", guarantees: ["D2"], faultKinds: ["kill-leader", "isolate-leader", "split"], intensity: 0.6 },
  { family: "delivery", bug: "truncate-to-high-watermark", preset: "durable", guarantees: ["D2", "D9"], faultKinds: ["kill-leader", "kill", "isolate-leader", "pause"], intensity: 0.8 },
  { family: "delivery", bug: "ack-batch-base-offset", preset: "batching", guarantees: ["D10"], faultKinds: ["kill"], intensity: 0.25 },
  { family: "delivery", bug: "ignore-min-insync-replicas", preset: "durable", guarantees: ["D5", "D2"], faultKinds: downMakers, intensity: 0.9 },
  { family: "delivery", bug: "high-watermark-at-log-end", preset: "durable", guarantees: ["D6"], consumers: 1, pollWeight: 4, faultKinds: ["kill-leader", "isolate-leader", "split"], intensity: 0.6 },
  { family: "unclean-election", bug: "unclean-election-always", preset: "clean-two-replicas", guarantees: ["D7", "D2"], consumers: 1, faultKinds: ["kill", "kill-leader", "isolate", "pause"], intensity: 0.8 },
  { family: "ordering", bug: "retry-to-back", preset: "ordered-retries", guarantees: ["O3"], faultKinds: retryMakers, intensity: 0.6 },
  { family: "ordering", bug: "wrong-key-hash", preset: "durable", guarantees: ["O2"], faultKinds: ["kill"], intensity: 0.25 },
  { family: "ordering", bug: "consumer-rewind-on-leader-change", preset: "durable", guarantees: ["O1"], consumers: 1, pollWeight: 4, maxProducers: 1, faultKinds: leaderChangers, intensity: 0.6 },
  { family: "ordering", bug: "consumer-skip-on-error", preset: "durable", guarantees: ["O1"], consumers: 1, pollWeight: 4, maxProducers: 1, faultKinds: leaderChangers, intensity: 0.6 },
  { family: "idempotence", bug: "no-sequence-check", preset: "idempotent", guarantees: ["D3", "O3"], faultKinds: retryMakers, intensity: 0.6 },
  { family: "groups", bug: "assign-without-rebalance", preset: "group-sync-after", guarantees: ["C1"], faultKinds: [], maxProducers: 1 },
  { family: "groups", bug: "commit-last-processed", preset: "group-sync-after", guarantees: ["C3"], faultKinds: [], groupFaultKinds: ["kill-consumer"], maxProducers: 1 },
  { family: "groups", bug: "sync-commit-retried-late", preset: "group-sync-after", guarantees: ["C6"], faultKinds: ["cut-client"], groupFaultKinds: ["kill-coordinator"], intensity: 0.8, maxProducers: 1 },
  { family: "groups", bug: "sticky-forgets-ownership", preset: "group-sticky", guarantees: ["C8"], faultKinds: [], groupFaultKinds: ["kill-consumer"], maxProducers: 1 },
  { family: "groups", bug: "accept-stale-commit", preset: "group-sync-after", guarantees: ["C3", "C4"], faultKinds: [], groupFaultKinds: ["pause-consumer"], intensity: 0.8, maxProducers: 1 },
  { family: "groups", bug: "offsets-shared-across-groups", preset: "group-sync-after", guarantees: ["C7"], faultKinds: [], groupFaultKinds: ["kill-consumer"], maxProducers: 1 },
];

/** The scenarios a planted-bug case searches: its preset, shaped as the case says (one definition for the tests and the bench). */
export function plantedBugArbitrary(planted: PlantedBugCase, name?: string): fc.Arbitrary<Scenario> {
  return presetScenarioArbitrary(presetByName(planted.preset), {
    ...(name === undefined ? {} : { name }),
    ...(planted.consumers === undefined ? {} : { consumers: planted.consumers }),
    ...(planted.faultKinds === undefined ? {} : { faultKinds: planted.faultKinds }),
    ...(planted.groupFaultKinds === undefined ? {} : { groupFaultKinds: planted.groupFaultKinds }),
    ...(planted.intensity === undefined ? {} : { intensity: planted.intensity }),
    ...(planted.pollWeight === undefined ? {} : { pollWeight: planted.pollWeight }),
    ...(planted.maxProducers === undefined ? {} : { maxProducers: planted.maxProducers }),
  });
}
