import { describe, expect, it } from "vitest";
import { assignorFor, assignorNameFor, assignorNamesFor } from "../index.js";

describe("partition.assignment.strategy", () => {
  it("maps short names and Java class names", () => {
    expect(assignorNameFor("range")).toBe("range");
    expect(assignorNameFor("org.apache.kafka.clients.consumer.RoundRobinAssignor")).toBe("roundrobin");
    expect(assignorNameFor(" org.apache.kafka.clients.consumer.StickyAssignor ")).toBe("sticky");
    expect(assignorNameFor("org.apache.kafka.clients.consumer.CooperativeStickyAssignor")).toBe("cooperative-sticky");
  });

  it("maps Java's default list in order", () => {
    expect(assignorNamesFor("org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor")).toEqual([
      "range",
      "cooperative-sticky",
    ]);
    expect(assignorNamesFor(["sticky", "sticky", "range"])).toEqual(["sticky", "range"]);
  });

  it("refuses an unknown value naming it, the allowed names and the closest", () => {
    expect(() => assignorNameFor("round-robin")).toThrow(/"round-robin" is not an assignor; allowed: range, roundrobin, .*; closest: roundrobin$/);
    expect(() => assignorNameFor("org.apache.kafka.clients.consumer.StickyAsignor")).toThrow(/closest: org\.apache\.kafka\.clients\.consumer\.StickyAssignor$/);
    expect(() => assignorNamesFor(" , ")).toThrow(/names no assignor/);
  });

  it("gives the assignor of each name, with its protocol", () => {
    expect(assignorFor("range").protocol).toBe("eager");
    expect(assignorFor("roundrobin").name).toBe("roundrobin");
  });
});
