import { describe, expect, it } from "vitest";
import type { PlantedBug, SendResult } from "../index.js";
import { cluster, createTopic, readAll, sendAll } from "./helpers.js";
import { awaitNewLeader, broker, roles } from "./scenarios.js";

const partitions = 2;

/**
 * A non-idempotent producer with max.in.flight.requests.per.connection=1: its first batch to each
 * partition is in flight (acks=all, so unanswered until the followers fetched it) when partition 0's
 * leader is killed, and more batches are queued behind it. After the election the producer learns the
 * new leader (a short metadata.max.age.ms makes the next send refresh) and sends more, while the first
 * batch to the dead leader is still unanswered until request.timeout.ms.
 */
function leaderKilledWithBatchInFlight(bugs: PlantedBug[] = []) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", partitions, 3, { "min.insync.replicas": 2 });
  const { leader } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", {
    acks: "all",
    "enable.idempotence": false,
    "max.in.flight.requests.per.connection": 1,
    "linger.ms": 0,
    // One record per batch, so every record is its own send and can be reordered on its own.
    "batch.size": 1,
    "request.timeout.ms": 10_000,
    "delivery.timeout.ms": 120_000,
    "metadata.max.age.ms": 100,
  });
  // Warm-up: the producer has its metadata and a connection to every leader before the scenario.
  const warmUp = sendAll(simulation, producer, Array.from({ length: partitions }, (_, partition) => ({ topic: "t", key: `key-${partition}`, value: `warm-up-${partition}`, partition })));
  expect(warmUp.every((result) => result.type === "ok")).toBe(true);
  const sent: { value: string; partition: number }[] = [];
  const results = new Map<string, SendResult>();
  const send = (value: string, partition: number): void => {
    sent.push({ value, partition });
    producer.send({ topic: "t", key: `key-${partition}`, value, partition }, (result) => {
      expect(results.has(value), `callback of ${value} fired twice`).toBe(false);
      results.set(value, result);
    });
  };
  for (let index = 0; index < 3; index++) for (let partition = 0; partition < partitions; partition++) send(`early-${partition}-${index}`, partition);
  // Kill the leader once it appended the first batch, before the followers fetched it and so before
  // it could answer (acks=all): that batch is in flight, the two behind it queued.
  const appended = simulation.runUntilCondition(() => simulation.replica(leader, "t", 0)!.logEndOffset === 2, 100);
  const inFlightWhenKilled = { appended, answered: results.size };
  simulation.kill(broker(leader));
  const newLeader = awaitNewLeader(simulation, "t", leader);
  simulation.runUntil(simulation.nowMs + 200);
  for (let index = 0; index < 3; index++) for (let partition = 0; partition < partitions; partition++) send(`late-${partition}-${index}`, partition);
  simulation.runUntilCondition(() => results.size === sent.length, 200_000);
  simulation.restart(broker(leader));
  simulation.runUntil(simulation.nowMs + 10_000);
  simulation.checkInvariants();
  const log = readAll(simulation, "t", partitions, "reader");
  return { sent, results, inFlightWhenKilled, leader, newLeader, log };
}

describe("max.in.flight.requests.per.connection=1 without idempotence (O3)", () => {
  it("keeps each partition's acknowledged order equal to its send order when the leader dies with a batch in flight", () => {
    const run = leaderKilledWithBatchInFlight();
    expect(run.newLeader).not.toBe(run.leader);
    // The situation the test is about: nothing was answered before the kill.
    expect(run.inFlightWhenKilled).toEqual({ appended: true, answered: 0 });
    for (let partition = 0; partition < partitions; partition++) {
      const sends = run.sent.filter((record) => record.partition === partition);
      const offsets = sends.map((record) => {
        const result = run.results.get(record.value);
        expect(result?.type, `${record.value}: ${JSON.stringify(result)}`).toBe("ok");
        return result?.type === "ok" ? result.offset : -1;
      });
      expect(offsets, `partition ${partition} acknowledged offsets in send order`).toEqual([...offsets].sort((a, b) => a - b));
      // The acknowledged offsets are where the records are, and the log holds them in send order
      // (a retry may leave an earlier copy behind: at-least-once, but never an inversion).
      const inLog = run.log.filter((record) => record.partition === partition);
      sends.forEach((record, index) => expect(inLog.find((entry) => entry.offset === offsets[index])?.value).toBe(record.value));
      const firstSeen = [...new Set(inLog.map((record) => record.value).filter((value) => !value.startsWith("warm-up")))];
      expect(firstSeen).toEqual(sends.map((record) => record.value));
    }
  });

  it("the planted bug retry-to-back still reorders the retried batch behind the queued ones", () => {
    const run = leaderKilledWithBatchInFlight(["retry-to-back"]);
    const sends = run.sent.filter((record) => record.partition === 0);
    const offsets = sends.map((record) => {
      const result = run.results.get(record.value);
      return result?.type === "ok" ? result.offset : -1;
    });
    expect(offsets.every((offset) => offset >= 0)).toBe(true);
    expect(offsets).not.toEqual([...offsets].sort((a, b) => a - b));
  });
});
