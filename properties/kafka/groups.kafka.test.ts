/**
 * Consumer groups on real Kafka (C1-C8): the scenarios of chaos/suites/group-suite.ts run on a KRaft
 * cluster in containers through kafkajs's consumer groups (adapters/kafka/group/), one cluster for the
 * whole file. Each history must validate against the model's history contract, be judged without
 * error, and contain the group events the target promises (group-expectations.ts): assignments with
 * generations and member ids, commits in the scenario's mode under the member's generation, process
 * events, the crash and restart of a member, the zombie that woke after its session expired, the
 * coordinator kill, and a drain that committed every group up to the end offsets. Configurations
 * kafkajs cannot run are refused with the reason before any container starts.
 *
 * Needs Docker and the image (scripts/kafka-image/build.sh).
 * Run: npx vitest run -c vitest.kafka.config.ts properties/kafka/groups.kafka.test.ts
 * Histories land in runs/kafka-groups-<time>/; timings are printed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Target } from "../../adapters/target.js";
import type { Scenario } from "../../chaos/scenario.js";
import type { History, Verdict } from "../../model/index.js";
import { checkHistory, serializeHistory, validateHistory } from "../../model/index.js";
import { createKafkaTarget } from "../../adapters/kafka/index.js";
import { validateScenario } from "../../run/judge.js";
import { asyncAfterProcessing, autoCommit, syncAfterProcessing, syncBeforeProcessing } from "../../chaos/suites/group-suite.js";
import { coordinatorKillProblems, crashRestartProblems, drainProblems, groupEventProblems, zombieProblems } from "./group-expectations.js";

const runDirectory = join("runs", `kafka-groups-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const suiteStarted = performance.now();
const timings: string[] = [];
let target: Target;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function run(scenario: Scenario): Promise<{ history: History; verdict: Verdict }> {
  validateScenario(scenario, target);
  const started = performance.now();
  const history = await target.run(scenario, { log: say });
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(join(runDirectory, `${scenario.name}.history.jsonl`), serializeHistory(history));
  validateHistory(history, `${scenario.name}.history.jsonl`);
  const verdict = checkHistory(history);
  writeFileSync(join(runDirectory, `${scenario.name}.verdict.json`), `${JSON.stringify(verdict, null, 2)}\n`);
  timings.push(`${scenario.name}: ${seconds.toFixed(1)} s`);
  const count = (f: string, type: string): number => history.events.filter((event) => event.f === f && event.type === type).length;
  say(
    `[kafka-groups] ${scenario.name}: ${seconds.toFixed(1)} s; assigned ${count("assigned", "info")}, revoked ${count("revoked", "info")}, lost ${count("lost", "info")}, ` +
      `commits ok ${count("commit", "ok")} fail ${count("commit", "fail")} info ${count("commit", "info")}, processed ${count("process", "ok")}; outcome ${verdict.outcome}; ` +
      verdict.guarantees
        .filter((guarantee) => guarantee.status !== "not-checked")
        .map((guarantee) => `${guarantee.id}:${guarantee.status}`)
        .join(" "),
  );
  return { history, verdict };
}

beforeAll(async () => {
  mkdirSync(runDirectory, { recursive: true });
  target = await createKafkaTarget({ logDirectory: join(runDirectory, "logs") });
});

afterAll(async () => {
  await target?.close();
  say(`[kafka-groups] timings: ${timings.join("; ")}; whole file ${((performance.now() - suiteStarted) / 1000).toFixed(0)} s; histories in ${runDirectory}`);
});

describe("consumer groups on real Kafka through kafkajs", () => {
  test("sync after processing: a crash and restart, a zombie, a coordinator kill; every group drained to the end offsets", async () => {
    const { history } = await run(syncAfterProcessing);
    expect(groupEventProblems(history)).toEqual([]);
    expect(crashRestartProblems(history, "consumer-a1")).toEqual([]);
    expect(zombieProblems(history, "consumer-a0")).toEqual([]);
    expect(coordinatorKillProblems(history, "group-a")).toEqual([]);
    expect(drainProblems(history)).toEqual([]);
  });

  test("sync before processing: commits first; the zombie's commit is refused or it learns it was lost", async () => {
    const { history } = await run(syncBeforeProcessing);
    expect(groupEventProblems(history)).toEqual([]);
    expect(crashRestartProblems(history, "consumer-a1")).toEqual([]);
    expect(zombieProblems(history, "consumer-a0")).toEqual([]);
    expect(drainProblems(history)).toEqual([]);
  });

  test("async after processing: commits answered later, under a crash and a coordinator kill", async () => {
    const { history } = await run(asyncAfterProcessing);
    expect(groupEventProblems(history)).toEqual([]);
    expect(crashRestartProblems(history, "consumer-a1")).toEqual([]);
    expect(coordinatorKillProblems(history, "group-a")).toEqual([]);
    expect(drainProblems(history)).toEqual([]);
  });

  test("auto commit: kafkajs's own commits recorded with the generation it used", async () => {
    const { history } = await run(autoCommit);
    expect(groupEventProblems(history)).toEqual([]);
    expect(crashRestartProblems(history, "consumer-a1")).toEqual([]);
    expect(zombieProblems(history, "consumer-a0")).toEqual([]);
    expect(drainProblems(history)).toEqual([]);
  });

  test.each([
    ["KIP-848's consumer protocol", { "group.protocol": "consumer" }, /group\.protocol="consumer" is not allowed; allowed: classic \(kafkajs 2\.2\.4 speaks only the classic group protocol/],
    ["static membership", { "group.instance.id": "static-0" }, /group\.instance\.id="static-0" is not allowed; allowed: no value \(static membership/],
    ["the cooperative-sticky assignor", { "partition.assignment.strategy": "cooperative-sticky" }, /partition\.assignment\.strategy="cooperative-sticky" is not allowed; allowed: roundrobin/],
    ["auto.offset.reset=none", { "auto.offset.reset": "none" }, /auto\.offset\.reset="none" is not allowed; allowed: earliest or latest \(kafkajs always resets/],
  ])("%s is refused as not runnable, with the reason, before any container starts", async (_name, override, reason) => {
    const [first, ...rest] = syncBeforeProcessing.clients.filter((client) => client.role === "consumer");
    if (first === undefined) throw new Error("the suite has no consumer");
    const scenario: Scenario = { ...syncBeforeProcessing, clients: [...syncBeforeProcessing.clients.filter((client) => client.role === "producer"), { ...first, config: { ...first.config, ...override } }, ...rest] };
    const started = performance.now();
    await expect(target.run(scenario)).rejects.toThrow(/^not runnable on kafka: client consumer-a0: /);
    await expect(target.run(scenario)).rejects.toThrow(reason);
    // Refused up front: no cluster work (a run takes seconds; a refusal milliseconds).
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
