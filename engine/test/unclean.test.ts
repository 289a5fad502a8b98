import { describe, expect, it } from "vitest";
import { allIsrDown } from "./scenarios.js";

describe("unclean leader election (D7)", () => {
  it("off: a partition whose ISR is all down stays offline and loses nothing", () => {
    const run = allIsrDown({ unclean: false });
    expect(run.late.every((result) => result.type === "ok")).toBe(true);
    expect(run.state.leader).toBeNull();
    expect(run.state.isr).toEqual([run.leader]);
    expect(run.elections.every((election) => !election.unclean)).toBe(true);
    // The data is still on the dead leader's disk, waiting for it.
    expect(run.simulation.replica(run.leader, "t", 0)!.records.map((record) => record.value)).toEqual(["replicated", "only-on-leader-1", "only-on-leader-2"]);
    run.simulation.restart(`broker-${run.leader}`);
    run.simulation.runUntil(run.simulation.nowMs + 30_000);
    expect(run.simulation.leaderOf("t", 0)).toBe(run.leader);
  });

  it("on: it comes back under the out-of-sync replica and loses acknowledged records", () => {
    const run = allIsrDown({ unclean: true });
    expect(run.late.every((result) => result.type === "ok")).toBe(true);
    expect(run.state.leader).toBe(run.second);
    expect(run.elections.at(-1)).toEqual({ leader: run.second, unclean: true });
    expect(run.read.map((record) => record.value)).toEqual(["replicated"]);
  });
});
