/** Reading and writing history files (UTF-8 JSON Lines). */
import { readFile, writeFile } from "node:fs/promises";
import type { History } from "./event.js";
import { parseHistory } from "./parse.js";
import { serializeHistory } from "./serialize.js";

export async function readHistory(path: string): Promise<History> {
  return parseHistory(await readFile(path, "utf8"), path);
}

export async function writeHistory(path: string, history: History): Promise<void> {
  await writeFile(path, serializeHistory(history), "utf8");
}
