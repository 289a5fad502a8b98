/** Reading and writing history files (UTF-8 JSON Lines). */
import { open, writeFile } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import type { History } from "./event.js";
import { HistoryReader } from "./reader.js";
import { serializeHistory } from "./serialize.js";

/** Bytes read at a time: large enough that system calls cost nothing, small beside the history. */
const chunkBytes = 4 << 20;

/**
 * Reads the file in chunks and feeds its lines to the reader as they arrive, so the whole text (a
 * quarter of a gigabyte for a million events) is never held in memory next to the parsed events.
 */
export async function readHistory(path: string): Promise<History> {
  const handle = await open(path, "r");
  try {
    const reader = new HistoryReader(path);
    // StringDecoder keeps a multi-byte character split across two chunks whole (and keeps a BOM,
    // as reading the file as one string would).
    const decoder = new StringDecoder("utf8");
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let carry = "";
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const text = decoder.write(buffer.subarray(0, bytesRead));
      let end = text.indexOf("\n");
      if (end < 0) {
        // Part of a long line: appending without searching the joined text keeps this linear.
        carry += text;
        continue;
      }
      reader.line(carry + text.slice(0, end));
      let start = end + 1;
      for (;;) {
        end = text.indexOf("\n", start);
        if (end < 0) break;
        reader.line(text.slice(start, end));
        start = end + 1;
      }
      carry = text.slice(start);
    }
    reader.line(carry + decoder.end());
    return reader.finish();
  } finally {
    await handle.close();
  }
}

export async function writeHistory(path: string, history: History): Promise<void> {
  await writeFile(path, serializeHistory(history), "utf8");
}
