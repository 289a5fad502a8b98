/**
 * The engine's planted bugs with the guarantees each breaks as guarantee ids. The engine imports nothing
 * of ours, so its list says them as plain strings; here they are checked against the model's catalogue
 * once, at load, so a misspelt id is an error at start, never a silently unmatched string.
 */
import type { GuaranteeId } from "../model/index.js";
import { guaranteeCatalogue } from "../model/index.js";
import type { PlantedBug } from "../engine/api.js";
import { plantedBugs as engineBugs, type PlantedBugDescription } from "../engine/planted-bugs.js";

export interface PlantedBugEntry {
  readonly id: PlantedBug;
  readonly breaks: readonly GuaranteeId[];
  readonly does: string;
}

const catalogueIds = new Set<string>(guaranteeCatalogue.map((entry) => entry.id));

function isGuaranteeId(id: string): id is GuaranteeId {
  return catalogueIds.has(id);
}

/** The entries with their `breaks` as guarantee ids; throws naming the bug and the id that is none. */
export function typedPlantedBugs(descriptions: readonly PlantedBugDescription[]): PlantedBugEntry[] {
  return descriptions.map((bug) => {
    const breaks = bug.breaks.map((id) => {
      if (!isGuaranteeId(id)) throw new Error(`planted bug ${bug.id}: breaks ${JSON.stringify(id)}, which is not a guarantee id of the catalogue`);
      return id;
    });
    return { id: bug.id, breaks, does: bug.does };
  });
}

export const plantedBugCatalogue: readonly PlantedBugEntry[] = typedPlantedBugs(engineBugs);
