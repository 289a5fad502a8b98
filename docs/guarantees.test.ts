import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { guaranteeDocument } from "./guarantee-document.js";
import { promisesTableMarkdown } from "../model/index.js";
import { promisePresets } from "../chaos/presets/promise-presets.js";

describe("docs/guarantees.md", () => {
  test("is what the code generates (run `npm run docs` after changing promises, cases or planted bugs)", () => {
    const onDisk = readFileSync(fileURLToPath(new URL("./guarantees.md", import.meta.url)), "utf8");
    expect(onDisk).toBe(guaranteeDocument());
  });

  test("every guarantee the model checks has a holds property and teeth (a weaker configuration or a planted bug)", () => {
    const document = guaranteeDocument();
    const catalogueTable = document.slice(0, document.indexOf("## Which configuration"));
    const rows = catalogueTable.split("\n").filter((line) => /^\| [DO]\d+ \|/.test(line));
    expect(rows.length).toBe(14);
    // O4 promises nothing (no order across partitions); its teeth are in the model's own tests: a
    // cross-partition inversion must NOT be flagged (model/test/anomalies.test.ts).
    const toothless = rows.filter((row) => {
      const cells = row.split("|").map((cell) => cell.trim());
      // cells: "", id, name, checked, holds, teeth, bugs, ""
      if (cells[1] === "O4") return false;
      return cells[4] === "-" || (cells[5] === "-" && cells[6] === "-");
    });
    expect(toothless).toEqual([]);
  });
  test("model/README.md carries the promises table of the one preset catalogue (what verify --config runs)", () => {
    const readme = readFileSync(fileURLToPath(new URL("../model/README.md", import.meta.url)), "utf8");
    expect(readme).toContain(promisesTableMarkdown(promisePresets()));
  });
});
