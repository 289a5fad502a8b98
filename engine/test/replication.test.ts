import { describe, expect, it } from "vitest";
import { cluster, createTopic, readAll, sendAll } from "./helpers.js";
import { awaitNewLeader, broker, crashedLeaderNarrative, roles } from "./scenarios.js";

describe("replication (seed 004 narratives)", () => {
  it("a crashed leader with offsets up to 5 and high watermark 3 loses 3..5 to the new leader, which gets them by retry", () => {
    const run = crashedLeaderNarrative();
    expect(run.first.map((result) => result.type === "ok" && result.offset)).toEqual([0, 1, 2]);
    expect(run.beforeCrash.logEndOffset).toBe(6);
    expect(run.beforeCrash.highWatermark).toBe(3);
    // The new leader only had what the ISR had; nothing of 3..5 was acknowledged before it.
    expect(run.newLeaderAtElection.logEndOffset).toBe(3);
    expect(run.ackedBeforeElection).toBe(0);
    // The producer retried and the new leader appended them.
    expect(run.late.map((result) => result?.type === "ok" && result.offset)).toEqual([3, 4, 5]);
    // The old leader came back as follower and truncated its divergent 3..5 by leader epoch.
    expect(run.simulation.trace()).toMatch(new RegExp(`broker-${run.leader} truncate t-0 6 -> 3 \\(diverged`));
    expect(run.oldLeaderAfter.records.map((record) => record.value)).toEqual(run.newLeaderAfter.records.map((record) => record.value));
    expect(run.read.map((record) => record.value)).toEqual(["v0", "v1", "v2", "v3", "v4", "v5"]);
  });

  it("with the ISR below min.insync.replicas, acks=all is refused before append and acks=1 is not", () => {
    const simulation = cluster({ controllers: 1 });
    createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
    const { leader, second, third } = roles(simulation, "t");
    simulation.kill(broker(second));
    simulation.kill(broker(third));
    simulation.runUntilCondition(() => simulation.describe("t")[0]!.isr.length === 1, 60_000);
    expect(simulation.describe("t")[0]!.isr).toEqual([leader]);
    const strict = simulation.producer("strict", { acks: "all", "enable.idempotence": false, retries: 0 });
    const [refused] = sendAll(simulation, strict, [{ topic: "t", key: null, value: "x", partition: 0 }]);
    expect(refused).toMatchObject({ type: "fail", error: "NOT_ENOUGH_REPLICAS" });
    expect(simulation.replica(leader, "t", 0)!.logEndOffset).toBe(0);
    const loose = simulation.producer("loose", { acks: "1" });
    const [accepted] = sendAll(simulation, loose, [{ topic: "t", key: null, value: "y", partition: 0 }]);
    expect(accepted).toMatchObject({ type: "ok", offset: 0 });
    // Kafka 4.x: the high watermark does not advance while the ISR is below min ISR.
    simulation.runUntil(simulation.nowMs + 1_000);
    expect(simulation.replica(leader, "t", 0)!.highWatermark).toBe(0);
  });

  it.each([
    ["3.9.0", "NOT_ENOUGH_REPLICAS_AFTER_APPEND", 1],
    ["4.1.0", "REQUEST_TIMED_OUT", 0],
  ] as const)("Kafka %s: acks=all whose ISR shrinks below min ISR after append ends %s (info), high watermark %d", (version, error, highWatermark) => {
    const simulation = cluster({ controllers: 1, kafkaVersion: version, broker: { "replica.lag.time.max.ms": 10_000 } });
    createTopic(simulation, "t", 1, 2, { "min.insync.replicas": 2 });
    const { leader, second } = roles(simulation, "t");
    simulation.cut(broker(leader), broker(second));
    const producer = simulation.producer("producer-0", { acks: "all", "enable.idempotence": false, retries: 0, "request.timeout.ms": 60_000 });
    const [result] = sendAll(simulation, producer, [{ topic: "t", key: null, value: "x", partition: 0 }]);
    expect(result).toMatchObject({ type: "info", error });
    expect(simulation.describe("t")[0]!.isr).toEqual([leader]);
    expect(simulation.replica(leader, "t", 0)!.logEndOffset).toBe(1);
    expect(simulation.replica(leader, "t", 0)!.highWatermark).toBe(highWatermark);
  });

  it("a follower that stops fetching leaves the ISR after replica.lag.time.max.ms and rejoins when caught up", () => {
    const simulation = cluster({ controllers: 1, broker: { "replica.lag.time.max.ms": 10_000 } });
    createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 1 });
    const { leader, second } = roles(simulation, "t");
    simulation.pause(broker(second));
    const producer = simulation.producer("producer-0", { acks: "all" });
    sendAll(simulation, producer, [{ topic: "t", key: null, value: "a", partition: 0 }]);
    simulation.runUntilCondition(() => !simulation.describe("t")[0]!.isr.includes(second), 60_000);
    expect(simulation.describe("t")[0]!.isr).not.toContain(second);
    const [acked] = sendAll(simulation, producer, [{ topic: "t", key: null, value: "b", partition: 0 }]);
    expect(acked).toMatchObject({ type: "ok", offset: 1 });
    simulation.resume(broker(second));
    const rejoined = simulation.runUntilCondition(() => simulation.describe("t")[0]!.isr.includes(second), 60_000);
    expect(rejoined).toBe(true);
    expect(simulation.replica(second, "t", 0)!.records.map((record) => record.value)).toEqual(["a", "b"]);
    expect(simulation.leaderOf("t", 0)).toBe(leader);
  });

  it("a deposed leader cut off from the cluster cannot get acks=all writes acknowledged; its acks=1 writes are truncated on rejoin", () => {
    const simulation = cluster({ controllers: 1 });
    createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
    const { leader } = roles(simulation, "t");
    const strictClient = simulation.producer("strict", { acks: "all", "enable.idempotence": false, retries: 0, "request.timeout.ms": 20_000, "delivery.timeout.ms": 30_000 });
    const looseClient = simulation.producer("loose", { acks: "1", retries: 0, "request.timeout.ms": 20_000, "delivery.timeout.ms": 30_000 });
    sendAll(simulation, strictClient, [{ topic: "t", key: null, value: "warm-up", partition: 0 }]);
    sendAll(simulation, looseClient, [{ topic: "t", key: null, value: "warm-up-2", partition: 0 }]);
    // Isolate the leader from the brokers and the controller, not from the clients.
    for (const other of simulation.nodes) {
      if (other.startsWith("broker-") || other.startsWith("controller-")) {
        if (other === broker(leader)) continue;
        simulation.cut(broker(leader), other);
        simulation.cut(other, broker(leader));
      }
    }
    const newLeader = awaitNewLeader(simulation, "t", leader);
    expect(newLeader).not.toBe(leader);
    const [strict] = sendAll(simulation, strictClient, [{ topic: "t", key: null, value: "zombie-all", partition: 0 }]);
    expect(strict?.type).toBe("info");
    const [loose] = sendAll(simulation, looseClient, [{ topic: "t", key: null, value: "zombie-one", partition: 0 }]);
    expect(loose?.type).toBe("ok");
    simulation.heal();
    simulation.runUntil(simulation.nowMs + 30_000);
    const values = readAll(simulation, "t", 1).map((record) => record.value);
    expect(values).not.toContain("zombie-all");
    expect(values).not.toContain("zombie-one");
    expect(values).toEqual(["warm-up", "warm-up-2"]);
    simulation.checkInvariants();
    const deposed = simulation.replica(leader, "t", 0)!;
    expect(deposed.role).toBe("follower");
    expect(deposed.leaderEpoch).toBeGreaterThan(0);
    expect(deposed.records.map((record) => record.value)).toEqual(["warm-up", "warm-up-2"]);
  });
});
