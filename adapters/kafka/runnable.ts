/**
 * Whether the Kafka target can run a scenario at all, decided before any container starts: faults
 * containers cannot apply (power loss) and client configurations kafkajs cannot express
 * (partitioner.ignore.keys, compression) are refused with the reason, so a caller such as `compare`
 * can print "not runnable on kafka: <why>" instead of starting a cluster to fail half-way.
 */
import type { ClientSpec, Scenario } from "../../chaos/scenario.js";
import { validateScenarioShape } from "../../chaos/validate.js";
import { formatProblem } from "../../chaos/problem.js";
import { kafkaSupportedFaults } from "./nemesis.js";
import { consumerSettings, producerSettings } from "./client-config.js";

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
  const problems = validateScenarioShape(scenario, kafkaSupportedFaults);
  if (problems.length > 0) return problems.map(formatProblem).join("; ");
  return null;
}

/** Why kafkajs cannot run this client's configuration, or null when it can. */
export function kafkaClientProblem(client: ClientSpec): string | null {
  try {
    if (client.role === "producer") producerSettings(client.id, client.config);
    else consumerSettings(client.id, client.config);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
