/**
 * The configuration presets as the model's promises table sees them: one column per preset and
 * producer (a preset that draws several producer configurations has a column for each), so the table
 * in model/README.md and docs/guarantees.md describes exactly what `verify --config <name>` runs.
 */
import type { PromisePreset } from "../../model/index.js";
import { configurationPresets, presetProducerConfigs } from "./index.js";

/** "mixed" draws every producer preset: its columns would repeat the others'. */
const tabulated = (name: string): boolean => name !== "mixed";

export function promisePresets(): PromisePreset[] {
  const columns: PromisePreset[] = [];
  for (const preset of Object.values(configurationPresets)) {
    if (!tabulated(preset.name)) continue;
    const producers = presetProducerConfigs(preset);
    producers.forEach((producer, index) => {
      const name = producers.length === 1 ? preset.name : `${preset.name} (${preset.producers[index] ?? index})`;
      // A group preset's consumers decide the C rows: their configuration and commit mode.
      const group = preset.group === undefined ? {} : { consumer: { ...preset.group.consumer, "group.id": "group-a" }, commitMode: preset.group.commitMode };
      columns.push({ name, configuration: { kafkaVersion: preset.cluster.kafkaVersion, broker: preset.cluster.broker, topic: preset.topic, producer, ...group } });
    });
  }
  return columns;
}
