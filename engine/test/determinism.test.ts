import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PlantedBug } from "../index.js";
import { Random } from "../simulation/random.js";
import { cluster, createTopic, readAll } from "./helpers.js";

/** A chaos run: two producers, faults of every kind chosen by the seed, then heal, restart, read. */
function chaos(seed: number, options: { powerLoss: boolean; bugs?: PlantedBug[] } = { powerLoss: true }) {
  const simulation = cluster({ seed, controllers: 1, plantedBugs: options.bugs ?? [], network: { minLatencyMs: 0.2, maxLatencyMs: 5, lossRate: 0.01, reorder: true } });
  createTopic(simulation, "t", 3, 3, { "min.insync.replicas": 2 });
  const history: string[] = [];
  simulation.onElection((election) => history.push(`elect ${election.partition} ${election.leader} ${election.epoch} ${election.unclean}`));
  const safe = simulation.producer("safe", { acks: "all" });
  const fast = simulation.producer("fast", { acks: "1", "enable.idempotence": false });
  const random = new Random(seed ^ 0x5eed);
  const brokers = ["broker-1", "broker-2", "broker-3"];
  let sent = 0;
  for (let step = 0; step < 40; step++) {
    for (let index = 0; index < 20; index++) {
      const value = `v${sent++}`;
      const producer = index % 2 === 0 ? safe : fast;
      producer.send({ topic: "t", key: `k${index % 5}`, value }, (result) => history.push(`${value} ${JSON.stringify(result)}`));
    }
    const target = brokers[random.integerBetween(0, 2)]!;
    const other = brokers.find((name) => name !== target)!;
    switch (random.integerBetween(0, 7)) {
      case 0:
        simulation.kill(target);
        break;
      case 1:
        if (options.powerLoss) simulation.powerLoss(target);
        else simulation.kill(target);
        break;
      case 2:
        simulation.pause(target);
        break;
      case 3:
        simulation.resume(target);
        break;
      case 4:
        simulation.cut(target, other);
        break;
      case 5:
        simulation.heal();
        break;
      case 6:
        simulation.restart(target);
        break;
      default:
        simulation.stop(target);
    }
    simulation.runUntil(simulation.nowMs + random.integerBetween(100, 15_000));
    simulation.checkInvariants();
  }
  simulation.heal();
  for (const name of brokers) {
    simulation.resume(name);
    simulation.restart(name);
  }
  simulation.runUntil(simulation.nowMs + 200_000);
  simulation.checkInvariants();
  const read = readAll(simulation, "t", 3, "final-reader", 60);
  return { trace: simulation.trace(), hash: simulation.traceHash(), history, read, events: simulation.eventsRun };
}

/** The acks=all producer's acknowledged values that the final read does not have. */
function lostAckedAll(run: ReturnType<typeof chaos>): { acked: number; lost: string[] } {
  const ackedSafe = run.history
    .filter((line) => /"type":"ok"/.test(line))
    .map((line) => line.split(" ")[0]!)
    .filter((value) => Number(value.slice(1)) % 20 % 2 === 0);
  const read = new Set(run.read.map((record) => record.value));
  return { acked: ackedSafe.length, lost: ackedSafe.filter((value) => !read.has(value)) };
}

describe("determinism", () => {
  it("the same scenario and seed give the same trace byte for byte", () => {
    const first = chaos(11);
    const second = chaos(11);
    expect(first.events).toBeGreaterThan(10_000);
    expect(createHash("sha256").update(second.trace).digest("hex")).toBe(createHash("sha256").update(first.trace).digest("hex"));
    expect(second.hash).toBe(first.hash);
    expect(second.history).toEqual(first.history);
    expect(second.read).toEqual(first.read);
  });

  it("a different seed gives a different run (the hash would catch a divergence)", () => {
    expect(chaos(12).hash).not.toBe(chaos(11).hash);
  });

  it("after the chaos every partition reads back from offset 0 with each offset exactly once", () => {
    for (const seed of [11, 12, 13]) {
      const run = chaos(seed);
      expect(run.history.some((line) => /"type":"ok"/.test(line))).toBe(true);
      for (let partition = 0; partition < 3; partition++) {
        const offsets = run.read.filter((record) => record.partition === partition).map((record) => record.offset);
        expect(offsets).toEqual(offsets.map((_, index) => index));
      }
    }
  });

  it("without power loss, every record acknowledged with acks=all survives kills, pauses, partitions and restarts (D2)", () => {
    for (const seed of [21, 22, 23, 24]) {
      const { acked, lost } = lostAckedAll(chaos(seed, { powerLoss: false }));
      expect(acked).toBeGreaterThan(0);
      expect(lost).toEqual([]);
    }
  });

  it.each(["early-ack"] as const)("the same chaos check catches the planted bug %s", (bug) => {
    const lost = [21, 22, 23, 24].flatMap((seed) => lostAckedAll(chaos(seed, { powerLoss: false, bugs: [bug] })).lost);
    expect(lost.length).toBeGreaterThan(0);
  });
});
