/**
 * The promises of each configuration as a Markdown table (ids down, configurations across), for
 * model/README.md and docs/guarantees.md. The configurations come from the one preset catalogue
 * (chaos/presets), passed in: the model imports nothing of ours.
 */
import { guaranteeCatalogue } from "../catalogue.js";
import { promises, type GuaranteeConfiguration } from "./promises.js";

export interface PromisePreset {
  readonly name: string;
  readonly configuration: GuaranteeConfiguration;
}

export function promisesTableMarkdown(presets: readonly PromisePreset[]): string {
  const columns = presets.map((preset) => ({ name: preset.name, promised: new Set(promises(preset.configuration).promised.map((entry) => entry.id)) }));
  const lines = [
    `| id | guarantee | ${columns.map((column) => column.name).join(" | ")} |`,
    `|---|---|${columns.map(() => "---").join("|")}|`,
  ];
  for (const entry of guaranteeCatalogue) {
    if (!entry.checked) continue;
    const cells = columns.map((column) => (column.promised.has(entry.id) ? "yes" : "no"));
    lines.push(`| ${entry.id} | ${entry.name} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
