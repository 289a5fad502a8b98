/**
 * Every key of Kafka's catalogue (model/config/keys.ts) is either honoured by the engine or refused by
 * the engine target before anything runs: no key is accepted and ignored.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ConfigValue } from "../../../model/index.js";
import type { Scenario } from "../../../chaos/scenario.js";
import { keysByScope, type KeySpec } from "../../../model/index.js";
import { honouredKeys, type EngineScope } from "../../../engine/honoured-keys.js";
import { durableTopic, threeBrokers } from "../../../chaos/presets/index.js";
import { createEngineTarget, UnmodelledConfigurationError } from "../index.js";

const target = createEngineTarget();
const scopes: readonly EngineScope[] = ["broker", "topic", "producer", "consumer"];

/** A value the catalogue accepts for the key: Kafka's default, or the smallest allowed. */
function validValue(spec: KeySpec): ConfigValue {
  if (spec.default !== null) return spec.default;
  switch (spec.kind.type) {
    case "int":
      return spec.kind.min;
    case "boolean":
      return false;
    case "enum":
      return spec.kind.values[0] ?? "";
    default:
      return "x";
  }
}

/** A tiny scenario with `config` at one site: a producer sends one record, a consumer polls. */
function scenarioWith(scope: EngineScope, config: Record<string, ConfigValue>): Scenario {
  // group.id makes the consumer a group consumer: it subscribes instead of being assigned, and says how it commits.
  const group = scope === "consumer" && config["group.id"] !== undefined;
  const consumerStep: Scenario["steps"][number] = group
    ? { at: 0, op: "subscribe", client: "consumer-0", topics: [durableTopic.name] }
    : { at: 0, op: "assign", client: "consumer-0", partitions: [{ topic: durableTopic.name, partition: 0 }] };
  // A transactional producer's records go inside transactions; its transaction keys need transactional.id.
  const transactional = scope === "producer" && Object.keys(config).some((key) => key.startsWith("transaction"));
  const producerConfig = scope === "producer" ? { ...(transactional ? { "transactional.id": "t1" } : {}), ...config } : {};
  const produce: Scenario["steps"][number] = transactional
    ? { at: 10, op: "transaction", client: "producer-0", sends: [{ topic: durableTopic.name, key: "k", value: "a", partition: 0 }], end: "commit" }
    : { at: 10, op: "send", client: "producer-0", topic: durableTopic.name, key: "k", value: "a", partition: 0 };
  return {
    name: `key-${scope}`,
    seed: 1,
    cluster: { ...threeBrokers, broker: { ...threeBrokers.broker, ...(scope === "broker" ? config : {}) } },
    topics: [{ ...durableTopic, config: { ...durableTopic.config, ...(scope === "topic" ? config : {}) } }],
    clients: [
      { id: "producer-0", role: "producer", config: producerConfig },
      { id: "consumer-0", role: "consumer", config: { "enable.auto.commit": false, ...(scope === "consumer" ? config : {}) }, ...(group ? { commitMode: "none" as const } : {}) },
    ],
    steps: [
      consumerStep,
      produce,
      { at: 200, op: "poll", client: "consumer-0" },
    ],
    finale: { quietMs: 1000 },
  };
}

async function refusal(scenario: Scenario): Promise<UnmodelledConfigurationError | undefined> {
  try {
    await target.run(scenario);
    return undefined;
  } catch (error) {
    if (error instanceof UnmodelledConfigurationError) return error;
    throw error;
  }
}

describe("engine: honoured keys", () => {
  for (const scope of scopes) {
    test(`every ${scope} key of the catalogue is honoured or refused as not modelled`, async () => {
      for (const [key, spec] of Object.entries(keysByScope[scope])) {
        const value = validValue(spec);
        const honoured = honouredKeys[scope][key];
        const refused = await refusal(scenarioWith(scope, { [key]: value }));
        const modelledValue = honoured !== undefined && (honoured.values === undefined || honoured.values.includes(value));
        if (modelledValue) {
          expect(refused?.message, `${scope} ${key}=${String(value)} is honoured and must run`).toBeUndefined();
        } else {
          expect(refused, `${scope} ${key}=${String(value)} must be refused`).toBeDefined();
          const where = scope === "broker" ? "broker" : scope === "topic" ? `topic '${durableTopic.name}'` : `client ${scope}-0`;
          expect(refused?.message).toContain(`${where}: ${key}=${JSON.stringify(value)}: not modelled by the engine`);
        }
      }
    });
  }

  test("a key honoured only at some values is refused at the others, saying what is modelled", async () => {
    const gzip = await refusal(scenarioWith("producer", { "compression.type": "gzip" }));
    expect(gzip?.message).toContain('client producer-0: compression.type="gzip": not modelled by the engine at this value (the engine stores records uncompressed); the engine models only compression.type=none');
    expect(await refusal(scenarioWith("producer", { "compression.type": "none" }))).toBeUndefined();
    expect(await refusal(scenarioWith("consumer", { "isolation.level": "read_committed" }))).toBeUndefined();
    expect((await refusal(scenarioWith("consumer", { "group.id": "g", "group.protocol": "consumer" })))?.message).toContain('group.protocol="consumer": not modelled by the engine at this value');
  });

  test("the refusal names every unmodelled key with the reason, and where it was given", async () => {
    const refused = await refusal(scenarioWith("producer", { "buffer.memory": 33554432, acks: "all" }));
    expect(refused?.message).toContain("client producer-0: buffer.memory=33554432: not modelled by the engine (producer memory is not bounded in the engine)");
    expect(refused?.message).not.toContain("acks=");
    expect(refused?.problems.map((problem) => problem.field)).toEqual(["clients[0].config.buffer.memory"]);
  });

  test("every honoured key is a key of Kafka's catalogue for its scope (no typo is honoured)", () => {
    for (const scope of scopes) for (const key of Object.keys(honouredKeys[scope])) expect(Object.keys(keysByScope[scope]), `${scope} ${key}`).toContain(key);
  });

  test("every key honoured at any value is read by the engine's settings reader", () => {
    const sources: Record<EngineScope, readonly string[]> = {
      broker: ["broker/settings.ts"],
      topic: ["broker/settings.ts"],
      producer: ["client/producer-settings.ts"],
      consumer: ["client/consumer-settings.ts", "group/client/group-consumer-settings.ts"],
    };
    for (const scope of scopes) {
      const text = sources[scope].map((source) => readFileSync(join(import.meta.dirname, "..", "..", "..", "engine", source), "utf8")).join("\n");
      for (const [key, honoured] of Object.entries(honouredKeys[scope])) {
        if (honoured.values !== undefined) continue;
        expect(text, `${scope} ${key} is honoured but never read`).toMatch(new RegExp(`read\\w*\\(config, "${key.replace(/\./g, "\\.")}"`));
      }
    }
  });
});
