import { describe, expect, it } from "vitest";
import { murmur2OfString, partitionForKey, toPositive } from "../client/murmur2.js";

// Values from Kafka's UtilsTest (Java client), so the default partitioner matches the real one.
const known: [string, number][] = [
  ["21", -973932308],
  ["foobar", -790332482],
  ["a-little-bit-long-string", -985981536],
  ["a-little-bit-longer-string", -1486304829],
  ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
  ["abc", 479470107],
  ["", 275646681],
];

describe("murmur2 (Java client compatible)", () => {
  it.each(known)("murmur2(%j) = %d", (key, expected) => {
    expect(murmur2OfString(key)).toBe(expected);
  });

  it("maps keys to toPositive(murmur2) % partitions", () => {
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(partitionForKey("21", 3)).toBe((-973932308 & 0x7fffffff) % 3);
    expect(partitionForKey("foobar", 7)).toBe((-790332482 & 0x7fffffff) % 7);
  });

  it("a broken hash would be caught: the table is not satisfied by a plain string hash", () => {
    const naive = (text: string): number => [...text].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, 0);
    expect(known.some(([key, expected]) => naive(key) !== expected)).toBe(true);
  });
});
