/** Scenario arbitraries for a named configuration preset, as the properties and `verify` use them. */
import type fc from "fast-check";
import type { FaultKind } from "../fault.js";
import type { Scenario } from "../scenario.js";
import { scenarioArbitrary } from "./scenario.js";
import { defaultEpisodeKinds, faultKindsOfGroupEpisode, groupEpisodeKinds, type GroupEpisodeKind } from "./faults.js";
import { producerPresetArbitrary } from "./config-space.js";
import { configurationPresets, presetProducerConfigs, type ConfigurationPreset } from "../presets/index.js";

export interface PresetArbitraryOptions {
  readonly name?: string;
  readonly consumers?: number;
  readonly faultKinds?: readonly FaultKind[];
  readonly intensity?: number;
  readonly maxOperations?: number;
  readonly maxProducers?: number;
  readonly pollWeight?: number;
  /** Fault kinds the target supports; kinds outside it are never drawn. */
  readonly supportedFaults?: ReadonlySet<FaultKind>;
  /** Whether the target cuts one client's link alone (Target.singleClientLinks). */
  readonly singleClientLinks?: boolean;
  /** Group episodes for a group preset (default: every group episode the target supports). */
  readonly groupFaultKinds?: readonly GroupEpisodeKind[];
}

export function presetByName(name: string): ConfigurationPreset {
  const preset = configurationPresets[name];
  if (preset === undefined) throw new RangeError(`configuration preset ${JSON.stringify(name)} is not allowed; allowed: ${Object.keys(configurationPresets).join(", ")}`);
  return preset;
}

export function presetScenarioArbitrary(preset: ConfigurationPreset, options: PresetArbitraryOptions = {}): fc.Arbitrary<Scenario> {
  const configs = presetProducerConfigs(preset);
  const named = Object.fromEntries(configs.map((config, index) => [String(index), config]));
  const supported = (kind: FaultKind): boolean => options.supportedFaults === undefined || options.supportedFaults.has(kind);
  const kinds = (options.faultKinds ?? defaultEpisodeKinds).filter(supported);
  const group = preset.group;
  const groupKinds = (options.groupFaultKinds ?? groupEpisodeKinds).filter((kind) => faultKindsOfGroupEpisode[kind].every(supported));
  return scenarioArbitrary({
    name: options.name ?? preset.name,
    cluster: preset.cluster,
    topic: preset.topic,
    producerConfig: producerPresetArbitrary(named, Object.keys(named)),
    maxProducers: options.maxProducers ?? 3,
    // A group preset's consumers are its members (and the second group's one); they poll often, as real loops do.
    maxConsumers: options.consumers ?? (group === undefined ? 1 : group.members + (group.otherGroup ? 1 : 0)),
    keys: 3,
    maxOperations: options.maxOperations ?? (group === undefined ? 25 : 40),
    pollWeight: options.pollWeight ?? (group === undefined ? 1 : 4),
    ...(group === undefined ? {} : { group, groupFaultKinds: groupKinds }),
    ...(preset.consumer === undefined ? {} : { consumerConfig: preset.consumer }),
    ...(preset.transactions === undefined ? {} : { transactions: preset.transactions }),
    intensity: options.intensity ?? 0.5,
    faultKinds: kinds,
    ...(options.singleClientLinks === undefined ? {} : { singleClientLinks: options.singleClientLinks }),
  });
}
