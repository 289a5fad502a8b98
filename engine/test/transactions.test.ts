/**
 * The engine's transactions, scripted: commit and abort across partitions, markers taking offsets,
 * the last stable offset, fencing by a new instance, the coordinator's timeout abort and its failover
 * mid-commit; each planted transaction bug breaks the guarantee it names, and only that run.
 */
import { describe, expect, test } from "vitest";
import type { PlantedBug, Simulation, TransactionalProducer, TransactionInitResult, TransactionResult, TransactionMarkerObservation } from "../api.js";
import { EngineUsageError } from "../api.js";
import { coordinatorPartition } from "../group/coordinator/coordinator.js";
import { cluster, createTopic, pollOnce, sendAll } from "./helpers.js";

const broker = { "transaction.state.log.num.partitions": 3, "offsets.topic.num.partitions": 3, "transaction.abort.timed.out.transaction.cleanup.interval.ms": 1000 };
const transactional = (id = "tx", timeoutMs = 10_000) => ({ "transactional.id": id, "transaction.timeout.ms": timeoutMs, "request.timeout.ms": 3000, "max.block.ms": 20_000 });

function setup(bugs: PlantedBug[] = []): { simulation: Simulation; markers: TransactionMarkerObservation[] } {
  // A separate controller, so a broker kill never takes the cluster's elections with it.
  const simulation = cluster({ broker, plantedBugs: bugs, controllers: 1 });
  const markers: TransactionMarkerObservation[] = [];
  simulation.onTransactionMarker((marker) => markers.push(marker));
  createTopic(simulation, "t", 2, 3, { "min.insync.replicas": 2 });
  return { simulation, markers };
}

function await_<T>(simulation: Simulation, call: (done: (result: T) => void) => void, maxMs = 60_000): T {
  let result: T | undefined;
  call((outcome) => (result = outcome));
  simulation.runUntilCondition(() => result !== undefined, maxMs);
  if (result === undefined) throw new Error("call never completed");
  return result;
}

function init(simulation: Simulation, producer: TransactionalProducer): TransactionInitResult {
  return await_(simulation, (done: (result: TransactionInitResult) => void) => producer.initTransactions(done));
}

/** begin, send each value to its partition, then commit or abort. */
function transaction(simulation: Simulation, producer: TransactionalProducer, values: [string, number][], end: "commit" | "abort"): TransactionResult {
  producer.beginTransaction();
  const sends = sendAll(simulation, producer, values.map(([value, partition]) => ({ topic: "t", key: null, value, partition })));
  expect(sends.map((send) => send.type)).toEqual(values.map(() => "ok"));
  return await_(simulation, (done: (result: TransactionResult) => void) => (end === "commit" ? producer.commitTransaction(done) : producer.abortTransaction(done)));
}

function read(simulation: Simulation, isolation: "read_committed" | "read_uncommitted", id: string): { value: string; partition: number; offset: number }[] {
  const consumer = simulation.consumer(id, { "auto.offset.reset": "earliest", "isolation.level": isolation });
  consumer.assign([0, 1].map((partition) => ({ topic: "t", partition })));
  const records: { value: string; partition: number; offset: number }[] = [];
  for (let empty = 0, round = 0; empty < 3 && round < 100; round++) {
    const result = pollOnce(simulation, consumer);
    if (result.type !== "ok") throw new Error(`poll failed: ${result.error}`);
    if (result.records.length === 0) empty++;
    records.push(...result.records.map((record) => ({ value: record.value, partition: record.partition, offset: record.offset })));
  }
  consumer.close();
  return records;
}

const values = (records: { value: string }[]): string[] => records.map((record) => record.value).sort();

describe("engine transactions", () => {
  test("a committed transaction is visible on both partitions; an aborted one only to read_uncommitted", () => {
    const { simulation, markers } = setup();
    const producer = simulation.transactionalProducer("p", transactional());
    expect(init(simulation, producer).type).toBe("ok");
    expect(transaction(simulation, producer, [["c0", 0], ["c1", 1]], "commit")).toEqual({ type: "ok" });
    expect(transaction(simulation, producer, [["a0", 0], ["a1", 1]], "abort")).toEqual({ type: "ok" });
    expect(transaction(simulation, producer, [["d0", 0]], "commit")).toEqual({ type: "ok" });
    simulation.runUntil(simulation.nowMs + 2000);
    expect(values(read(simulation, "read_committed", "rc"))).toEqual(["c0", "c1", "d0"]);
    const uncommitted = read(simulation, "read_uncommitted", "ru");
    expect(values(uncommitted)).toEqual(["a0", "a1", "c0", "c1", "d0"]);
    // T4: each marker takes an offset; no record sits at one.
    expect(markers.map((marker) => `${marker.partition}@${marker.offset}:${marker.commit ? "commit" : "abort"}`).sort()).toEqual(["0@1:commit", "0@3:abort", "0@5:commit", "1@1:commit", "1@3:abort"]);
    const recordAt = new Set(uncommitted.map((record) => `${record.partition}@${record.offset}`));
    for (const marker of markers) expect(recordAt.has(`${marker.partition}@${marker.offset}`)).toBe(false);
  });

  test("read_committed stops at the last stable offset while a transaction is open (T3)", () => {
    for (const bug of [[], ["last-stable-offset-at-high-watermark"]] as PlantedBug[][]) {
      const { simulation } = setup(bug);
      const producer = simulation.transactionalProducer("p", transactional());
      init(simulation, producer);
      producer.beginTransaction();
      sendAll(simulation, producer, [{ topic: "t", key: null, value: "open", partition: 0 }]);
      simulation.runUntil(simulation.nowMs + 1000);
      const seen = values(read(simulation, "read_committed", "rc"));
      expect(seen).toEqual(bug.length === 0 ? [] : ["open"]);
    }
  });

  test("a new instance fences the old one: the old one's commit fails and its records stay invisible (T6)", () => {
    const { simulation } = setup();
    const old = simulation.transactionalProducer("old", transactional("shared"));
    const first = init(simulation, old);
    old.beginTransaction();
    sendAll(simulation, old, [{ topic: "t", key: null, value: "zombie", partition: 0 }]);
    const fresh = simulation.transactionalProducer("new", transactional("shared"));
    const second = init(simulation, fresh);
    expect(first.type === "ok" && second.type === "ok" && second.epoch > first.epoch).toBe(true);
    const late = await_(simulation, (done: (result: TransactionResult) => void) => old.commitTransaction(done));
    expect(late.type).toBe("fail");
    expect(transaction(simulation, fresh, [["n0", 0]], "commit")).toEqual({ type: "ok" });
    simulation.runUntil(simulation.nowMs + 2000);
    expect(values(read(simulation, "read_committed", "rc"))).toEqual(["n0"]);
  });

  test("planted no-fencing: the old instance keeps its epoch and its commit is acknowledged", () => {
    const { simulation } = setup(["no-fencing"]);
    const old = simulation.transactionalProducer("old", transactional("shared"));
    const first = init(simulation, old);
    const fresh = simulation.transactionalProducer("new", transactional("shared"));
    const second = init(simulation, fresh);
    expect(first.type === "ok" && second.type === "ok" && second.epoch === first.epoch).toBe(true);
    fresh.beginTransaction();
    sendAll(simulation, fresh, [{ topic: "t", key: null, value: "n0", partition: 0 }]);
    old.beginTransaction();
    sendAll(simulation, old, [{ topic: "t", key: null, value: "zombie", partition: 1 }]);
    const zombie = await_(simulation, (done: (result: TransactionResult) => void) => old.commitTransaction(done));
    expect(zombie).toEqual({ type: "ok" });
  });

  test("the coordinator aborts a transaction open past transaction.timeout.ms and fences its producer", () => {
    const { simulation, markers } = setup();
    const producer = simulation.transactionalProducer("p", transactional("slow", 3000));
    init(simulation, producer);
    producer.beginTransaction();
    sendAll(simulation, producer, [{ topic: "t", key: null, value: "late", partition: 1 }]);
    simulation.runUntil(simulation.nowMs + 6000);
    expect(markers.map((marker) => marker.commit)).toEqual([false]);
    const commit = await_(simulation, (done: (result: TransactionResult) => void) => producer.commitTransaction(done));
    expect(commit).toEqual({ type: "fail", error: "PRODUCER_FENCED" });
    expect(values(read(simulation, "read_committed", "rc"))).toEqual([]);
  });

  test("a commit survives the coordinator's crash: the next leader of its state partition writes the markers", () => {
    const { simulation, markers } = setup();
    const producer = simulation.transactionalProducer("p", transactional());
    init(simulation, producer);
    producer.beginTransaction();
    sendAll(simulation, producer, [{ topic: "t", key: null, value: "x0", partition: 0 }, { topic: "t", key: null, value: "x1", partition: 1 }]);
    let result: TransactionResult | undefined;
    producer.commitTransaction((outcome) => (result = outcome));
    simulation.runUntilCondition(() => result !== undefined, 20_000);
    expect(result).toEqual({ type: "ok" });
    // The coordinator: the leader of the state partition "tx" hashes to. It dies right after answering.
    const statePartitions = simulation.describe("__transaction_state");
    const coordinator = statePartitions[coordinatorPartition("tx", statePartitions.length)]!.leader!;
    simulation.kill(`broker-${coordinator}`);
    simulation.runUntil(simulation.nowMs + 60_000);
    expect(values(read(simulation, "read_committed", "rc"))).toEqual(["x0", "x1"]);
    expect(markers.filter((marker) => marker.commit).length).toBeGreaterThanOrEqual(2);
  });

  test("planted commit-marker-first-partition-only tears a committed transaction (T1)", () => {
    const { simulation } = setup(["commit-marker-first-partition-only"]);
    const producer = simulation.transactionalProducer("p", transactional());
    init(simulation, producer);
    expect(transaction(simulation, producer, [["c0", 0], ["c1", 1]], "commit")).toEqual({ type: "ok" });
    simulation.runUntil(simulation.nowMs + 2000);
    expect(values(read(simulation, "read_committed", "rc"))).toHaveLength(1);
  });

  test("planted read-committed-returns-aborted shows aborted records to read_committed (T2)", () => {
    const { simulation } = setup(["read-committed-returns-aborted"]);
    const producer = simulation.transactionalProducer("p", transactional());
    init(simulation, producer);
    transaction(simulation, producer, [["a0", 0]], "abort");
    simulation.runUntil(simulation.nowMs + 2000);
    expect(values(read(simulation, "read_committed", "rc"))).toEqual(["a0"]);
  });

  test("planted marker-without-offset: the next record takes the marker's offset (T4)", () => {
    const { simulation, markers } = setup(["marker-without-offset"]);
    const producer = simulation.transactionalProducer("p", transactional());
    init(simulation, producer);
    transaction(simulation, producer, [["c0", 0]], "commit");
    transaction(simulation, producer, [["c1", 0]], "commit");
    simulation.runUntil(simulation.nowMs + 2000);
    const records = read(simulation, "read_uncommitted", "ru");
    expect(records.map((record) => record.offset)).toEqual([0, 1]);
    expect(markers[0]?.offset).toBe(1);
  });

  test("calls out of order and sendOffsetsToTransaction are refused at once", () => {
    const { simulation } = setup();
    const producer = simulation.transactionalProducer("p", transactional());
    expect(() => producer.beginTransaction()).toThrow(EngineUsageError);
    expect(() => simulation.producer("plain", { "transactional.id": "x" })).toThrow(/transactionalProducer/);
    init(simulation, producer);
    producer.beginTransaction();
    expect(() => producer.sendOffsetsToTransaction([], "g", () => undefined)).toThrow(/not modelled/);
  });

  test("the same seed gives the same trace", () => {
    const run = (): string => {
      const { simulation } = setup();
      const producer = simulation.transactionalProducer("p", transactional());
      init(simulation, producer);
      transaction(simulation, producer, [["c0", 0], ["c1", 1]], "commit");
      transaction(simulation, producer, [["a0", 1]], "abort");
      simulation.runUntil(simulation.nowMs + 1000);
      return simulation.traceHash();
    };
    expect(run()).toBe(run());
  });
});
