import { describe, expect, it } from "vitest";
import type { PlantedBug } from "../index.js";
import { cluster, createTopic, readAll, sendAll } from "./helpers.js";
import { broker, roles } from "./scenarios.js";

/** The leader appends a batch but its response to the producer is lost; the producer retries. */
function lostResponse(config: Record<string, string | number | boolean>, bugs: PlantedBug[] = []) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0, ...config });
  sendAll(simulation, producer, [{ topic: "t", key: "k", value: "warm-up", partition: 0 }]);
  simulation.cut(broker(leader), "producer-0");
  let result: unknown;
  producer.send({ topic: "t", key: "k", value: "once", partition: 0 }, (outcome) => (result = outcome));
  simulation.runUntil(simulation.nowMs + 5_000);
  simulation.heal();
  simulation.runUntilCondition(() => result !== undefined, 200_000);
  const values = readAll(simulation, "t", 1).map((record) => record.value);
  return { result, values, trace: simulation.trace() };
}

describe("idempotent producer (D3)", () => {
  it("a retried batch the broker already has is answered with its first offset, not appended again", () => {
    const run = lostResponse({});
    expect(run.result).toMatchObject({ type: "ok", offset: 1 });
    expect(run.values).toEqual(["warm-up", "once"]);
    expect(run.trace).toMatch(/duplicate t-0 producer \d+ sequence 1 at 1/);
  });

  it("without idempotence the same retry duplicates the record (at-least-once)", () => {
    const run = lostResponse({ "enable.idempotence": false });
    expect(run.result).toMatchObject({ type: "ok", offset: 2 });
    expect(run.values).toEqual(["warm-up", "once", "once"]);
  });

  it("with the planted bug no-sequence-check the idempotent retry duplicates too", () => {
    const run = lostResponse({}, ["no-sequence-check"]);
    expect(run.values).toEqual(["warm-up", "once", "once"]);
  });

  it("keeps per-partition order across retries with five requests in flight", () => {
    const simulation = cluster({ controllers: 1, broker: { "replica.socket.timeout.ms": 2_000 }, network: { minLatencyMs: 0.5, maxLatencyMs: 3, lossRate: 0.05, reorder: true } });
    createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
    const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0, "batch.size": 20, "request.timeout.ms": 2_000, "delivery.timeout.ms": 600_000 });
    const values = Array.from({ length: 60 }, (_, index) => `v${index}`);
    const results = sendAll(simulation, producer, values.map((value) => ({ topic: "t", key: "same", value })), 600_000);
    expect(results.every((result) => result.type === "ok")).toBe(true);
    const offsets = results.map((result) => (result.type === "ok" ? result.offset : -1));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(readAll(simulation, "t", 1).map((record) => record.value)).toEqual(values);
  });
});
