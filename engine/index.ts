/** The engine's entry point: a deterministic, in-process, simulated Kafka cluster. */
import type { Simulation, SimulationOptions } from "./api.js";
import { EngineSimulation } from "./simulation.js";

export type * from "./api.js";
export { plantedBugs, describePlantedBug, type PlantedBugDescription } from "./planted-bugs.js";
export { murmur2, murmur2OfString, partitionForKey, toPositive } from "./client/murmur2.js";
export { EngineUsageError } from "./api.js";
export { InvariantViolation } from "./simulation/assert.js";

export function createSimulation(options: SimulationOptions): Simulation {
  return new EngineSimulation(options);
}
