import { describe, expect, test } from "vitest";
import { linksCutBy } from "../links.js";

const nodes = ["broker-1", "broker-2", "broker-3", "controller-1"];

function sorted(links: readonly (readonly [string, string])[]): string[] {
  return links.map(([from, to]) => `${from}>${to}`).sort();
}

describe("linksCutBy", () => {
  test("isolate cuts the node from every other node both ways", () => {
    expect(sorted(linksCutBy({ kind: "isolate", node: "broker-2" }, nodes))).toEqual(
      ["broker-2>broker-1", "broker-1>broker-2", "broker-2>broker-3", "broker-3>broker-2", "broker-2>controller-1", "controller-1>broker-2"].sort(),
    );
  });

  test("split cuts minority from majority only", () => {
    const links = linksCutBy({ kind: "split", minority: ["broker-1"] }, nodes);
    expect(links).toHaveLength(6);
    expect(links.every(([from, to]) => from === "broker-1" || to === "broker-1")).toBe(true);
  });

  test("one-way is directed", () => {
    expect(sorted(linksCutBy({ kind: "one-way", from: ["broker-1"], to: ["broker-2", "broker-3"] }, nodes))).toEqual(["broker-1>broker-2", "broker-1>broker-3"]);
  });

  test("bridge keeps the bridge connected to both halves", () => {
    const links = linksCutBy({ kind: "bridge", bridge: "broker-2", left: ["broker-1"], right: ["broker-3"] }, nodes);
    expect(sorted(links)).toEqual(["broker-1>broker-3", "broker-3>broker-1"]);
  });

  test("isolate-leader uses the resolved leader, none without one", () => {
    expect(linksCutBy({ kind: "isolate-leader", topic: "t", partition: 0 }, nodes, "broker-3")).toHaveLength(6);
    expect(linksCutBy({ kind: "isolate-leader", topic: "t", partition: 0 }, nodes, null)).toEqual([]);
  });

  test("unknown nodes are refused with the allowed names", () => {
    expect(() => linksCutBy({ kind: "isolate", node: "broker-9" }, nodes)).toThrow(/broker-9.*allowed: broker-1/);
    expect(() => linksCutBy({ kind: "one-way", from: ["broker-1"], to: ["nobody"] }, nodes)).toThrow(/one-way.to/);
  });
});
