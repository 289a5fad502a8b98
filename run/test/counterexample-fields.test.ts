/** Counterexample files are validated field by field: file, field, problem; never a TypeError later. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CounterexampleError, NotACounterexampleError, validateCounterexampleFields } from "../counterexample-fields.js";

const saved = join(import.meta.dirname, "..", "..", "fixtures", "counterexamples");
const [firstFile] = readdirSync(saved).filter((name) => name.endsWith(".json"));
const good = JSON.parse(readFileSync(join(saved, firstFile ?? ""), "utf8")) as Record<string, unknown>;

function problem(value: unknown): string {
  try {
    validateCounterexampleFields("c.json", value);
  } catch (error) {
    if (error instanceof CounterexampleError) return error.message;
    throw error;
  }
  return "accepted";
}

describe("counterexample fields", () => {
  test("every saved counterexample is valid", () => {
    for (const name of readdirSync(saved).filter((file) => file.endsWith(".json"))) expect(problem(JSON.parse(readFileSync(join(saved, name), "utf8"))), name).toBe("accepted");
  });

  test("each field is checked and named", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, scenario: undefined }, "c.json: field 'scenario': missing; expected: the scenario object"],
      [{ ...good, target: "redpanda" }, `c.json: field 'target': "redpanda" is not allowed; allowed: engine, kafka`],
      [{ ...good, plantedBugs: ["early-akc"] }, `c.json: field 'plantedBugs[0]': "early-akc" is not allowed; did you mean "early-ack"?`],
      [{ ...good, violated: "D2" }, `c.json: field 'violated': "D2" is not allowed; expected: a list of guarantee ids`],
      [{ ...good, allowed: ["Q7"] }, `c.json: field 'allowed[0]': "Q7" is not allowed`],
      [{ ...good, description: 3 }, "c.json: field 'description': 3 is not allowed; expected: a string"],
      [{ ...good, fastCheck: { seed: "one" } }, `c.json: field 'fastCheck.seed': "one" is not allowed; expected: an integer`],
      [{ ...good, historySha256: "abc" }, `c.json: field 'historySha256': "abc" is not allowed; expected: 64 lowercase hex digits`],
      [{ ...good, version: 2 }, `c.json: field 'version': 2 is not allowed; kind must be "kafka-harness-counterexample" with version 1`],
      [{ ...good, scenario: { ...(good.scenario as object), steps: "none" } }, "c.json: field 'scenario.steps': \"none\" is not allowed; expected: a list"],
      [{ ...good, scenario: { ...(good.scenario as object), seed: -4 } }, "c.json: field 'scenario.seed': -4 is not allowed; allowed: an integer in 0..4294967295"],
    ];
    for (const [value, message] of cases) expect(problem(value)).toContain(message);
  });

  test("several problems are listed one per line", () => {
    const message = problem({ ...good, target: "x", description: 1 });
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toContain("\n  c.json: field 'target'");
  });

  test("a history header says which command reads it", () => {
    expect(() => validateCounterexampleFields("h.json", { kind: "kafka-harness-history", version: 1 })).toThrow(NotACounterexampleError);
    expect(problem([1, 2])).toContain("c.json: field '(file)': [1,2] is not allowed; expected: a JSON object");
  });
});
