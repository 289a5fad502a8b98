/**
 * Target factories by name, so properties and the CLI stay target-agnostic. The engine is always
 * registered; the kafka target is loaded from adapters/kafka/index.ts (which exports
 * `createKafkaTarget(options)`) the first time it is asked for, so engine-only runs never load kafkajs
 * and testcontainers.
 */
import type { PlantedBug } from "../engine/api.js";
import type { Target } from "../adapters/target.js";
import { createEngineTarget } from "../adapters/engine/index.js";

export interface TargetOptions {
  /** Engine only: bugs to switch on. A target that cannot plant bugs refuses a non-empty list. */
  readonly plantedBugs?: readonly PlantedBug[];
  /** Kafka only: multiplies every step's `at` (engine-timed scenarios need slower timing on real brokers). */
  readonly timeScale?: number;
}

export type TargetFactory = (options: TargetOptions) => Promise<Target>;

const factories = new Map<string, TargetFactory>();

export function registerTarget(name: string, factory: TargetFactory): void {
  factories.set(name, factory);
}

registerTarget("engine", async (options) => createEngineTarget(options.plantedBugs === undefined ? {} : { plantedBugs: options.plantedBugs }));

async function loadKafka(): Promise<void> {
  let module: { createKafkaTarget?: (options: TargetOptions) => Promise<Target> | Target };
  try {
    module = (await import("../adapters/kafka/index.js")) as typeof module;
  } catch (error) {
    throw new Error(`the kafka target is not available: adapters/kafka/index.ts could not be loaded (${(error as Error).message})`);
  }
  const create = module.createKafkaTarget;
  if (typeof create !== "function") throw new Error("adapters/kafka/index.ts does not export createKafkaTarget(options)");
  registerTarget("kafka", async (options) => {
    if ((options.plantedBugs?.length ?? 0) > 0) throw new Error("planted bugs exist only on the engine target");
    return create(options);
  });
}

export const knownTargetNames: readonly string[] = ["engine", "kafka"];

export async function createTarget(name: string, options: TargetOptions = {}): Promise<Target> {
  if (!factories.has(name) && name === "kafka") await loadKafka();
  const factory = factories.get(name);
  if (factory === undefined) throw new RangeError(`target ${JSON.stringify(name)} is not allowed; allowed: ${knownTargetNames.join(", ")}`);
  return factory(options);
}
