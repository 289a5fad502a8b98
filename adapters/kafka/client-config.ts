/**
 * Kafka's client configuration names (as a scenario writes them) mapped onto kafkajs options.
 *
 * The Java client's defaults apply when a key is absent, because the model judges by Kafka's
 * documented semantics, not kafkajs's: acks=all, retries=MAX_INT, max.in.flight=5, and idempotence on
 * unless a conflicting setting was given without an explicit `enable.idempotence` (Java 3.2+ rule).
 * The resolved values are written back into the history header, so the model judges exactly what ran.
 */
import type { CommitMode, ConfigMap, ConfigValue } from "../../model/index.js";
import { commitModes } from "../../model/index.js";

/** Java's Integer.MAX_VALUE: the default `retries`. */
export const javaMaxRetries = 2_147_483_647;

export interface ProducerSettings {
  /** kafkajs's per-send acks: -1 (all), 1 or 0. */
  readonly acks: -1 | 0 | 1;
  readonly idempotent: boolean;
  readonly maxInFlightRequests: number;
  /** Retries after the first attempt (0: one attempt only). */
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly requestTimeoutMs: number;
  /** Java's bound on a send including retries: after it the send is given up (recorded as info). */
  readonly deliveryTimeoutMs: number;
  readonly transactionalId: string | undefined;
  /** transaction.timeout.ms (kafkajs's transactionTimeout): the coordinator aborts a transaction open longer. */
  readonly transactionTimeoutMs: number;
  /** The same settings in Kafka's names, for the history header. */
  readonly resolved: ConfigMap;
}

export interface ConsumerSettings {
  readonly readUncommitted: boolean;
  /** auto.offset.reset: where an assignment without a seek starts. */
  readonly fromBeginning: boolean;
  readonly requestTimeoutMs: number;
  readonly maxPollRecords: number;
  readonly resolved: ConfigMap;
}

const producerKeys = new Set([
  "acks",
  "enable.idempotence",
  "max.in.flight.requests.per.connection",
  "retries",
  "retry.backoff.ms",
  "retry.backoff.max.ms",
  "request.timeout.ms",
  "delivery.timeout.ms",
  "transactional.id",
  "transaction.timeout.ms",
  // Accepted without effect: kafkajs sends each record in its own request (no batching, no buffer).
  "linger.ms",
  "batch.size",
  "buffer.memory",
  "max.block.ms",
  "client.id",
  "compression.type",
  "partitioner.ignore.keys",
]);

const consumerKeys = new Set([
  "isolation.level",
  "auto.offset.reset",
  "request.timeout.ms",
  "max.poll.records",
  // Accepted without effect: the target reads through a private group and never commits (a consumer
  // with group.id is a group consumer: groupSettings below).
  "enable.auto.commit",
  "auto.commit.interval.ms",
  "group.instance.id",
  "group.protocol",
  "max.poll.interval.ms",
  "session.timeout.ms",
  "heartbeat.interval.ms",
  "fetch.min.bytes",
  "fetch.max.wait.ms",
  "partition.assignment.strategy",
  "client.id",
]);

function refuse(clientId: string, key: string, value: ConfigValue | undefined, allowed: string): never {
  throw new Error(`client ${clientId}: ${key}=${JSON.stringify(value)} is not allowed; allowed: ${allowed}`);
}

function wholeNumber(clientId: string, config: ConfigMap, key: string, fallback: number, minimum: number): number {
  const value = config[key];
  if (value === undefined) return fallback;
  const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isInteger(parsed) || parsed < minimum) {
    refuse(clientId, key, value, `a whole number >= ${minimum}`);
  }
  return parsed;
}

function flag(clientId: string, config: ConfigMap, key: string): boolean | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return refuse(clientId, key, value, "true or false");
}

function checkKeys(clientId: string, config: ConfigMap, known: ReadonlySet<string>): void {
  for (const key of Object.keys(config)) {
    if (!known.has(key)) refuse(clientId, key, config[key], `one of the supported keys ${[...known].join(", ")}`);
  }
}

export function producerSettings(clientId: string, config: ConfigMap): ProducerSettings {
  checkKeys(clientId, config, producerKeys);
  const acksValue = config["acks"] ?? "all";
  const acksText = String(acksValue);
  const acks = acksText === "all" || acksText === "-1" ? -1 : acksText === "1" ? 1 : acksText === "0" ? 0 : refuse(clientId, "acks", acksValue, "all, -1, 1 or 0");
  const retries = wholeNumber(clientId, config, "retries", javaMaxRetries, 0);
  const maxInFlightRequests = wholeNumber(clientId, config, "max.in.flight.requests.per.connection", 5, 1);
  const explicitIdempotence = flag(clientId, config, "enable.idempotence");
  const conflicts = acks !== -1 || retries === 0 || maxInFlightRequests > 5;
  if (explicitIdempotence === true && conflicts) {
    refuse(
      clientId,
      "enable.idempotence",
      true,
      `false when acks=${acksText}, retries=${retries}, max.in.flight.requests.per.connection=${maxInFlightRequests} (idempotence needs acks=all, retries>0, max.in.flight<=5)`,
    );
  }
  const idempotent = explicitIdempotence ?? !conflicts;
  const compression = String(config["compression.type"] ?? "none");
  if (compression !== "none") refuse(clientId, "compression.type", config["compression.type"], "none (the Kafka target sends uncompressed)");
  if (flag(clientId, config, "partitioner.ignore.keys") === true) refuse(clientId, "partitioner.ignore.keys", true, "false (kafkajs has no such option: keyed records always use murmur2)");
  const transactionalValue = config["transactional.id"];
  const transactionalId = transactionalValue === undefined ? undefined : String(transactionalValue);
  if (transactionalId !== undefined && !idempotent) {
    refuse(clientId, "transactional.id", transactionalValue, "only with enable.idempotence=true");
  }
  const retryBackoffMs = wholeNumber(clientId, config, "retry.backoff.ms", 100, 0);
  const retryBackoffMaxMs = wholeNumber(clientId, config, "retry.backoff.max.ms", 1000, 0);
  const requestTimeoutMs = wholeNumber(clientId, config, "request.timeout.ms", 30_000, 1);
  const deliveryTimeoutMs = wholeNumber(clientId, config, "delivery.timeout.ms", 120_000, 1);
  const transactionTimeoutMs = wholeNumber(clientId, config, "transaction.timeout.ms", 60_000, 1);
  if (config["transaction.timeout.ms"] !== undefined && transactionalId === undefined) {
    refuse(clientId, "transaction.timeout.ms", config["transaction.timeout.ms"], "no value without transactional.id (only a transactional producer has transactions to time out)");
  }
  const resolved: Record<string, ConfigValue> = {
    ...config,
    acks: acks === -1 ? "all" : acks,
    "enable.idempotence": idempotent,
    retries,
    "max.in.flight.requests.per.connection": maxInFlightRequests,
    "request.timeout.ms": requestTimeoutMs,
  };
  return { acks, idempotent, maxInFlightRequests, retries, retryBackoffMs, retryBackoffMaxMs, requestTimeoutMs, deliveryTimeoutMs, transactionalId, transactionTimeoutMs, resolved };
}

export function consumerSettings(clientId: string, config: ConfigMap): ConsumerSettings {
  checkKeys(clientId, config, consumerKeys);
  const isolation = String(config["isolation.level"] ?? "read_uncommitted");
  if (isolation !== "read_uncommitted" && isolation !== "read_committed") {
    refuse(clientId, "isolation.level", config["isolation.level"], "read_uncommitted or read_committed");
  }
  const reset = String(config["auto.offset.reset"] ?? "latest");
  if (reset !== "earliest" && reset !== "latest") refuse(clientId, "auto.offset.reset", config["auto.offset.reset"], "earliest or latest");
  const requestTimeoutMs = wholeNumber(clientId, config, "request.timeout.ms", 30_000, 1);
  const maxPollRecords = wholeNumber(clientId, config, "max.poll.records", 500, 1);
  return {
    readUncommitted: isolation === "read_uncommitted",
    fromBeginning: reset === "earliest",
    requestTimeoutMs,
    maxPollRecords,
    resolved: { ...config, "isolation.level": isolation, "auto.offset.reset": reset, "max.poll.records": maxPollRecords, "enable.auto.commit": false },
  };
}

/**
 * A group consumer (`group.id` set) on kafkajs 2.2.4, in Kafka's names. kafkajs speaks only the classic
 * group protocol with eager rebalancing and has one assignor built in (round robin), so what it cannot
 * do is refused here, before anything runs, with the reason: KIP-848 (`group.protocol=consumer`),
 * static membership (`group.instance.id`), every other assignor (range, sticky, cooperative-sticky,
 * and Java's default `range,cooperative-sticky`), and `auto.offset.reset=none`.
 */
export interface GroupSettings {
  /** The group as the scenario names it (the cluster's group id gets the run's tag). */
  readonly group: string;
  readonly commitMode: CommitMode;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** max.poll.interval.ms: Java sends it as JoinGroup's rebalance timeout, and so does kafkajs's rebalanceTimeout. */
  readonly rebalanceTimeoutMs: number;
  /** auto.commit.interval.ms: kafkajs's autoCommitInterval (mode auto only). */
  readonly autoCommitIntervalMs: number;
  readonly fromBeginning: boolean;
  readonly readUncommitted: boolean;
  readonly maxPollRecords: number;
  /** fetch.max.wait.ms (kafkajs's own default is 5000; Java's 500 applies). */
  readonly maxWaitTimeMs: number;
  readonly minBytes: number;
  readonly maxBytesPerPartition: number;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly metadataMaxAgeMs: number;
  /** The harness's poll.timeout.ms: how long one poll waits for records before it returns none. */
  readonly pollTimeoutMs: number;
}

const groupKeys = new Set([
  "group.id",
  "group.instance.id",
  "group.protocol",
  "enable.auto.commit",
  "auto.commit.interval.ms",
  "auto.offset.reset",
  "isolation.level",
  "max.poll.records",
  "max.poll.interval.ms",
  "session.timeout.ms",
  "heartbeat.interval.ms",
  "fetch.min.bytes",
  "fetch.max.wait.ms",
  "max.partition.fetch.bytes",
  "partition.assignment.strategy",
  "request.timeout.ms",
  "retry.backoff.ms",
  "metadata.max.age.ms",
  "poll.timeout.ms",
  "client.id",
]);

/** The one assignor kafkajs 2.2.4 has, by the names Java's partition.assignment.strategy accepts. */
const roundRobinNames = new Set(["roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor"]);

const assignorRefusal =
  "roundrobin (or org.apache.kafka.clients.consumer.RoundRobinAssignor), alone: kafkajs 2.2.4 has only a round-robin assignor built in; " +
  "range, sticky and cooperative-sticky (cooperative rebalancing) it cannot run, Java's default range,cooperative-sticky included";

/** A consumer with group.id is a group consumer (chaos/scenario.ts). */
export function isGroupConsumer(client: { readonly role: string; readonly config: ConfigMap }): boolean {
  return client.role === "consumer" && client.config["group.id"] !== undefined;
}

export function groupSettings(client: { readonly id: string; readonly config: ConfigMap; readonly commitMode?: CommitMode }): GroupSettings {
  const { id, config } = client;
  checkKeys(id, config, groupKeys);
  const groupValue = config["group.id"];
  if (typeof groupValue !== "string" || groupValue.length === 0) refuse(id, "group.id", groupValue, "a non-empty string");
  const protocol = String(config["group.protocol"] ?? "classic");
  if (protocol !== "classic") refuse(id, "group.protocol", config["group.protocol"], "classic (kafkajs 2.2.4 speaks only the classic group protocol; KIP-848's consumer protocol it cannot run)");
  if (config["group.instance.id"] !== undefined) refuse(id, "group.instance.id", config["group.instance.id"], "no value (static membership: kafkajs 2.2.4 sends no group.instance.id)");
  const strategy = config["partition.assignment.strategy"];
  const strategies = strategy === undefined ? [] : String(strategy).split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (strategies.length !== 1 || !roundRobinNames.has(strategies[0] ?? "")) refuse(id, "partition.assignment.strategy", strategy, assignorRefusal);
  const commitMode = client.commitMode;
  if (commitMode === undefined || !commitModes.includes(commitMode)) refuse(id, "commitMode", commitMode, `one of ${commitModes.join(", ")} (a group consumer says when it commits)`);
  // Java's default is true: a consumer that commits by hand must turn automatic commits off.
  const autoCommit = flag(id, config, "enable.auto.commit") ?? true;
  if (commitMode === "auto" && !autoCommit) refuse(id, "enable.auto.commit", config["enable.auto.commit"], "true (absent or true) with commitMode auto");
  if (commitMode !== "auto" && autoCommit) refuse(id, "enable.auto.commit", config["enable.auto.commit"], `false with commitMode ${commitMode} (Java's default is true)`);
  const reset = String(config["auto.offset.reset"] ?? "latest");
  if (reset !== "earliest" && reset !== "latest") refuse(id, "auto.offset.reset", config["auto.offset.reset"], "earliest or latest (kafkajs always resets a partition without a committed offset: it has no none)");
  const isolation = String(config["isolation.level"] ?? "read_uncommitted");
  if (isolation !== "read_uncommitted" && isolation !== "read_committed") refuse(id, "isolation.level", config["isolation.level"], "read_uncommitted or read_committed");
  const sessionTimeoutMs = wholeNumber(id, config, "session.timeout.ms", 45_000, 1);
  const heartbeatIntervalMs = wholeNumber(id, config, "heartbeat.interval.ms", 3_000, 1);
  if (heartbeatIntervalMs >= sessionTimeoutMs) refuse(id, "heartbeat.interval.ms", heartbeatIntervalMs, `below session.timeout.ms (${sessionTimeoutMs})`);
  return {
    group: groupValue,
    commitMode,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    rebalanceTimeoutMs: wholeNumber(id, config, "max.poll.interval.ms", 300_000, 1),
    autoCommitIntervalMs: wholeNumber(id, config, "auto.commit.interval.ms", 5_000, 0),
    fromBeginning: reset === "earliest",
    readUncommitted: isolation === "read_uncommitted",
    maxPollRecords: wholeNumber(id, config, "max.poll.records", 500, 1),
    maxWaitTimeMs: wholeNumber(id, config, "fetch.max.wait.ms", 500, 0),
    minBytes: wholeNumber(id, config, "fetch.min.bytes", 1, 0),
    maxBytesPerPartition: wholeNumber(id, config, "max.partition.fetch.bytes", 1_048_576, 1),
    requestTimeoutMs: wholeNumber(id, config, "request.timeout.ms", 30_000, 1),
    retryBackoffMs: wholeNumber(id, config, "retry.backoff.ms", 100, 0),
    metadataMaxAgeMs: wholeNumber(id, config, "metadata.max.age.ms", 300_000, 0),
    pollTimeoutMs: wholeNumber(id, config, "poll.timeout.ms", 1_000, 0),
  };
}
