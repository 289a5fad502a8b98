/**
 * Ctrl-C during verify: no new scenario starts, the table so far is printed, the run directory says
 * "interrupted after N of M runs" with the repeat command, exit 130. In-process through the AbortSignal,
 * and once for real: a subprocess sent SIGINT as a terminal sends it (to the whole process group).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { runVerify } from "../verify.js";
import { ExitCode } from "../exit-codes.js";

const root = join(import.meta.dirname, "..", "..");
const temporary: string[] = [];
async function scratch(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "interrupt-"));
  temporary.push(directory);
  return directory;
}
/** The subprocess's group, killed after the test even when it timed out. */
let group: number | undefined;
afterEach(async () => {
  if (group !== undefined) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone: the usual case.
    }
    group = undefined;
  }
  for (const directory of temporary.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function summaryOf(out: string): Promise<string> {
  const [directory] = await readdir(out);
  return readFile(join(out, directory ?? "", "summary.md"), "utf8");
}

describe("verify interrupted", () => {
  test("in-process: an abort after 3 runs stops there, prints the table, writes the run directory, exit 130", async () => {
    const out = await scratch();
    const controller = new AbortController();
    const lines: string[] = [];
    const io = {
      out: (text: string) => lines.push(text),
      progress: (text: string) => {
        if (text.startsWith("runs 3/")) controller.abort();
      },
      now: () => new Date(Date.UTC(2026, 0, 2)),
    };
    const code = await runVerify(["--runs", "1000", "--seed", "7", "--guarantees", "D2,O3", "--out", out], io, controller.signal);
    expect(code).toBe(ExitCode.interrupted);
    const text = lines.join("\n");
    expect(text).toMatch(/^D2 +\| at-least-once +\| yes +\| (?:\d+ of 3|0: inconclusive) +\| 0 /m);
    expect(text).toContain("verify: interrupted after 3 of 1000 runs");
    expect(text).toContain("repeat: npx kafka-harness verify --runs 1000 --guarantees D2,O3 --out");
    const summary = await summaryOf(out);
    expect(summary).toContain("interrupted after 3 of 1000 runs");
    expect(summary).toContain("--seed 7`");
    const [directory] = await readdir(out);
    expect((await readdir(join(out, directory ?? ""))).sort()).toEqual(["counterexample.json", "history.jsonl", "report.md", "scenario.json", "summary.md", "verdict.json"]);
  });

  test("in-process: aborted before the first scenario, still a summary and exit 130, never a pass", async () => {
    const out = await scratch();
    const controller = new AbortController();
    controller.abort();
    const lines: string[] = [];
    const code = await runVerify(["--runs", "10", "--out", out], { out: (text) => lines.push(text), progress: () => undefined, now: () => new Date(0) }, controller.signal);
    expect(code).toBe(ExitCode.interrupted);
    expect(lines.join("\n")).not.toContain("every promised guarantee held");
    expect(await summaryOf(out)).toContain("interrupted after 0 of 10 runs");
  });

  test("a real SIGINT to `kafka-harness verify --runs 100000`: exit 130, the table on stdout, the run directory", async () => {
    const out = await scratch();
    // tsx itself, as `npx tsx` runs it: under npx the shell npm exec starts dies of the SIGINT and npm
    // re-raises it, so the exit status seen would be npm's, not the harness's.
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["cli/main.ts", "verify", "--runs", "100000", "--out", out], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    group = child.pid;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/runs \d+\/100000/.test(stderr)) resolve();
      });
    });
    // As a terminal does: the whole process group (npx, tsx and the harness) gets SIGINT.
    process.kill(-(child.pid ?? 0), "SIGINT");
    const code = await exited;
    expect(code, stderr).toBe(ExitCode.interrupted);
    // Interrupted after one run that sent nothing, the row says "no" (nothing promised): both are the table.
    expect(stdout).toMatch(/^D2 +\| at-least-once +\| (?:yes|no|\d+ of \d+) +\| (?:-|\d+ of \d+|0: inconclusive) +\| 0 /m);
    expect(stdout).toMatch(/verify: interrupted after \d+ of 100000 runs/);
    expect(stdout).toMatch(/repeat: npx kafka-harness verify --runs 100000 --out \S+ --seed -?\d+/);
    expect(await summaryOf(out)).toMatch(/interrupted after \d+ of 100000 runs/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
