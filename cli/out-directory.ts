/**
 * `--out DIR` is checked before any run starts: a verify of ten minutes must not end by failing to
 * write its run directory. DIR must be a writable directory, or not exist yet under a writable
 * directory (it is created then); a file in the way is bad input.
 */
import { access, constants, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "./arguments.js";

async function kindOf(path: string): Promise<"directory" | "other" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file sits where a parent directory should be; walking up finds and names it.
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    throw error;
  }
}

async function writable(directory: string): Promise<boolean> {
  try {
    await access(directory, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Throws UsageError naming the option, the path and what is wrong; resolves when DIR can be written. */
export async function checkOutDirectory(path: string, option = "--out"): Promise<void> {
  if (path.trim() === "") throw new UsageError(`${option} "" is not allowed; allowed: a directory path (default runs/)`);
  let current = resolve(path);
  // Walk up to the first part of the path that exists: it must be a directory we may write into.
  for (;;) {
    const kind = await kindOf(current);
    if (kind === "other") {
      const inTheWay = current === resolve(path) ? "it is a file, not a directory" : `${current} is a file, not a directory`;
      throw new UsageError(`${option} ${JSON.stringify(path)} is not allowed: ${inTheWay}; allowed: a directory, or a path that can be created`);
    }
    if (kind === "directory") {
      if (!(await writable(current))) throw new UsageError(`${option} ${JSON.stringify(path)} is not allowed: ${current} is not writable; allowed: a directory this user can write`);
      return;
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
