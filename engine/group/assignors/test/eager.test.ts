import { describe, expect, it } from "vitest";
import { assignorFor } from "../index.js";
import { counts, member, render } from "./support.js";

// The examples in the Javadoc of Java's RangeAssignor and RoundRobinAssignor.
describe("range", () => {
  const range = assignorFor("range");

  it("gives the first members one extra partition per topic (Javadoc example)", () => {
    const result = range.assign([member("C0", ["t0", "t1"]), member("C1", ["t0", "t1"])], counts({ t0: 3, t1: 3 }));
    expect(render(result)).toEqual({ C0: "t0-0 t0-1 t1-0 t1-1", C1: "t0-2 t1-2" });
  });

  it("orders static members by instance id ahead of dynamic members", () => {
    const result = range.assign(
      [member("A", ["t"]), member("B", ["t"], [], -1, "i2"), member("C", ["t"], [], -1, "i1")],
      counts({ t: 4 }),
    );
    expect(render(result)).toEqual({ C: "t-0 t-1", B: "t-2", A: "t-3" });
  });

  it("leaves members without partitions an empty entry and skips topics without metadata", () => {
    const result = range.assign([member("a", ["t", "missing"]), member("b", ["t"]), member("c", ["t"])], counts({ t: 2 }));
    expect(render(result)).toEqual({ a: "t-0", b: "t-1", c: "" });
  });
});

describe("roundrobin", () => {
  const roundRobin = assignorFor("roundrobin");

  it("deals partitions in turn (Javadoc example)", () => {
    const result = roundRobin.assign([member("C0", ["t0", "t1"]), member("C1", ["t0", "t1"])], counts({ t0: 3, t1: 3 }));
    expect(render(result)).toEqual({ C0: "t0-0 t0-2 t1-1", C1: "t0-1 t1-0 t1-2" });
  });

  it("skips members not subscribed to the topic (Javadoc example with unequal subscriptions)", () => {
    const result = roundRobin.assign(
      [member("C0", ["t0"]), member("C1", ["t0", "t1"]), member("C2", ["t0", "t1", "t2"])],
      counts({ t0: 1, t1: 2, t2: 3 }),
    );
    expect(render(result)).toEqual({ C0: "t0-0", C1: "t1-0", C2: "t1-1 t2-0 t2-1 t2-2" });
  });
});

describe("input validation", () => {
  it("refuses duplicate member ids, naming the id", () => {
    expect(() => assignorFor("range").assign([member("a", ["t"]), member("a", ["t"])], counts({ t: 1 }))).toThrow(/"a" appears twice/);
  });

  it("refuses a negative partition count, naming the topic", () => {
    expect(() => assignorFor("roundrobin").assign([member("a", ["t"])], counts({ t: -1 }))).toThrow(/topic "t" is -1/);
  });
});
