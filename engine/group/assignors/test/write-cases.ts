/** Prints the generated assignor cases as JSON lines, for scripts/assignor-oracle/regenerate.sh. */
import { generateCases } from "./java-cases.js";

for (const testCase of generateCases()) process.stdout.write(`${JSON.stringify(testCase)}\n`);
