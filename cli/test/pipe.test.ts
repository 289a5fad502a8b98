/** `kafka-harness verify | head -1`: the reader goes away, the harness ends quietly (no stack), exit 0. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";

// Cleaned up after each test even when it timed out (a `finally` in the test would never run then).
let child: ChildProcess | undefined;
let out: string | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (out !== undefined) await rm(out, { recursive: true, force: true });
  child = undefined;
  out = undefined;
});

test("a closed stdout (EPIPE) ends verify quietly with exit 0", async () => {
  out = await mkdtemp(join(tmpdir(), "pipe-"));
  // Few runs: the table at the end is written after the pipe closed even if the header lines all
  // arrived in the first chunk, so EPIPE happens for certain.
  const running = spawn("npx", ["tsx", "cli/main.ts", "verify", "--runs", "20", "--out", out], { cwd: join(import.meta.dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"] });
  child = running;
  let stderr = "";
  running.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // As `head -1` does: read the first line, then close the pipe.
  running.stdout.once("data", () => running.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => running.on("exit", (exitCode) => resolve(exitCode)));
  expect(code, stderr).toBe(0);
  expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
}, 120_000);
