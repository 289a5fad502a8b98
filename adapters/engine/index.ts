/** The engine target, wired to the engine's `createSimulation`. */
import { createSimulation } from "../../engine/index.js";
import { EngineTarget, type EngineTargetOptions } from "./target.js";

export { EngineTarget } from "./target.js";
export type { EngineTargetOptions, SimulationFactory } from "./target.js";
export { refuseUnmodelled, unmodelledKeys, scenarioSites, UnmodelledConfigurationError, type ConfigurationSite, type UnmodelledKey } from "./unmodelled.js";

export function createEngineTarget(options: EngineTargetOptions = {}): EngineTarget {
  return new EngineTarget(createSimulation, options);
}
