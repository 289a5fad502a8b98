import { describe, expect, it } from "vitest";
import { EventQueue } from "../simulation/event-queue.js";
import { Random } from "../simulation/random.js";
import { Scheduler } from "../simulation/scheduler.js";
import { SimulatedNode } from "../network/node.js";
import { Network } from "../network/network.js";
import { Trace } from "../simulation/trace.js";
import { LeaderEpochCache } from "../storage/leader-epoch-cache.js";
import { PartitionLog } from "../storage/partition-log.js";

describe("simulation core", () => {
  it("runs events by time, then by insertion order", () => {
    const queue = new EventQueue(100);
    const order: string[] = [];
    queue.push(5, () => order.push("a"));
    queue.push(1, () => order.push("b"));
    queue.push(5, () => order.push("c"));
    queue.push(3, () => order.push("d"));
    queue.push(1, () => order.push("e"));
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) event.action();
    expect(order).toEqual(["b", "e", "d", "a", "c"]);
  });

  it("bounds the event queue", () => {
    const queue = new EventQueue(2);
    queue.push(1, () => undefined);
    queue.push(1, () => undefined);
    expect(() => queue.push(1, () => undefined)).toThrow(/full/);
  });

  it("the random source replays from its seed and differs across seeds", () => {
    const draw = (seed: number): number[] => {
      const random = new Random(seed);
      return Array.from({ length: 8 }, () => random.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    const random = new Random(1);
    for (let index = 0; index < 1000; index++) {
      const value = random.integerBetween(3, 5);
      expect(value >= 3 && value <= 5).toBe(true);
    }
  });

  it("a cut link drops messages one way only; a paused node receives them on resume; a crash drops them", () => {
    const scheduler = new Scheduler(1000);
    const trace = new Trace(100);
    const network = new Network<{ kind: string; n: number }>({ minLatencyMs: 1, maxLatencyMs: 1, lossRate: 0, reorder: false }, scheduler, new Random(1), trace);
    const a = new SimulatedNode("a", 0, scheduler);
    const b = new SimulatedNode("b", 1, scheduler);
    const got: string[] = [];
    network.attach(a, (from, message) => got.push(`a<-${from}:${message.n}`));
    network.attach(b, (from, message) => got.push(`b<-${from}:${message.n}`));
    network.cut("a", "b");
    network.send(a, "b", { kind: "m", n: 1 });
    network.send(b, "a", { kind: "m", n: 2 });
    while (scheduler.step(Infinity));
    expect(got).toEqual(["a<-b:2"]);
    network.heal();
    b.pause();
    network.send(a, "b", { kind: "m", n: 3 });
    while (scheduler.step(Infinity));
    expect(got).toEqual(["a<-b:2"]);
    b.resume();
    while (scheduler.step(Infinity));
    expect(got).toEqual(["a<-b:2", "b<-a:3"]);
    network.send(a, "b", { kind: "m", n: 4 });
    b.crash();
    b.start();
    while (scheduler.step(Infinity));
    expect(got).toEqual(["a<-b:2", "b<-a:3"]);
  });

  it("a link keeps send order unless reordering is on", () => {
    const run = (reorder: boolean): number[] => {
      const scheduler = new Scheduler(10_000);
      const network = new Network<{ kind: string; n: number }>({ minLatencyMs: 0, maxLatencyMs: 10, lossRate: 0, reorder }, scheduler, new Random(3), new Trace(0));
      const a = new SimulatedNode("a", 0, scheduler);
      const b = new SimulatedNode("b", 1, scheduler);
      const got: number[] = [];
      network.attach(a, () => undefined);
      network.attach(b, (_from, message) => got.push(message.n));
      for (let n = 0; n < 50; n++) network.send(a, "b", { kind: "m", n });
      while (scheduler.step(Infinity));
      return got;
    };
    const inOrder = Array.from({ length: 50 }, (_, n) => n);
    expect(run(false)).toEqual(inOrder);
    expect(run(true)).not.toEqual(inOrder);
    expect([...run(true)].sort((x, y) => x - y)).toEqual(inOrder);
  });

  it("the leader epoch cache answers end offsets per epoch (KIP-101)", () => {
    const cache = new LeaderEpochCache();
    cache.assign(0, 0);
    cache.assign(2, 4);
    cache.assign(5, 9);
    expect(cache.endOffsetFor(0, 12)).toEqual({ epoch: 0, endOffset: 4 });
    expect(cache.endOffsetFor(1, 12)).toEqual({ epoch: 0, endOffset: 4 });
    expect(cache.endOffsetFor(3, 12)).toEqual({ epoch: 2, endOffset: 9 });
    expect(cache.endOffsetFor(7, 12)).toEqual({ epoch: 5, endOffset: 12 });
    cache.truncateFromEnd(9);
    expect(cache.latestEpoch).toBe(2);
  });

  it("a power loss keeps only flushed records; truncation drops the epochs past it", () => {
    const log = new PartitionLog();
    const batch = (baseOffset: number, epoch: number, values: string[]) => ({ baseOffset, leaderEpoch: epoch, producerId: -1, producerEpoch: -1, baseSequence: -1, records: values.map((value) => ({ key: null, value })) });
    log.append(batch(0, 0, ["a", "b"]));
    log.flush(0);
    log.append(batch(2, 1, ["c"]));
    expect(log.logEndOffset).toBe(3);
    log.loseUnflushed();
    expect(log.logEndOffset).toBe(2);
    expect(log.epochCache.latestEpoch).toBe(0);
    expect(log.read(1, 2, 100).map((entry) => entry.records.map((record) => record.value))).toEqual([["b"]]);
  });
});
