import { describe, expect, test } from "vitest";
import { plantedBugCatalogue, typedPlantedBugs } from "../planted-bugs.js";

describe("planted bugs as guarantee ids", () => {
  test("every planted bug breaks guarantees of the catalogue", () => {
    expect(plantedBugCatalogue.length).toBeGreaterThan(0);
    for (const bug of plantedBugCatalogue) expect(bug.breaks.length).toBeGreaterThan(0);
  });

  test("a bug that names an id the catalogue does not have is refused, naming both", () => {
    expect(() => typedPlantedBugs([{ id: "early-ack", breaks: ["D2", "Z9"], does: "" }])).toThrow(/planted bug early-ack: breaks "Z9"/);
  });
});
