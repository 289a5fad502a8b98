/** The offset table: exact answers for any offsets, and memory that follows observations, not magnitudes. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { OffsetTable } from "../checker/offset-table.js";

describe("OffsetTable", () => {
  it("answers exactly what was set, for offsets in any order and of any size", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.nat(5000), fc.integer({ min: 60_000_000, max: 60_005_000 }), fc.nat(2 ** 40)), { maxLength: 400 }), (offsets) => {
        const table = new OffsetTable();
        offsets.forEach((offset, position) => table.set(offset, position + 2));
        offsets.forEach((offset, position) => expect(table.get(offset)).toBe(position + 2));
        expect(table.get(2 ** 41)).toBe(0);
        expect(table.sortedOffsets()).toEqual([...offsets].sort((left, right) => left - right));
      }),
      { numRuns: 200 },
    );
  });

  it("holds one record at offset 67,000,000 in each of 64 partitions without a dense table from 0", () => {
    const tables = Array.from({ length: 64 }, () => new OffsetTable());
    for (const table of tables) table.set(67_000_000, 2);
    // Linear in observations: each table's sorted offsets come from a window of about a thousand slots.
    for (const table of tables) expect(table.sortedOffsets()).toEqual([67_000_000]);
    const memory = process.memoryUsage().arrayBuffers;
    expect(memory).toBeLessThan(256 * 1024 * 1024);
  });
});
