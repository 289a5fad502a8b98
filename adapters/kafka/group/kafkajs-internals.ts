/**
 * The kafkajs 2.2.4 internals a group consumer needs and kafkajs's API does not give (the version is
 * pinned: adapters/kafka/kafkajs-version.ts):
 *
 * - the generation id. GROUP_JOIN's payload has the member id and the assignment but no generation;
 *   kafkajs keeps it in its ConsumerGroup (`generationId`, from the JoinGroup response), which is not
 *   reachable. The JoinGroup response itself is: kafkajs's consumer hands its own cluster object to
 *   every partition assigner's factory, and the consumer group finds its coordinator through
 *   `cluster.findGroupCoordinator`, so wrapping that method (on this one cluster object) sees every
 *   JoinGroup request and response of this consumer, exactly.
 * - when a rejoin starts: the JoinGroup request, whichever path of kafkajs sent it (a heartbeat that
 *   said REBALANCE_IN_PROGRESS, an UNKNOWN_MEMBER_ID, a fetch that found stale metadata); eager
 *   rebalancing revokes everything there.
 * - which fetch a batch came from: kafkajs rejoins from inside one fetcher while batches fetched under
 *   the old assignment may still be waiting for eachBatch; every message of a fetch response is
 *   stamped with the assignment epoch the fetch was sent in (brokers come from `cluster.findBroker`).
 * - a commit under a generation the application chooses: `broker.offsetCommit`, kafkajs's own request.
 */

export interface OffsetCommitRequest {
  readonly groupId: string;
  readonly groupGenerationId: number;
  readonly memberId: string;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly { readonly partition: number; readonly offset: string }[] }[];
}

interface JoinGroupRequest {
  readonly memberId: string;
}

interface JoinGroupResponse {
  readonly generationId: number;
  readonly memberId: string;
}

interface FetchResponse {
  readonly responses?: readonly { readonly partitions?: readonly { readonly messages?: readonly object[] }[] }[];
}

export interface InternalBroker {
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResponse>;
  fetch(request: unknown): Promise<FetchResponse>;
  offsetCommit(request: OffsetCommitRequest): Promise<unknown>;
}

export interface InternalCluster {
  findBroker(args: { nodeId: number }): Promise<InternalBroker>;
  findGroupCoordinator(args: { groupId: string }): Promise<InternalBroker>;
}

/** What the session learns from the wrapped calls. */
export interface GroupObserver {
  /** A JoinGroup is about to be sent with this member id ('' for a new member). */
  joinStarted(memberId: string): void;
  joinAnswered(generation: number, member: string): void;
  /** The assignment epoch a fetch sent now belongs to. */
  epoch(): number;
}

function isCluster(value: unknown): value is InternalCluster {
  const candidate = value as Partial<InternalCluster> | null;
  return typeof candidate?.findBroker === "function" && typeof candidate.findGroupCoordinator === "function";
}

/**
 * The epoch of every message object a wrapped fetch returned (kafkajs's Batch keeps the message
 * objects of the response, so eachBatch's messages carry them).
 */
export class FetchStamps {
  private readonly epochs = new WeakMap<object, number>();

  stamp(response: FetchResponse, epoch: number): void {
    for (const topic of response.responses ?? []) {
      for (const partition of topic.partitions ?? []) for (const message of partition.messages ?? []) this.epochs.set(message, epoch);
    }
  }

  epochOf(message: object): number | undefined {
    return this.epochs.get(message);
  }
}

/** Wraps this cluster's broker lookups so every broker it hands out reports joins and stamps fetches. */
export function observeCluster(value: unknown, observer: GroupObserver, stamps: FetchStamps): InternalCluster {
  if (!isCluster(value)) throw new Error("kafkajs internals changed: the partition assigner's factory got no cluster with findBroker and findGroupCoordinator (kafkajs 2.2.4 expected)");
  const cluster = value;
  const wrapped = new WeakSet<InternalBroker>();
  const wrap = (broker: InternalBroker): InternalBroker => {
    if (wrapped.has(broker)) return broker;
    if (typeof broker.joinGroup !== "function" || typeof broker.fetch !== "function" || typeof broker.offsetCommit !== "function") {
      throw new Error("kafkajs internals changed: a broker without joinGroup, fetch and offsetCommit (kafkajs 2.2.4 expected)");
    }
    wrapped.add(broker);
    const joinGroup = broker.joinGroup.bind(broker);
    const fetch = broker.fetch.bind(broker);
    broker.joinGroup = async (request) => {
      observer.joinStarted(request.memberId);
      const response = await joinGroup(request);
      observer.joinAnswered(response.generationId, response.memberId);
      return response;
    };
    broker.fetch = async (request) => {
      const epoch = observer.epoch();
      const response = await fetch(request);
      stamps.stamp(response, epoch);
      return response;
    };
    return broker;
  };
  const findBroker = cluster.findBroker.bind(cluster);
  const findGroupCoordinator = cluster.findGroupCoordinator.bind(cluster);
  cluster.findBroker = async (args) => wrap(await findBroker(args));
  cluster.findGroupCoordinator = async (args) => wrap(await findGroupCoordinator(args));
  return cluster;
}
