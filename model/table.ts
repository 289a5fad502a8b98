/**
 * Terminal tables (for the verdict and the CLI alike): text columns padded, one row per entry, long cells wrapped onto lines so a table
 * fits a terminal of `maxWidth` columns (120 by default): every column but the last keeps its natural
 * width, the last takes what is left and wraps at word boundaries.
 */
export const tableWidth = 120;

/** Splits `text` into lines of at most `width` characters, at spaces where it can (a longer word is cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part !== "")) {
    let rest = word;
    while (rest.length > width) {
      if (line !== "") {
        lines.push(line);
        line = "";
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (line === "") line = rest;
    else if (line.length + 1 + rest.length <= width) line = `${line} ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

export function formatTable(headers: readonly string[], rows: readonly (readonly string[][])[], maxWidth = tableWidth): string {
  const last = headers.length - 1;
  const natural = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => Math.max(0, ...(row[column] ?? []).map((line) => line.length)))));
  const fixed = natural.slice(0, last).reduce((sum, width) => sum + width, 0) + 3 * last;
  const lastWidth = Math.max(headers[last]?.length ?? 0, 24, Math.min(natural[last] ?? 0, maxWidth - fixed));
  const widths = natural.map((width, column) => (column === last ? lastWidth : width));
  // Each cell is a list of lines; the last column's lines are wrapped to its width.
  const wrapped = rows.map((row) => row.map((cell, column) => (column === last ? cell.flatMap((line) => wrap(line, lastWidth)) : cell)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ").trimEnd();
  const out = [line(headers), widths.map((width) => "-".repeat(width)).join("-|-")];
  for (const row of wrapped) {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    for (let index = 0; index < height; index++) out.push(line(row.map((cell) => cell[index] ?? "")));
  }
  return out.join("\n");
}
