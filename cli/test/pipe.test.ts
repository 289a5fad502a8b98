/** `kafka-harness verify | head -1`: the reader goes away, the harness ends quietly (no stack), exit 0. */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";

test("a closed stdout (EPIPE) ends verify quietly with exit 0", async () => {
  const out = await mkdtemp(join(tmpdir(), "pipe-"));
  try {
    // Few runs: the table at the end is written after the pipe closed even if the header lines all
    // arrived in the first chunk, so EPIPE happens for certain.
    const child = spawn("npx", ["tsx", "cli/main.ts", "verify", "--runs", "20", "--out", out], { cwd: join(import.meta.dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // As `head -1` does: read the first line, then close the pipe.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 120_000);
