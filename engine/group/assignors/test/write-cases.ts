/**
 * Prints assignor cases as JSON lines, for scripts/assignor-oracle/: the fixture's cases, or with
 * `--wide SEED COUNT` a wider random sweep.
 */
import { generateCases, generateWideCases } from "./java-cases.js";

const [mode, seed, count] = process.argv.slice(2);
const cases = mode === "--wide" ? generateWideCases(Number(seed), Number(count)) : generateCases();
if (mode !== undefined && mode !== "--wide") throw new Error(`write-cases: unknown argument ${mode}; allowed: --wide SEED COUNT`);
for (const testCase of cases) process.stdout.write(`${JSON.stringify(testCase)}\n`);
