/** verify's final table: one row per guarantee, text columns padded, long cells wrapped onto lines. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[][])[]): string {
  // Each cell is a list of lines; a row is as tall as its tallest cell.
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => Math.max(0, ...(row[column] ?? []).map((line) => line.length)))));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ").trimEnd();
  const out = [line(headers), widths.map((width) => "-".repeat(width)).join("-|-")];
  for (const row of rows) {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    for (let index = 0; index < height; index++) out.push(line(row.map((cell) => cell[index] ?? "")));
  }
  return out.join("\n");
}
