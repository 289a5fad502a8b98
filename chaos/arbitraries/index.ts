export { scenarioArbitrary, scenarioPartsArbitrary, buildScenario, scenarioSize, formatScenarioSize } from "./scenario.js";
export type { ScenarioArbitraryOptions, ScenarioParts, BuildOptions, ScenarioSize } from "./scenario.js";
export { episodeArbitrary, episodeFaults, episodeKinds, defaultEpisodeKinds, undoKinds } from "./faults.js";
export type { FaultEpisode, EpisodeShape, FaultScheduleOptions } from "./faults.js";
export { workloadArbitrary, operationArbitrary } from "./workload.js";
export type { WorkloadOperation, WorkloadAction, WorkloadOptions } from "./workload.js";
export { parseIntensity, intensityBounds, intensityLevels } from "./intensity.js";
export { producerConfigSpaceArbitrary, producerPresetArbitrary } from "./config-space.js";
