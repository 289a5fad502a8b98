/**
 * Whether the Kafka target can run a scenario at all, decided before any container starts: faults
 * containers cannot apply (power loss) and client configurations kafkajs cannot express
 * (partitioner.ignore.keys, compression; for group consumers KIP-848, static membership, every
 * assignor but round robin, auto.offset.reset=none: client-config.ts groupSettings) are refused with
 * the reason, so a caller such as `compare` can print "not runnable on kafka: <why>" instead of
 * starting a cluster to fail half-way.
 */
import type { ClientSpec, Scenario } from "../../chaos/scenario.js";
import { validateScenarioShape } from "../../chaos/validate.js";
import { formatProblem } from "../../chaos/problem.js";
import { kafkaSupportedFaults } from "./nemesis.js";
import { consumerSettings, groupSettings, isGroupConsumer, producerSettings } from "./client-config.js";

/** Why a fault kind cannot be applied to containers; the kinds missing from kafkaSupportedFaults. */
const unsupportedFaultReasons: Readonly<Record<string, string>> = {
  "power-loss": "power loss cannot be applied to containers (a killed container keeps the host's page cache, so unflushed writes survive)",
};

/** The reason the Kafka target cannot run `scenario`, or null when it can. */
export function kafkaCannotRun(scenario: Scenario): string | null {
  const faultKinds = new Set(scenario.steps.flatMap((step) => (step.op === "fault" ? [step.fault.kind] : [])));
  for (const kind of faultKinds) {
    if (!kafkaSupportedFaults.has(kind)) return unsupportedFaultReasons[kind] ?? `fault kind '${kind}' is not supported on containers`;
  }
  for (const client of scenario.clients) {
    const problem = kafkaClientProblem(client);
    if (problem !== null) return problem;
  }
  const groupProblem = kafkaGroupProblem(scenario);
  if (groupProblem !== null) return groupProblem;
  const problems = validateScenarioShape(scenario, kafkaSupportedFaults);
  if (problems.length > 0) return problems.map(formatProblem).join("; ");
  return null;
}

/** Why kafkajs cannot run this client's configuration, or null when it can. */
export function kafkaClientProblem(client: ClientSpec): string | null {
  try {
    if (client.role === "producer") producerSettings(client.id, client.config);
    else if (isGroupConsumer(client)) groupSettings(client);
    else consumerSettings(client.id, client.config);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * What a scenario asks of its groups that kafkajs cannot do: assign or seek on a group consumer (the
 * target maps subscribe only), a second subscribe (a restart subscribes again by itself), and members
 * of one group following different topics (kafkajs's round-robin assignor deals every subscribed
 * topic's partitions to every member, as if all followed the same topics).
 */
export function kafkaGroupProblem(scenario: Scenario): string | null {
  const grouped = new Map(scenario.clients.filter(isGroupConsumer).map((client) => [client.id, String(client.config["group.id"])]));
  const topicsOfGroup = new Map<string, string>();
  const subscribed = new Set<string>();
  for (const step of scenario.steps) {
    if (step.op !== "assign" && step.op !== "seek" && step.op !== "subscribe") continue;
    const group = grouped.get(step.client);
    if (group === undefined) continue;
    if (step.op !== "subscribe") return `${step.client}: a ${step.op} step on a group consumer is not supported on kafka (a group consumer subscribes; its partitions come from the group)`;
    if (subscribed.has(step.client)) return `${step.client}: a second subscribe step is not supported on kafka (a restart subscribes again by itself)`;
    subscribed.add(step.client);
    const topics = [...new Set(step.topics)].sort().join(",");
    const earlier = topicsOfGroup.get(group);
    if (earlier !== undefined && earlier !== topics) return `group ${group}: members subscribe to [${earlier}] and [${topics}]; kafkajs's round-robin assignor assumes every member follows the same topics`;
    topicsOfGroup.set(group, topics);
  }
  return null;
}
