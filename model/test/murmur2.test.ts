import { describe, expect, it } from "vitest";
import { murmur2, partitionForKey, toPositive } from "../index.js";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("murmur2 (Java client's Utils.murmur2)", () => {
  it("matches Kafka's own UtilsTest vectors", () => {
    // apache/kafka clients/src/test/.../utils/UtilsTest.java testMurmur2
    expect(murmur2(utf8("21"))).toBe(-973932308);
    expect(murmur2(utf8("foobar"))).toBe(-790332482);
    expect(murmur2(utf8("a-little-bit-long-string"))).toBe(-985981536);
    expect(murmur2(utf8("a-little-bit-longer-string"))).toBe(-1486304829);
    expect(murmur2(utf8("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"))).toBe(-58897971);
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it("matches kafkajs's Java-compatible vectors (tails of 1, 3 and 4+ bytes)", () => {
    expect(murmur2(utf8("0"))).toBe(971027396);
    expect(murmur2(utf8("1"))).toBe(-1993445489);
    expect(murmur2(utf8("128"))).toBe(-326012175);
    expect(murmur2(utf8("2187"))).toBe(-1508407203);
  });

  it("toPositive masks the sign bit instead of negating", () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });
});

describe("partitionForKey", () => {
  it("gives the Java client's partitions for known keys", () => {
    const cases: [string, number, number][] = [
      ["21", 3, 0],
      ["21", 100, 40],
      ["foobar", 10, 6],
      ["foobar", 100, 66],
      ["a-little-bit-longer-string", 6, 5],
      ["abc", 6, 3],
      ["abc", 10, 7],
      ["0", 100, 96],
      ["1", 10, 9],
      ["128", 10, 3],
      ["2187", 100, 45],
    ];
    for (const [key, partitions, expected] of cases) expect(partitionForKey(key, partitions), `${key} % ${partitions}`).toBe(expected);
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    // Expected values computed by an independent implementation checked against Kafka's vectors.
    expect(murmur2(utf8("키-한글"))).toBe(-164529999);
    expect(partitionForKey("키-한글", 6)).toBe(5);
    expect(partitionForKey("ключ", 10)).toBe(4);
  });

  it("refuses a partition count below 1", () => {
    expect(() => partitionForKey("k", 0)).toThrow(/partitions=0/);
  });
});
