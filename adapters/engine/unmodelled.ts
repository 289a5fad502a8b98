/**
 * The engine target's refusal of configuration it does not model: every key of Kafka's catalogue
 * that engine/honoured-keys.ts does not list (or lists only at other values) is refused before
 * anything runs, naming the key, where it was given, and what the engine does model. Real Kafka
 * honours every key; only this target refuses.
 */
import type { ConfigMap } from "../../model/index.js";
import type { Scenario } from "../../chaos/scenario.js";
import { ScenarioError, type ScenarioProblem } from "../../chaos/problem.js";
import { honouredKeys, unmodelledBecause, type EngineScope } from "../../engine/honoured-keys.js";

export interface ConfigurationSite {
  /** For people: `broker`, `topic 'events'`, `client producer-0`. */
  readonly where: string;
  /** Path into the scenario: `cluster.broker`, `topics[0].config`, `clients[1].config`. */
  readonly field: string;
  readonly scope: EngineScope;
  readonly config: ConfigMap;
}

export interface UnmodelledKey {
  readonly site: ConfigurationSite;
  readonly key: string;
  readonly value: unknown;
  /** One sentence: "not modelled by the engine (why); the engine models ...". */
  readonly explanation: string;
}

export function scenarioSites(scenario: Scenario): ConfigurationSite[] {
  return [
    { where: "broker", field: "cluster.broker", scope: "broker", config: scenario.cluster.broker },
    ...scenario.topics.map((topic, index): ConfigurationSite => ({ where: `topic '${topic.name}'`, field: `topics[${index}].config`, scope: "topic", config: topic.config })),
    ...scenario.clients.map((client, index): ConfigurationSite => ({ where: `client ${client.id}`, field: `clients[${index}].config`, scope: client.role, config: client.config })),
  ];
}

function explain(scope: EngineScope, key: string, value: unknown): string | undefined {
  const honoured = honouredKeys[scope][key];
  if (honoured === undefined) {
    const why = unmodelledBecause[key];
    return `not modelled by the engine${why === undefined ? "" : ` (${why})`}; the engine models these ${scope} keys: ${Object.keys(honouredKeys[scope]).join(", ")}`;
  }
  if (honoured.values === undefined || honoured.values.includes(value as never)) return undefined;
  const modelled = [...new Set(honoured.values.map(String))].map((allowed) => `${key}=${allowed}`).join(" or ");
  return `not modelled by the engine at this value${honoured.because === undefined ? "" : ` (${honoured.because})`}; the engine models only ${modelled}`;
}

export function unmodelledKeys(sites: readonly ConfigurationSite[]): UnmodelledKey[] {
  const found: UnmodelledKey[] = [];
  for (const site of sites) {
    for (const [key, value] of Object.entries(site.config)) {
      const explanation = explain(site.scope, key, value);
      if (explanation !== undefined) found.push({ site, key, value, explanation });
    }
  }
  return found;
}

/** Bad input (exit 2): the configuration asks for behaviour the engine cannot show. */
export class UnmodelledConfigurationError extends ScenarioError {
  readonly keys: readonly UnmodelledKey[];

  constructor(keys: readonly UnmodelledKey[]) {
    const problems: ScenarioProblem[] = keys.map((entry) => ({ field: `${entry.site.field}.${entry.key}`, value: entry.value, allowed: entry.explanation }));
    super(problems);
    this.name = "UnmodelledConfigurationError";
    this.keys = keys;
    this.message = [
      "the engine target cannot honour this configuration:",
      ...keys.map((entry) => `  - ${entry.site.where}: ${entry.key}=${JSON.stringify(entry.value)}: ${entry.explanation}`),
      "Remove the key, or run on real Kafka (--target kafka), which honours every key.",
    ].join("\n");
  }
}

/** Throws UnmodelledConfigurationError when any site sets a key the engine does not model. */
export function refuseUnmodelled(sites: readonly ConfigurationSite[]): void {
  const keys = unmodelledKeys(sites);
  if (keys.length > 0) throw new UnmodelledConfigurationError(keys);
}
