/**
 * Kafka commands on a machine where the environment is missing: no Docker engine answers (DOCKER_HOST
 * names a socket that does not exist) and the user is not root (a fake `id` first on PATH says uid
 * 1000), so the scripts cannot start one. The command must say in one line what to run, print no stack
 * trace, claim no "containers removed", and exit 5 (environment). Runs without Docker.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExitCode } from "../exit-codes.js";

let root = "";

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kafka-environment-test-"));
  mkdirSync(join(root, "bin"));
  symlinkSync(resolve("scripts/kafka-image/test/fake-id"), join(root, "bin", "id"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function harness(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", resolve("cli/main.ts"), ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: {
      ...process.env,
      PATH: `${join(root, "bin")}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      FAKE_UID: "1000",
      DOCKER_HOST: `unix://${join(root, "no-docker.sock")}`,
      KAFKA_HARNESS_DOCKER_WAIT: "1",
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectEnvironmentFailure(result: { status: number | null; stdout: string; stderr: string }): void {
  expect(result.status, result.stderr).toBe(ExitCode.environment);
  // The scripts' progress lines are there, then one line saying what failed and what to run.
  expect(result.stderr).toContain("[ensure-docker] FAILED: no docker engine answers and starting one needs root (running as uid 1000)");
  expect(result.stderr).toMatch(/^kafka-harness \w+: environment problem: no Docker engine: .*needs root.*; run: sudo npm run docker/m);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).not.toContain("containers removed");
}

describe("Kafka commands without a Docker engine, as a user who is not root", () => {
  test("verify --target kafka exits 5 with one line saying what to run", () => {
    expectEnvironmentFailure(harness(["verify", "--target", "kafka", "--runs", "1", "--out", join(root, "runs")]));
  });

  test("compare exits 5 with one line saying what to run", () => {
    expectEnvironmentFailure(harness(["compare", "--scenarios", "baseline-consumer", "--out", join(root, "compare")]));
  });
});
