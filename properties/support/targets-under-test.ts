/** The targets the property files run on: the engine always; kafka as well when HARNESS_TARGET names it. */
import type { Target } from "../../adapters/target.js";
import { createTarget, type TargetOptions } from "../../run/targets.js";
import { harnessTargetNames } from "./environment.js";

export async function targetsUnderTest(options: TargetOptions = {}): Promise<Target[]> {
  const targets: Target[] = [];
  for (const name of harnessTargetNames()) targets.push(await createTarget(name, options));
  return targets;
}
