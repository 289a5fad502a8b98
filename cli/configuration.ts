/**
 * `--config`: a preset name (chaos/presets) and/or `key=value` pairs in Kafka's names, applied on
 * top (default preset: durable). A key's scope (producer, topic, broker) comes from the model's key
 * tables; `brokers`, `partitions` and `replication.factor` shape the cluster and the topic.
 */
import type { ConfigMap, ConfigValue } from "../model/index.js";
import { keysByScope, type KeySpec } from "../model/index.js";

const brokerKeys = keysByScope.broker;
const producerKeys = keysByScope.producer;
const topicKeys = keysByScope.topic;
import { configurationPresets, presetProducerConfigs, type ConfigurationPreset } from "../chaos/presets/index.js";
import { UsageError } from "./arguments.js";
import { closestName } from "../model/index.js";
import { honouredKeys, type EngineScope } from "../engine/honoured-keys.js";

const shapeKeys = ["brokers", "partitions", "replication.factor"] as const;

function parseValue(key: string, text: string, spec: KeySpec | undefined): ConfigValue {
  if (spec === undefined || spec.kind.type === "int") {
    const number = Number(text);
    if (!Number.isInteger(number)) throw new UsageError(`--config ${key}=${text}: ${JSON.stringify(text)} is not allowed; allowed: an integer`);
    return number;
  }
  if (spec.kind.type === "boolean") {
    if (text !== "true" && text !== "false") throw new UsageError(`--config ${key}=${text}: ${JSON.stringify(text)} is not allowed; allowed: true, false`);
    return text === "true";
  }
  if (spec.kind.type === "enum" && !spec.kind.values.includes(text)) {
    throw new UsageError(`--config ${key}=${text}: ${JSON.stringify(text)} is not allowed; allowed: ${spec.kind.values.join(", ")}`);
  }
  return text;
}

/** Every key --config takes, in the order it looks them up (a key in two tables goes to the first). */
function knownKeys(): string[] {
  return [...shapeKeys, ...Object.keys(producerKeys), ...Object.keys(topicKeys), ...Object.keys(brokerKeys)];
}

/** One suggestion, not the 1,700-character list of every key: the list is in `verify --help`. */
function unknownKeyMessage(key: string): string {
  const closest = closestName(key, knownKeys());
  const hint = closest === undefined ? "no known key is close" : `did you mean ${JSON.stringify(closest)}?`;
  return `--config key ${JSON.stringify(key)} is not allowed; ${hint} (\`kafka-harness verify --help\` lists every key)`;
}

/** `key*` when the engine models the key (at some value at least): --help says which keys run where. */
function marked(keys: readonly string[], scope: EngineScope | undefined): string[] {
  return keys.map((key) => (scope === undefined || honouredKeys[scope][key] !== undefined ? `${key}*` : key));
}

/** The keys --config takes, by where they go, wrapped for --help. */
export function configurationKeysHelp(width = 100): string[] {
  const groups: [string, readonly string[]][] = [
    ["shape", marked(shapeKeys, undefined)],
    ["producer", marked(Object.keys(producerKeys), "producer")],
    ["topic", marked(Object.keys(topicKeys), "topic")],
    ["broker", marked(Object.keys(brokerKeys).filter((key) => topicKeys[key] === undefined), "broker")],
  ];
  const lines: string[] = [];
  for (const [group, keys] of groups) {
    let line = `  ${`${group}:`.padEnd(10)}`;
    for (const key of keys) {
      if (line.length + key.length + 2 > width && line.trim().length > 10) {
        lines.push(line.trimEnd());
        line = " ".repeat(12);
      }
      line += `${key}, `;
    }
    lines.push(line.replace(/, $/, ""));
  }
  return lines;
}

export function resolveConfiguration(values: readonly string[]): ConfigurationPreset {
  let preset: ConfigurationPreset | undefined;
  const pairs: string[] = [];
  for (const value of values) {
    for (const part of value.split(",").map((text) => text.trim()).filter((text) => text !== "")) {
      if (part.includes("=")) pairs.push(part);
      else if (preset !== undefined) throw new UsageError(`--config names two presets (${preset.name}, ${part}); allowed: one preset plus key=value pairs`);
      else {
        preset = configurationPresets[part];
        if (preset === undefined) {
          const closest = closestName(part, Object.keys(configurationPresets));
          const hint = closest === undefined ? "" : `did you mean ${JSON.stringify(closest)}? `;
          throw new UsageError(`--config ${JSON.stringify(part)} is not allowed; ${hint}allowed presets: ${Object.keys(configurationPresets).join(", ")}, or key=value pairs`);
        }
      }
    }
  }
  const base = preset ?? configurationPresets.durable;
  if (base === undefined) throw new Error("the durable preset is missing");
  if (pairs.length === 0) return base;

  const producerOverrides: Record<string, ConfigValue> = {};
  const topicOverrides: Record<string, ConfigValue> = {};
  const brokerOverrides: Record<string, ConfigValue> = {};
  let brokers = base.cluster.brokers;
  let partitions = base.topic.partitions;
  let replicationFactor = base.topic.replicationFactor;
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = pair.slice(0, equals);
    const text = pair.slice(equals + 1);
    if ((shapeKeys as readonly string[]).includes(key)) {
      const number = parseValue(key, text, undefined) as number;
      if (key === "brokers") brokers = number;
      else if (key === "partitions") partitions = number;
      else replicationFactor = number;
    } else if (producerKeys[key] !== undefined) producerOverrides[key] = parseValue(key, text, producerKeys[key]);
    else if (topicKeys[key] !== undefined) topicOverrides[key] = parseValue(key, text, topicKeys[key]);
    else if (brokerKeys[key] !== undefined) brokerOverrides[key] = parseValue(key, text, brokerKeys[key]);
    else throw new UsageError(unknownKeyMessage(key));
  }
  // Overrides produce one producer configuration: the first preset's, with the pairs on top.
  // presetProducerConfigs, not producerPresets: a preset may define its producers itself (producerConfigs).
  const firstProducer: ConfigMap = presetProducerConfigs(base)[0] ?? {};
  const overriddenName = `${base.name}+${pairs.join(",")}`;
  const producerName = Object.keys(producerOverrides).length > 0 ? overriddenName : undefined;
  return {
    name: overriddenName,
    summary: `${base.name} with ${pairs.join(", ")}`,
    cluster: { ...base.cluster, brokers, broker: { ...base.cluster.broker, ...brokerOverrides } },
    topic: { ...base.topic, partitions, replicationFactor, config: { ...base.topic.config, ...topicOverrides } },
    producers: producerName === undefined ? base.producers : [producerName],
    ...(producerName === undefined ? {} : { producerConfigs: { [producerName]: { ...firstProducer, ...producerOverrides } } }),
  };
}
