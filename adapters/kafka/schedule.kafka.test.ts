/**
 * The schedule holds while a slow fault takes effect: a clean stop of a broker takes seconds (Kafka's
 * controlled shutdown), and the sends due meanwhile must go out on time, not in one burst once the
 * stop returned. The history records the fault's invoke when it starts and its completion when it
 * took effect, with sends invoked in between.
 *
 * Run: npx vitest run -c vitest.kafka.config.ts adapters/kafka/schedule.kafka.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import type { Scenario, Step } from "../../chaos/scenario.js";
import type { Target } from "../target.js";
import { createKafkaTarget } from "./index.js";

const logDirectory = mkdtempSync(join(tmpdir(), "kafka-schedule-test-"));
let target: Target | undefined;

afterAll(async () => {
  await target?.close();
  rmSync(logDirectory, { recursive: true, force: true });
});

const everyMs = 100;
const stopAtMs = 1_000;
const sends: Step[] = Array.from({ length: 60 }, (_, index) => ({ at: index * everyMs, op: "send", client: "producer-0", topic: "events", key: `key-${index % 4}`, value: `producer-0-${index}` }));
const scenario: Scenario = {
  name: "slow-fault-schedule",
  seed: 1,
  cluster: { brokers: 3, controllers: 1, kafkaVersion: "4.1", broker: {} },
  topics: [{ name: "events", partitions: 1, replicationFactor: 3, config: { "min.insync.replicas": 1, "unclean.leader.election.enable": false } }],
  clients: [{ id: "producer-0", role: "producer", config: { acks: "1", "enable.idempotence": false, "max.in.flight.requests.per.connection": 1, "request.timeout.ms": 3000, "delivery.timeout.ms": 20000 } }],
  // broker-2 follows partition 0 (broker-1 leads it): stopping it cleanly costs time, not the writes.
  steps: [...sends.slice(0, stopAtMs / everyMs), { at: stopAtMs, op: "fault", fault: { kind: "stop", node: "broker-2" } }, ...sends.slice(stopAtMs / everyMs)],
  finale: { quietMs: 1_000 },
};

test("sends due while a clean stop takes effect go out on schedule; the fault's start and end are both recorded", async () => {
  target = await createKafkaTarget({ logDirectory });
  const history = await target.run(scenario);
  const ms = (time: number): number => time / 1e6;
  const nemesis = history.events.filter((event) => event.process === "nemesis");
  const stopInvoke = nemesis.find((event) => event.f === "stop" && event.type === "invoke");
  const stopDone = nemesis.find((event) => event.f === "stop" && event.type !== "invoke");
  expect(stopInvoke).toBeDefined();
  expect(stopDone?.type).toBe("ok");
  const started = ms(stopInvoke?.time ?? 0);
  const tookEffect = ms(stopDone?.time ?? 0);
  // Invoked when due (not after earlier steps), completed when the broker was down.
  expect(Math.abs(started - stopAtMs)).toBeLessThan(500);
  // Precondition of the check below: the stop really was slow (otherwise nothing is shown).
  expect(tookEffect - started, "a clean stop should take more than a second").toBeGreaterThan(1_000);

  const scheduled = new Map(sends.map((step) => [step.op === "send" ? step.value : "", step.at]));
  const invokes = history.events.filter((event) => event.process === "producer-0" && event.f === "send" && event.type === "invoke");
  expect(invokes).toHaveLength(sends.length);
  const lateness = invokes.map((event) => ms(event.time) - (scheduled.get((event.value as { value: string }).value) ?? 0));
  // Every send left within 300 ms of its time, those due during the stop included.
  expect(Math.max(...lateness)).toBeLessThan(300);
  const duringStop = invokes.filter((event) => ms(event.time) > started && ms(event.time) < tookEffect);
  expect(duringStop.length).toBeGreaterThanOrEqual(Math.floor((tookEffect - started) / everyMs) - 2);
});
