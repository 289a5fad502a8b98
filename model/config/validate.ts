/**
 * Validation of configuration maps (each key on its own) and of whole setups (combinations that
 * Kafka refuses: idempotence with acks other than all, min ISR above the replication factor, ...).
 */
import type { ConfigMap, ConfigValue } from "../history/event.js";
import { ConfigurationError } from "./error.js";
import { keysByScope, type ConfigScope, type KeySpec } from "./keys.js";
import { closestName } from "./closest.js";

function allowedText(spec: KeySpec): string {
  const kind = spec.kind;
  switch (kind.type) {
    case "int":
      return `an integer from ${kind.min} to ${kind.max}`;
    case "boolean":
      return "true or false";
    case "enum":
      return kind.values.join(", ");
    case "string":
      return "a string";
    case "optional-string":
      return "a non-empty string";
  }
}

/** Kafka reads properties as strings; accept "true"/"5" as well as true/5, and normalise them. */
export function normaliseValue(where: string, key: string, value: ConfigValue, spec: KeySpec): ConfigValue {
  const kind = spec.kind;
  const refuse = (): never => {
    throw new ConfigurationError(where, key, value, allowedText(spec));
  };
  switch (kind.type) {
    case "int": {
      const number = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(number) || number < kind.min || number > kind.max) refuse();
      return number;
    }
    case "boolean":
      if (value === true || value === "true") return true;
      if (value === false || value === "false") return false;
      return refuse();
    case "enum": {
      const textValue = String(value);
      if (key === "acks" && textValue === "-1") return "all";
      if (key === "auto.offset.reset" && textValue.startsWith("by_duration:")) return textValue; // KIP-1106
      if (!kind.values.includes(textValue)) refuse();
      return textValue;
    }
    case "string":
      if (typeof value !== "string") refuse();
      return value;
    case "optional-string":
      if (typeof value !== "string" || value.length === 0) refuse();
      return value;
  }
}

/**
 * Validates every key of one scope's map: known key, value of the right type and range. Returns the
 * normalised map (strings read as numbers/booleans, acks=-1 as "all"). Throws ConfigurationError.
 */
export function validateConfiguration(scope: ConfigScope, config: ConfigMap, where: string = scope): Record<string, ConfigValue> {
  const keys = keysByScope[scope];
  const normalised: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(config)) {
    const spec = keys[key];
    if (spec === undefined) {
      // The closest key, not every key: a list of thirty hides the one that was meant.
      const closest = closestName(key, Object.keys(keys));
      const allowed = closest === undefined ? `one of the ${scope} keys: ${Object.keys(keys).join(", ")}` : `a ${scope} key; did you mean ${JSON.stringify(closest)}?`;
      throw new ConfigurationError(where, key, value, allowed, `unknown ${scope} key`);
    }
    normalised[key] = normaliseValue(where, key, value, spec);
  }
  if (scope === "producer") validateProducerCombination(normalised, where);
  return normalised;
}

/**
 * Kafka's producer rules (ProducerConfig): with enable.idempotence=true set explicitly, acks must be
 * all, retries above 0 and max.in.flight at most 5; a transactional.id needs idempotence.
 */
function validateProducerCombination(config: Readonly<Record<string, ConfigValue>>, where: string): void {
  const explicitIdempotence = config["enable.idempotence"];
  const transactional = config["transactional.id"] !== undefined;
  // A transactional.id turns idempotence on unless the user turned it off.
  const requiresIdempotence = explicitIdempotence === true || (transactional && explicitIdempotence === undefined);
  const because = explicitIdempotence === true ? "enable.idempotence=true" : "transactional.id needs idempotence";
  if (transactional && explicitIdempotence === false) {
    throw new ConfigurationError(where, "transactional.id", config["transactional.id"], "no transactional.id, or enable.idempotence=true", "a transactional producer needs idempotence");
  }
  if (!requiresIdempotence) return;
  const acks = config.acks;
  if (acks !== undefined && acks !== "all") {
    throw new ConfigurationError(where, "acks", acks, "all (or -1)", because);
  }
  const retries = config.retries;
  if (retries === 0) throw new ConfigurationError(where, "retries", retries, "an integer above 0", because);
  const inFlight = config["max.in.flight.requests.per.connection"];
  if (typeof inFlight === "number" && inFlight > 5) {
    throw new ConfigurationError(where, "max.in.flight.requests.per.connection", inFlight, "an integer from 1 to 5", because);
  }
}

export interface SetupTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: ConfigMap;
}

export interface SetupClient {
  readonly role: string;
  readonly config: ConfigMap;
}

export interface Setup {
  /** Broker count, or the list of broker ids. */
  readonly brokers: number | readonly number[];
  readonly broker: ConfigMap;
  readonly topics: readonly SetupTopic[];
  /** By client id, or as a list with ids. */
  readonly clients: Readonly<Record<string, SetupClient>> | readonly (SetupClient & { readonly id: string })[];
}

function clientEntries(clients: Setup["clients"]): (readonly [string, SetupClient])[] {
  if (Array.isArray(clients)) return (clients as readonly (SetupClient & { id: string })[]).map((client) => [client.id, client] as const);
  return Object.entries(clients as Readonly<Record<string, SetupClient>>);
}

/**
 * Validates a whole cluster: each map on its own, then the cross-scope rules: replication factor at
 * most the broker count, effective min.insync.replicas at most the replication factor.
 */
export function validateSetup(setup: Setup): void {
  const brokerCount = typeof setup.brokers === "number" ? setup.brokers : setup.brokers.length;
  if (!Number.isInteger(brokerCount) || brokerCount < 1) {
    throw new ConfigurationError("cluster", "brokers", setup.brokers, "at least 1 broker");
  }
  const broker = validateConfiguration("broker", setup.broker, "broker");
  for (const topic of setup.topics) {
    const where = `topics.${topic.name}`;
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1) {
      throw new ConfigurationError(where, "partitions", topic.partitions, "an integer of at least 1");
    }
    if (!Number.isInteger(topic.replicationFactor) || topic.replicationFactor < 1 || topic.replicationFactor > brokerCount) {
      throw new ConfigurationError(where, "replicationFactor", topic.replicationFactor, `an integer from 1 to the broker count (${brokerCount})`, "each replica needs its own broker");
    }
    const config = validateConfiguration("topic", topic.config, `${where}.config`);
    const minInsync = config["min.insync.replicas"] ?? broker["min.insync.replicas"] ?? 1;
    if (typeof minInsync === "number" && minInsync > topic.replicationFactor) {
      const whereSet = config["min.insync.replicas"] !== undefined ? `${where}.config` : "broker";
      throw new ConfigurationError(whereSet, "min.insync.replicas", minInsync, `at most the replication factor of topic '${topic.name}' (${topic.replicationFactor})`, "acks=all could never succeed");
    }
  }
  for (const [id, client] of clientEntries(setup.clients)) {
    const where = `clients.${id}.config`;
    if (client.role === "producer") validateConfiguration("producer", client.config, where);
    else if (client.role === "consumer" || client.role === "reader") validateConfiguration("consumer", client.config, where);
    else if (client.role !== "admin") throw new ConfigurationError(`clients.${id}`, "role", client.role, "producer, consumer, reader, admin");
  }
}

/** L3: partitions can be added, never removed. */
export function validatePartitionChange(topic: string, from: number, to: number): void {
  if (!Number.isInteger(to) || to < from) {
    throw new ConfigurationError(`topics.${topic}`, "partitions", to, `an integer of at least the current count (${from})`, "partitions can be added, never removed");
  }
}
