import { describe, expect, it } from "vitest";
import { plantedBugs } from "../planted-bugs.js";
import { cluster, createTopic, readAll, sendAll } from "./helpers.js";
import { allIsrDown, crashedLeaderNarrative, leaderCutFromFollowers, staleHighWatermarkFollower } from "./scenarios.js";
import type { SendResult } from "../index.js";

/** Each planted bug: the correct engine keeps (the transaction bugs' teeth are in transactions.test.ts) the guarantee in a scenario where the bug breaks it. */
describe("planted bugs have teeth", () => {
  it("every planted bug is documented with the guarantees it breaks", () => {
    expect(plantedBugs.map((bug) => bug.id).sort()).toEqual(
      ["ack-batch-base-offset", "consumer-rewind-on-leader-change", "consumer-skip-on-error", "early-ack", "high-watermark-at-log-end", "ignore-min-insync-replicas", "no-sequence-check", "retry-to-back", "truncate-to-high-watermark", "unclean-election-always", "wrong-key-hash",
        "assign-without-rebalance", "commit-last-processed", "sync-commit-retried-late", "sticky-forgets-ownership", "accept-stale-commit", "offsets-shared-across-groups",
        "read-committed-returns-aborted", "commit-marker-first-partition-only", "last-stable-offset-at-high-watermark", "marker-without-offset", "no-fencing"].sort(),
    );
    for (const bug of plantedBugs) expect(bug.breaks.length).toBeGreaterThan(0);
  });

  it("truncate-to-high-watermark loses acknowledged acks=all records (D2); leader-epoch truncation keeps them", () => {
    const correct = staleHighWatermarkFollower();
    expect(correct.acked.every((result) => result.type === "ok")).toBe(true);
    expect(correct.read.map((record) => record.value)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    const broken = staleHighWatermarkFollower(["truncate-to-high-watermark"]);
    expect(broken.acked.every((result) => result.type === "ok")).toBe(true);
    expect(broken.read.length).toBeLessThan(5);
  });

  it("truncate-to-high-watermark also shows in the seed narrative: the old leader keeps no divergence check", () => {
    const broken = crashedLeaderNarrative(["truncate-to-high-watermark"]);
    expect(broken.simulation.trace()).not.toMatch(/diverged at epoch/);
    expect(crashedLeaderNarrative().simulation.trace()).toMatch(/diverged at epoch/);
  });

  it("unclean-election-always brings back an out-of-sync leader with unclean election off and loses acked records (D7)", () => {
    const correct = allIsrDown({ unclean: false });
    expect(correct.state.leader).toBeNull();
    const broken = allIsrDown({ unclean: false, bugs: ["unclean-election-always"] });
    expect(broken.state.leader).toBe(broken.second);
    expect(broken.elections.at(-1)).toEqual({ leader: broken.second, unclean: false });
    expect(broken.read.map((record) => record.value)).toEqual(["replicated"]);
    expect(broken.late.every((result) => result.type === "ok")).toBe(true);
  });

  it("high-watermark-at-log-end lets a consumer read a record that is lost later (D6)", () => {
    const correct = leaderCutFromFollowers("1");
    expect(correct.result?.type).toBe("ok");
    expect(correct.seenEarly).toEqual(["before"]);
    expect(correct.read).toEqual(["before"]);
    const broken = leaderCutFromFollowers("1", ["high-watermark-at-log-end"]);
    expect(broken.seenEarly).toContain("exposed");
    expect(broken.read).not.toContain("exposed");
  });

  it("early-ack acknowledges acks=all records the ISR never got, which are then lost (D2)", () => {
    const correct = leaderCutFromFollowers("all");
    expect(correct.result?.type).not.toBe("ok");
    const broken = leaderCutFromFollowers("all", ["early-ack"]);
    expect(broken.result?.type).toBe("ok");
    expect(broken.read).not.toContain("exposed");
  });

  it("ack-batch-base-offset reports offsets where the records are not (D10)", () => {
    const run = (bugs: ("ack-batch-base-offset")[]) => {
      const simulation = cluster({ plantedBugs: bugs });
      createTopic(simulation, "t", 1, 3);
      const producer = simulation.producer("producer-0", { acks: "all" });
      const results = sendAll(simulation, producer, ["a", "b", "c"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
      const read = readAll(simulation, "t", 1);
      return results.map((result, index) => read.find((record) => result.type === "ok" && record.offset === result.offset)?.value === ["a", "b", "c"][index]);
    };
    expect(run([])).toEqual([true, true, true]);
    expect(run(["ack-batch-base-offset"])).toContain(false);
  });

  it("retry-to-back reorders a single-in-flight producer's acknowledged records (O3)", () => {
    const run = (bugs: "retry-to-back"[]) => {
      const simulation = cluster({ controllers: 1, plantedBugs: bugs });
      createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
      const leader = simulation.leaderOf("t", 0)!;
      const producer = simulation.producer("producer-0", {
        acks: "all",
        "enable.idempotence": false,
        "max.in.flight.requests.per.connection": 1,
        "linger.ms": 0,
        "batch.size": 1,
        "request.timeout.ms": 5_000,
        "delivery.timeout.ms": 60_000,
      });
      sendAll(simulation, producer, [{ topic: "t", key: "k", value: "warm-up" }]);
      // r0's response is lost, so it times out and is retried while r1 and r2 wait behind it.
      simulation.cut(`broker-${leader}`, "producer-0");
      const results = new Map<string, SendResult>();
      ["r0", "r1", "r2"].forEach((value) => producer.send({ topic: "t", key: "k", value }, (result) => results.set(value, result)));
      simulation.runUntil(simulation.nowMs + 4_000);
      simulation.heal();
      simulation.runUntilCondition(() => results.size === 3, 200_000);
      return ["r0", "r1", "r2"].map((value) => {
        const result = results.get(value);
        return result?.type === "ok" ? result.offset : -1;
      });
    };
    const inOrder = run([]);
    expect(inOrder.every((offset) => offset >= 0)).toBe(true);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
    const reordered = run(["retry-to-back"]);
    expect(reordered.every((offset) => offset >= 0)).toBe(true);
    expect(reordered).not.toEqual([...reordered].sort((a, b) => a - b));
  });
});
