/** Exit codes from cli/exit-codes.ts everywhere, and every command's --help ends with the table. */
import { describe, expect, test } from "vitest";
import { ScenarioError } from "../../chaos/problem.js";
import { ConfigurationError } from "../../model/index.js";
import { CounterexampleError } from "../../run/counterexample.js";
import { UsageError } from "../arguments.js";
import { EnvironmentError } from "../../adapters/target.js";
import { describeFailure } from "../failure.js";
import { ExitCode, exitStatusHelp } from "../exit-codes.js";
import { mainHelp } from "../main.js";
import { runVerify, verifyHelp } from "../verify.js";
import { replayHelp, runReplay } from "../replay.js";
import { checkHelp, runCheck } from "../check.js";

describe("what an error means for the exit code", () => {
  test("refusals are bad input (2), with the message and no stack", () => {
    const refusals = [new UsageError("--runs \"x\" is not allowed"), new ScenarioError([{ field: "seed", value: -1, allowed: "an integer" }]), new ConfigurationError("broker", "acks", "2", "all"), new CounterexampleError("f.json", "scenario", "missing")];
    for (const error of refusals) {
      const failure = describeFailure("verify", error);
      expect(failure.code, error.name).toBe(ExitCode.badInput);
      expect(failure.text).toBe(`kafka-harness verify: ${error.message}`);
    }
  });

  test("a crash is an internal error (6) with the stack and a line saying it is the harness's bug", () => {
    for (const error of [new TypeError("Cannot read properties of undefined (reading 'seed')"), new RangeError("planted bug"), new Error("boom")]) {
      const failure = describeFailure("replay", error);
      expect(failure.code, error.name).toBe(ExitCode.internalError);
      expect(failure.text).toContain(error.stack ?? "");
      expect(failure.text).toContain("This is a bug in the harness");
    }
    expect(describeFailure("verify", "a string").code).toBe(ExitCode.internalError);
  });

  test("the Kafka target's setup failures are the environment's (5)", () => {
    const error = new Error("no Docker engine answers");
    error.name = "ClusterSetupError";
    expect(describeFailure("verify", error)).toEqual({ code: ExitCode.environment, text: "kafka-harness verify: environment problem: no Docker engine answers" });
    expect(describeFailure("verify", new EnvironmentError("port 9092 is taken")).code).toBe(ExitCode.environment);
  });
});

describe("--help and -h", () => {
  test("every command's help ends with the exit status table", () => {
    for (const help of [mainHelp(), verifyHelp(), checkHelp(), replayHelp()]) expect(help.endsWith(exitStatusHelp)).toBe(true);
  });

  test("verify, replay and check answer --help and -h with exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const verifyLines: string[] = [];
      expect(await runVerify([flag], { out: (text) => verifyLines.push(text), progress: () => undefined, now: () => new Date(0) })).toBe(0);
      expect(verifyLines.join("\n")).toContain("Usage: kafka-harness verify");
      const replayLines: string[] = [];
      expect(await runReplay([flag], (text) => replayLines.push(text))).toBe(0);
      expect(replayLines.join("\n")).toContain("Usage: kafka-harness replay");
      let checkText = "";
      expect(await runCheck([flag], { out: (text) => (checkText += text), error: () => undefined })).toBe(0);
      expect(checkText).toContain("Usage: kafka-harness check");
    }
  });

  test("check refuses an unknown option with the closest one", async () => {
    let error = "";
    expect(await runCheck(["a.jsonl", "--jsno"], { out: () => undefined, error: (text) => (error += text) })).toBe(ExitCode.badInput);
    expect(error).toContain("unknown option --jsno; did you mean --json?");
  });
});
