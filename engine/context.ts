import type { CoordinatorObservation, Election, PlantedBug, TransactionMarkerObservation } from "./api.js";
import type { BrokerSettings } from "./broker/settings.js";
import type { KafkaVersion } from "./config.js";
import type { Network } from "./network/network.js";
import type { Message } from "./protocol/messages.js";
import type { Random } from "./simulation/random.js";
import type { Scheduler } from "./simulation/scheduler.js";
import type { Trace } from "./simulation/trace.js";

/** What every node of one simulation shares: clock, network, random source, trace, switches. */
export interface EngineContext {
  readonly scheduler: Scheduler;
  readonly network: Network<Message>;
  readonly random: Random;
  readonly trace: Trace;
  readonly version: KafkaVersion;
  readonly brokerSettings: BrokerSettings;
  readonly bugs: ReadonlySet<PlantedBug>;
  readonly brokerIds: readonly number[];
  /** Node that hosts the active controller. */
  readonly controllerNode: string;
  readonly reportElection: (election: Election) => void;
  /** Group coordinators report completed generations and stored offsets (the history's observer events). */
  readonly reportCoordinator: (observation: CoordinatorObservation) => void;
  /** Partition leaders report every transaction marker they append (the history's observer events). */
  readonly reportTransactionMarker: (marker: TransactionMarkerObservation) => void;
}

export function brokerNodeName(brokerId: number): string {
  return `broker-${brokerId}`;
}
