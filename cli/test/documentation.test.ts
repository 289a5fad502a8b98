/**
 * README and --help say what the commands do now: the cleanup command, the environment exit code, the
 * client-defect exit code, what `pause` is on Kafka, the shrink budget. A sentence removed or gone
 * stale fails here.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { mainHelp } from "../main.js";
import { compareHelp } from "../compare.js";
import { verifyHelp } from "../verify.js";
import { cleanupHelp } from "../cleanup.js";

const readme = readFileSync("README.md", "utf8");
const scriptsReadme = readFileSync("scripts/README.md", "utf8");

test("README: cleanup, leftovers after SIGKILL, loopback, the exit code table with 4 and 5", () => {
  expect(readme).toContain("npx kafka-harness cleanup");
  expect(readme).toMatch(/killed\s+with SIGKILL cannot; the next Kafka run's first cluster start removes/);
  expect(readme).toContain("broker ports are published on 127.0.0.1");
  expect(readme).toMatch(/\| 4 \| the only violations are a client library's defects/);
  expect(readme).toMatch(/\| 5 \| the environment failed \(no Docker engine.*one line says what to run/);
  expect(readme).toContain("--shrink-budget");
});

test("README and --help: pause on Kafka is docker's cgroup freezer, not SIGSTOP", () => {
  expect(readme).not.toMatch(/SIGKILL, SIGSTOP/);
  expect(readme).toMatch(/`pause` is `docker pause`: the cgroup freezer/);
  expect(scriptsReadme).toMatch(/cgroup freezer stops every process of the container; no signal is sent, so it is not SIGSTOP/);
  expect(compareHelp()).toMatch(/docker pause: the\s+cgroup freezer .*not SIGSTOP/s);
  expect(verifyHelp()).toContain("pause on kafka is docker pause: the cgroup freezer, not SIGSTOP");
});

test("--help: the commands and options that exist now", () => {
  expect(mainHelp()).toMatch(/^ {2}cleanup +list and remove every container, network and volume the harness made/m);
  expect(cleanupHelp()).toContain("--dry-run");
  expect(verifyHelp()).toMatch(/--shrink-budget T +at most this much/);
  expect(compareHelp()).toContain("4 the only violations are a client library's defects");
  expect(compareHelp()).not.toContain("known-issues");
});
