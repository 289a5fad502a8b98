/** The promises of each preset as a Markdown table (ids down, presets across), for model/README.md. */
import { guaranteeCatalogue } from "../catalogue.js";
import { presets as defaultPresets, type Preset } from "./presets.js";
import { promises } from "./promises.js";

export function promisesTableMarkdown(presets: readonly Preset[] = defaultPresets): string {
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
