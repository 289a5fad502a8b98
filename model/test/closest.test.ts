import { describe, expect, it } from "vitest";
import { closestName, didYouMean, editDistance } from "../config/closest.js";

describe("closest name", () => {
  it("measures edit distance by insertions, deletions and substitutions, ignoring case", () => {
    expect(editDistance("acks", "acks")).toBe(0);
    expect(editDistance("akcs", "acks")).toBe(2);
    expect(editDistance("min.insync.replica", "min.insync.replicas")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("ACKS", "acks")).toBe(0);
  });

  it("suggests the nearest known name, and nothing when none is plausibly meant", () => {
    const keys = ["acks", "retries", "linger.ms", "min.insync.replicas"];
    expect(closestName("min.insync.replica", keys)).toBe("min.insync.replicas");
    expect(closestName("retires", keys)).toBe("retries");
    expect(closestName("bogus.key.entirely", keys)).toBeUndefined();
    expect(closestName("x", [])).toBeUndefined();
    expect(didYouMean("lingr.ms", keys)).toBe('; did you mean "linger.ms"?');
    expect(didYouMean("zzzzzz", keys)).toBe("");
  });
});
