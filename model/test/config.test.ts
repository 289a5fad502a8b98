import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  defaults,
  defaultsKafkaVersion,
  effectiveProducer,
  effectiveTopic,
  promises,
  validateConfiguration,
  validatePartitionChange,
  validateSetup,
} from "../index.js";

function refusal(action: () => unknown): ConfigurationError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

const topic = (replicationFactor: number, config: Record<string, number | string | boolean> = {}) => ({ name: "orders", partitions: 3, replicationFactor, config });

describe("defaults (Kafka 4.1)", () => {
  it("states the version and Kafka's defaults", () => {
    expect(defaultsKafkaVersion).toBe("4.1");
    expect(defaults.producer.acks).toBe("all");
    expect(defaults.producer["enable.idempotence"]).toBe(true);
    expect(defaults.producer["linger.ms"]).toBe(5);
    expect(defaults.producer.retries).toBe(2147483647);
    expect(defaults.producer["max.in.flight.requests.per.connection"]).toBe(5);
    expect(defaults.broker["min.insync.replicas"]).toBe(1);
    expect(defaults.topic["unclean.leader.election.enable"]).toBe(false);
    expect(defaults.consumer["isolation.level"]).toBe("read_uncommitted");
    expect(defaults.consumer["auto.offset.reset"]).toBe("latest");
  });
});

describe("validateConfiguration", () => {
  it("accepts Kafka's string forms and normalises them", () => {
    expect(validateConfiguration("producer", { acks: -1, retries: "3", "enable.idempotence": "true" })).toEqual({ acks: "all", retries: 3, "enable.idempotence": true });
  });

  it("refuses an unknown key, naming it and the allowed keys", () => {
    const error = refusal(() => validateConfiguration("producer", { ack: "all" }));
    expect(error.key).toBe("ack");
    expect(error.allowed).toContain("acks");
  });

  it("refuses a value of the wrong kind, naming key, value and what is allowed", () => {
    const error = refusal(() => validateConfiguration("producer", { acks: "2" }));
    expect([error.key, error.value, error.allowed]).toEqual(["acks", "2", "all, -1, 0, 1"]);
    expect(error.message).toMatch(/acks="2".*allowed: all, -1, 0, 1/);
    expect(refusal(() => validateConfiguration("consumer", { "isolation.level": "serializable" })).key).toBe("isolation.level");
  });

  it("refuses idempotence with acks other than all", () => {
    const error = refusal(() => validateConfiguration("producer", { "enable.idempotence": true, acks: "1" }));
    expect([error.key, error.value, error.allowed]).toEqual(["acks", "1", "all (or -1)"]);
  });

  it("refuses idempotence with more than 5 requests in flight, or retries=0", () => {
    expect(refusal(() => validateConfiguration("producer", { "enable.idempotence": true, "max.in.flight.requests.per.connection": 6 })).key).toBe("max.in.flight.requests.per.connection");
    expect(refusal(() => validateConfiguration("producer", { "enable.idempotence": true, retries: 0 })).key).toBe("retries");
  });

  it("refuses a transactional.id without idempotence, explicit or implied", () => {
    expect(refusal(() => validateConfiguration("producer", { "transactional.id": "t", "enable.idempotence": false })).key).toBe("transactional.id");
    expect(refusal(() => validateConfiguration("producer", { "transactional.id": "t", acks: "1" })).key).toBe("acks");
    expect(() => validateConfiguration("producer", { "transactional.id": "t" })).not.toThrow();
  });

  it("turns idempotence off silently only when the user left it unset", () => {
    expect(effectiveProducer({ acks: "1" }).idempotence).toBe(false);
    expect(effectiveProducer({ "max.in.flight.requests.per.connection": 10 }).idempotence).toBe(false);
    expect(effectiveProducer({}).idempotence).toBe(true);
  });
});

describe("validateSetup", () => {
  const clients = { "producer-0": { role: "producer", config: {} } };

  it("accepts a sound cluster", () => {
    expect(() => validateSetup({ brokers: 3, broker: {}, topics: [topic(3, { "min.insync.replicas": 2 })], clients })).not.toThrow();
  });

  it("refuses min.insync.replicas above the replication factor (topic or broker level)", () => {
    const onTopic = refusal(() => validateSetup({ brokers: 3, broker: {}, topics: [topic(2, { "min.insync.replicas": 3 })], clients }));
    expect([onTopic.where, onTopic.key, onTopic.value]).toEqual(["topics.orders.config", "min.insync.replicas", 3]);
    const onBroker = refusal(() => validateSetup({ brokers: 3, broker: { "min.insync.replicas": 3 }, topics: [topic(2)], clients }));
    expect(onBroker.where).toBe("broker");
  });

  it("refuses a replication factor above the broker count", () => {
    const error = refusal(() => validateSetup({ brokers: [1, 2], broker: {}, topics: [topic(3)], clients }));
    expect([error.key, error.value]).toEqual(["replicationFactor", 3]);
    expect(error.allowed).toContain("(2)");
  });

  it("validates each client's configuration with its role's keys", () => {
    const error = refusal(() => validateSetup({ brokers: 3, broker: {}, topics: [], clients: { c: { role: "consumer", config: { acks: "all" } } } }));
    expect([error.where, error.key]).toEqual(["clients.c.config", "acks"]);
  });

  it("refuses decreasing partitions", () => {
    expect(refusal(() => validatePartitionChange("orders", 6, 3)).message).toMatch(/partitions=3.*at least the current count \(6\)/);
    expect(() => validatePartitionChange("orders", 3, 6)).not.toThrow();
  });

  it("resolves topic settings over broker settings over Kafka defaults", () => {
    expect(effectiveTopic(topic(3), { "min.insync.replicas": 2 }).minInsyncReplicas).toBe(2);
    expect(effectiveTopic(topic(3, { "min.insync.replicas": 3 }), { "min.insync.replicas": 2 }).minInsyncReplicas).toBe(3);
    expect(effectiveTopic(topic(3), { "log.flush.interval.messages": 1 }).flushMessages).toBe(1);
  });
});

describe("promises", () => {
  const ids = (configuration: Parameters<typeof promises>[0]) => {
    const result = promises(configuration);
    return { promised: result.promised.map((entry) => entry.id), notPromised: result.notPromised.map((entry) => entry.id), result };
  };

  it("acks=1 promises D4's bounded loss, not D2", () => {
    const { promised, notPromised, result } = ids({ topic: topic(3, { "min.insync.replicas": 2 }), producer: { acks: "1" } });
    expect(promised).toContain("D4");
    expect(notPromised).toContain("D2");
    expect(notPromised).toContain("D3");
    expect(result.notPromised.find((entry) => entry.id === "D2")?.reason).toMatch(/acks=1/);
  });

  it("acks=all, RF 3, min ISR 2, clean elections promises D2 and (idempotent) D3 and O3", () => {
    const { promised, notPromised } = ids({ topic: topic(3, { "min.insync.replicas": 2 }), producer: {} });
    expect(promised).toEqual(expect.arrayContaining(["D2", "D3", "D5", "D6", "D7", "D8", "D9", "D10", "O1", "O2", "O3"]));
    // O4 is a non-promise for every configuration: nothing is ordered across partitions.
    expect(notPromised).toEqual(expect.arrayContaining(["D1", "D4", "O4"]));
  });

  it("min ISR 1 or unclean elections withdraw D2", () => {
    expect(ids({ topic: topic(3), producer: {} }).notPromised).toContain("D2");
    expect(ids({ topic: topic(3, { "min.insync.replicas": 2, "unclean.leader.election.enable": true }), producer: {} }).notPromised).toContain("D2");
  });

  it("acks=0 promises D1 and no acknowledged offset (D10)", () => {
    const { promised, notPromised } = ids({ topic: topic(3), producer: { acks: 0 } });
    expect(promised).toContain("D1");
    expect(notPromised).toEqual(expect.arrayContaining(["D2", "D10", "D3"]));
  });

  it("O3 needs idempotence, one request in flight, or no retries", () => {
    expect(ids({ topic: topic(3), producer: { "enable.idempotence": false } }).notPromised).toContain("O3");
    expect(ids({ topic: topic(3), producer: { "enable.idempotence": false, "max.in.flight.requests.per.connection": 1 } }).promised).toContain("O3");
  });

  it("lists every catalogue id exactly once", () => {
    const { promised, notPromised } = ids({ topic: topic(1), producer: {} });
    expect(new Set([...promised, ...notPromised]).size).toBe(31);
    expect(promised.length + notPromised.length).toBe(31);
  });
});
