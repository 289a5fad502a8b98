import { describe, expect, it } from "vitest";
import { newClusterId } from "./cluster-id.js";

describe("newClusterId", () => {
  it("never starts with '-', which kafka-storage would read as an option", () => {
    // 0xf8.. encodes to '-' first in base64url: the first draw is refused, the second kept.
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x41)];
    const id = newClusterId(() => draws.shift()!);
    expect(Buffer.alloc(16, 0xfb).toString("base64url").startsWith("-")).toBe(true);
    expect(id).toBe(Buffer.alloc(16, 0x41).toString("base64url"));
  });

  it("is 22 characters of base64url from real randomness", () => {
    for (let index = 0; index < 200; index++) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it("gives up, loudly, on a source that only draws ids starting with '-'", () => {
    expect(() => newClusterId(() => Buffer.alloc(16, 0xfb))).toThrow(/random source is broken/);
  });
});
