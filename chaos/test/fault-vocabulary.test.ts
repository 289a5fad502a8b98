/**
 * The fault vocabulary (chaos/fault.ts) and the names a history may carry (model/history/shape.ts)
 * are kept in two places on purpose (the model imports nothing of ours); this test ties them.
 */
import { describe, expect, test } from "vitest";
import { allFaultKinds, type Fault, type FaultKind } from "../fault.js";
import { nemesisFunction } from "../describe-fault.js";
import { nemesisFunctions } from "../../model/index.js";

/** One fault of each kind, with placeholder targets: only its kind matters for the name. */
function sample(kind: FaultKind): Fault {
  switch (kind) {
    case "isolate-leader":
    case "kill-leader":
      return { kind, topic: "t", partition: 0 };
    case "split":
      return { kind, minority: ["broker-1"] };
    case "one-way":
      return { kind, from: ["broker-1"], to: ["broker-2"] };
    case "bridge":
      return { kind, bridge: "broker-2", left: ["broker-1"], right: ["broker-3"] };
    case "cut-client":
      return { kind, client: "producer-0", node: "broker-1" };
    case "kill-coordinator":
      return { kind, group: "g" };
    case "heal":
      return { kind };
    default:
      return { kind, node: "broker-1" };
  }
}

describe("fault vocabulary and history names", () => {
  test("every fault kind is recorded under a name the model accepts", () => {
    for (const kind of allFaultKinds) expect(nemesisFunctions, kind).toContain(nemesisFunction(sample(kind)));
  });

  test("every name the model accepts is a fault kind, or the resolved name of one", () => {
    const recorded = new Set(allFaultKinds.map((kind) => nemesisFunction(sample(kind))));
    for (const name of nemesisFunctions) expect(allFaultKinds.includes(name as FaultKind) || recorded.has(name), name).toBe(true);
  });
});
