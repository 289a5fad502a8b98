/**
 * The history header every target writes: the scenario's configuration (cluster, topics with their
 * replica assignment, every client and the final reader), the client library that recorded it, and the
 * scenario's name and seed, so `check history.jsonl` needs nothing else. One function, so the engine
 * and Kafka cannot describe the same scenario differently.
 */
import type { ClientDescription, HistoryHeader, TopicDescription } from "../../model/index.js";
import type { Scenario } from "../../chaos/scenario.js";
import { finalCommittedReaderConfig, finalCommittedReaderProcess, finalReaderConfig, finalReaderProcess } from "./processes.js";
import { isTransactionalProducer } from "../../chaos/validate.js";

export interface HeaderFacts {
  readonly target: "engine" | "kafka";
  readonly client: { readonly name: string; readonly version: string };
  readonly brokers: readonly number[];
  /** Replica broker ids per partition, by topic name, where the target knows them. */
  readonly assignments: ReadonlyMap<string, readonly (readonly number[])[]>;
}

export function historyHeader(scenario: Scenario, facts: HeaderFacts): HistoryHeader {
  const topics: TopicDescription[] = scenario.topics.map((topic) => {
    const assignment = facts.assignments.get(topic.name);
    return {
      name: topic.name,
      partitions: topic.partitions,
      replicationFactor: topic.replicationFactor,
      config: topic.config,
      ...(assignment === undefined ? {} : { assignment: assignment.map((replicas) => [...replicas]) }),
    };
  });
  const clients: Record<string, ClientDescription> = {};
  for (const client of scenario.clients) clients[client.id] = { role: client.role, config: client.config, ...(client.commitMode === undefined ? {} : { commitMode: client.commitMode }) };
  clients[finalReaderProcess] = { role: "reader", config: finalReaderConfig };
  if (scenario.clients.some(isTransactionalProducer)) clients[finalCommittedReaderProcess] = { role: "reader", config: finalCommittedReaderConfig };
  return {
    kind: "kafka-harness-history",
    version: 1,
    target: facts.target,
    client: facts.client,
    kafkaVersion: scenario.cluster.kafkaVersion,
    brokers: [...facts.brokers],
    broker: scenario.cluster.broker,
    topics,
    clients,
    scenario: scenario.name,
    seed: String(scenario.seed),
  };
}
