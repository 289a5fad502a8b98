/**
 * `npm run bench`: throughput figures for the checker, the engine, and chaos scenarios on the engine.
 * Figures are printed, never asserted: timing thresholds belong in no unit test.
 * `npm run bench -- checker` (or engine, scenarios) runs one part.
 */
import { benchChecker } from "./checker.js";
import { benchEngine } from "./engine.js";
import { benchScenarios } from "./scenarios.js";

const parts: Record<string, () => Promise<void>> = {
  checker: benchChecker,
  engine: benchEngine,
  scenarios: benchScenarios,
};

const requested = process.argv.slice(2);
for (const name of requested) {
  if (!(name in parts)) {
    console.error(`bench: unknown part '${name}'; allowed: ${Object.keys(parts).join(", ")}`);
    process.exit(2);
  }
}
for (const [name, run] of Object.entries(parts)) {
  if (requested.length > 0 && !requested.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
