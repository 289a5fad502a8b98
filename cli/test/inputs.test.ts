/**
 * Inputs the harness cannot honour are refused before anything runs (exit 2) with a message naming
 * the problem: unmodelled keys on the engine, typos (with the closest name), an empty --faults, an
 * --out path that cannot be written, counterexample files with a missing field, a history given to replay.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { main } from "../main.js";
import { runVerify, verifyHelp } from "../verify.js";
import { keysByScope } from "../../model/index.js";
import { ExitCode } from "../exit-codes.js";

const temporary: string[] = [];
async function scratch(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "inputs-"));
  temporary.push(directory);
  return directory;
}
afterEach(async () => {
  for (const directory of temporary.splice(0)) await rm(directory, { recursive: true, force: true });
});

/** Runs the CLI; a verify without --out writes into a scratch directory, so a refusal that broke leaves nothing behind. */
async function run(argv: string[]): Promise<{ code: number; error: string }> {
  let error = "";
  const withOut = argv[0] === "verify" && !argv.includes("--out") ? [...argv, "--out", await scratch()] : argv;
  const code = await main(withOut, (text) => (error += `${text}\n`));
  return { code, error };
}

describe("keys the engine does not model", () => {
  test("buffer.memory and num.network.threads are refused on the engine with a reason, not a stack", async () => {
    const out = await scratch();
    const memory = await run(["verify", "--config", "durable,buffer.memory=33554432", "--out", out]);
    expect(memory.code).toBe(ExitCode.badInput);
    expect(memory.error).toContain("client producer-0: buffer.memory=33554432: not modelled by the engine (producer memory is not bounded in the engine)");
    expect(memory.error).not.toMatch(/\n\s+at /);
    const threads = await run(["verify", "--config", "durable,num.network.threads=3", "--out", out]);
    expect(threads.code).toBe(ExitCode.badInput);
    expect(threads.error).toContain("broker: num.network.threads=3: not modelled by the engine");
    expect(threads.error).toContain("the engine models these broker keys: replica.lag.time.max.ms");
    // Nothing ran: no run directory.
    expect(await readdir(out)).toEqual([]);
  });

  test("topic keys and value-restricted keys name the topic and what is modelled", async () => {
    const refused = await run(["verify", "--config", "durable,cleanup.policy=compact,compression.type=gzip", "--out", await scratch()]);
    expect(refused.code).toBe(ExitCode.badInput);
    expect(refused.error).toContain("topic 'events': cleanup.policy=\"compact\": not modelled by the engine");
    expect(refused.error).toContain("the engine models only compression.type=none");
  });
});

describe("typos get the closest name", () => {
  test("a configuration key, a preset, an option, a guarantee, a fault kind, a planted bug, a command", async () => {
    const cases: [string[], string][] = [
      [["verify", "--config", "durable,min.insync.replica=2"], 'did you mean "min.insync.replicas"?'],
      [["verify", "--config", "durabel"], 'did you mean "durable"?'],
      [["verify", "--rnus", "5"], "did you mean --runs?"],
      [["verify", "--guarantees", "D22"], 'did you mean "D2"?'],
      [["verify", "--faults", "kil-leader"], 'did you mean "kill-leader"?'],
      [["verify", "--planted-bug", "early-akc"], 'did you mean "early-ack"?'],
      [["verfiy"], 'did you mean "verify"?'],
    ];
    for (const [argv, hint] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(ExitCode.badInput);
      expect(result.error, argv.join(" ")).toContain(hint);
    }
  });

  test("the unknown-key message is one suggestion, not the list; --help keeps the list", async () => {
    const result = await run(["verify", "--config", "acks=1,min.insync.replica=2"]);
    expect(result.error.length).toBeLessThan(200);
    const help = verifyHelp();
    for (const scope of ["producer", "topic", "broker"] as const) for (const key of Object.keys(keysByScope[scope])) expect(help, key).toContain(key);
  });
});

describe("--faults", () => {
  test("an empty list is refused: no faults is --intensity none", async () => {
    for (const argv of [["--faults="], ["--faults", ","]]) {
      const result = await run(["verify", ...argv]);
      expect(result.code).toBe(ExitCode.badInput);
      expect(result.error).toContain("--faults needs at least one kind; for no faults use --intensity none");
    }
  });
});

describe("--out", () => {
  test("a file in the way is bad input before anything runs", async () => {
    const directory = await scratch();
    const file = join(directory, "taken");
    await writeFile(file, "");
    const lines: string[] = [];
    const io = { out: (text: string) => lines.push(text), progress: () => undefined, now: () => new Date(0) };
    await expect(runVerify(["--runs", "2", "--out", file], io)).rejects.toThrow(`--out "${file}" is not allowed: it is a file, not a directory`);
    await expect(runVerify(["--runs", "2", "--out", join(file, "below")], io)).rejects.toThrow(`${file} is a file, not a directory`);
    // Refused before the header: nothing ran.
    expect(lines).toEqual([]);
    expect((await run(["verify", "--out", file])).code).toBe(ExitCode.badInput);
  });

  test("a directory that does not exist yet is created", async () => {
    const out = join(await scratch(), "new", "runs");
    const io = { out: () => undefined, progress: () => undefined, now: () => new Date(0) };
    // One run may leave a promised guarantee unexercised (inconclusive): either way it ran and wrote.
    expect([ExitCode.held, ExitCode.inconclusive]).toContain(await runVerify(["--runs", "1", "--seed", "1", "--out", out], io));
    expect(await readdir(out)).toHaveLength(1);
  });
});

describe("replay of a file that is not a valid counterexample", () => {
  test("a counterexample without scenario names file and field, exit 2, no TypeError", async () => {
    const file = join(await scratch(), "counterexample.json");
    await writeFile(file, JSON.stringify({ kind: "kafka-harness-counterexample", version: 1, description: "x", target: "engine", plantedBugs: [], violated: ["D2"] }));
    const result = await run(["replay", file]);
    expect(result.code).toBe(ExitCode.badInput);
    expect(result.error).toContain(`${file}: field 'scenario': missing; expected: the scenario object`);
    expect(result.error).not.toContain("TypeError");
  });

  test("a history says to use check", async () => {
    const directory = await scratch();
    const file = join(directory, "history.jsonl");
    await mkdir(directory, { recursive: true });
    await writeFile(file, `${JSON.stringify({ kind: "kafka-harness-history", version: 1 })}\n{"index":0}\n`);
    const result = await run(["replay", file]);
    expect(result.code).toBe(ExitCode.badInput);
    expect(result.error).toContain("this is a history, not a counterexample: use `kafka-harness check <file>`");
  });
});
