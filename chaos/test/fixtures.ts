/** A small valid scenario the chaos tests mutate one field at a time. */
import type { Scenario } from "../scenario.js";

export const validScenario: Scenario = {
  name: "small",
  seed: 7,
  cluster: { brokers: 3, controllers: 0, kafkaVersion: "4.1", broker: {} },
  topics: [{ name: "events", partitions: 2, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
  clients: [
    { id: "producer-0", role: "producer", config: { acks: "all" } },
    { id: "consumer-0", role: "consumer", config: {} },
  ],
  steps: [
    { at: 0, op: "assign", client: "consumer-0", partitions: [{ topic: "events", partition: 0 }, { topic: "events", partition: 1 }] },
    { at: 0, op: "seek", client: "consumer-0", topic: "events", partition: 1, offset: 0 },
    { at: 5, op: "send", client: "producer-0", topic: "events", key: "k0", value: "v0" },
    { at: 10, op: "fault", fault: { kind: "kill-leader", topic: "events", partition: 0 } },
    { at: 20, op: "send", client: "producer-0", topic: "events", key: null, value: "v1", partition: 1 },
    { at: 30, op: "poll", client: "consumer-0" },
    { at: 40, op: "fault", fault: { kind: "cut-client", client: "producer-0", node: "broker-2" } },
    { at: 50, op: "fault", fault: { kind: "heal" } },
  ],
  finale: { quietMs: 1000 },
};
