/**
 * docs/architecture.md's rules, checked on the code: data flows one way (scenario -> target -> history
 * -> model -> verdict), so a folder imports only the folders its row allows, and no source file
 * imports tests (properties/) or test data (fixtures/). Read from the import statements themselves
 * (static and dynamic), so a new backwards import fails here, naming the file and the import.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Which top-level folders each folder may import (itself always). Tests are checked apart. */
const allowed: Readonly<Record<string, readonly string[]>> = {
  model: [],
  engine: [],
  chaos: ["model"],
  adapters: ["model", "engine", "chaos"],
  run: ["model", "engine", "chaos", "adapters"],
  cli: ["model", "engine", "chaos", "adapters", "run"],
  bench: ["model", "engine", "chaos", "adapters", "run"],
  docs: ["model", "engine", "chaos", "adapters", "run", "cli"],
  properties: ["model", "engine", "chaos", "adapters", "run", "cli"],
};

function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name === "node_modules" || name.startsWith(".") || name === "runs") continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (name.endsWith(".ts")) found.push(path);
  }
  return found;
}

function isTest(file: string): boolean {
  return /\.test\.ts$/.test(file) || file.split("/").includes("test");
}

interface Import {
  readonly file: string;
  readonly target: string;
  readonly folder: string;
}

function importsOf(file: string, text = readFileSync(file, "utf8")): Import[] {
  const found: Import[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = normalize(join(dirname(file), match[1] as string));
    const folder = relative(root, target).split("/")[0] ?? "";
    found.push({ file: relative(root, file), target: relative(root, target), folder });
  }
  return found;
}

const files = Object.keys(allowed).flatMap((folder) => sourceFiles(join(root, folder)));

/** The imports of one file that its folder may not make. */
function backwards(file: string, text?: string): string[] {
  const own = relative(root, file).split("/")[0] ?? "";
  return importsOf(file, text)
    .filter((entry) => entry.folder !== own && entry.folder in allowed && !(allowed[own] ?? []).includes(entry.folder))
    .map((entry) => `${entry.file} (${own}/) imports ${entry.target}`);
}

describe("architecture", () => {
  test("no source file imports tests (properties/) or test data (fixtures/)", () => {
    const offending = files
      .filter((file) => !isTest(file) && !relative(root, file).startsWith("properties/"))
      .flatMap((file) => importsOf(file))
      .filter((entry) => entry.folder === "properties" || entry.folder === "fixtures")
      .map((entry) => `${entry.file} imports ${entry.target}`);
    expect(offending).toEqual([]);
  });

  test("every folder imports only the folders docs/architecture.md allows it (nothing reaches back up the data flow)", () => {
    expect(files.filter((file) => !isTest(file)).flatMap((file) => backwards(file))).toEqual([]);
  });

  test("outside the model, the model is imported through model/index.ts only", () => {
    const offending = files
      .filter((file) => !relative(root, file).startsWith("model/"))
      .flatMap((file) => importsOf(file))
      .filter((entry) => entry.folder === "model" && entry.target !== "model/index.js")
      .map((entry) => `${entry.file} imports ${entry.target}`);
    expect(offending).toEqual([]);
  });

  test("the rules bite: a backwards import (the model importing chaos, the engine importing the model) is caught", () => {
    expect(backwards(join(root, "model", "checker", "made-up.ts"), 'import { allFaultKinds } from "../../chaos/fault.js";')).toHaveLength(1);
    expect(backwards(join(root, "engine", "made-up.ts"), 'const model = await import("../model/index.js");')).toHaveLength(1);
    expect(backwards(join(root, "cli", "made-up.ts"), 'import { checkHistory } from "../model/index.js";')).toEqual([]);
  });
});
