import { describe, expect, test } from "vitest";
import { KafkaNemesis, type ClusterControl } from "../nemesis.js";
import type { NemesisValue } from "../../../model/index.js";

/** A cluster that only writes down what it was asked to do (the nemesis's bookkeeping is under test). */
function recordingCluster(): { control: ClusterControl; calls: string[] } {
  const calls: string[] = [];
  const act = (name: string) => async (...args: string[]) => {
    calls.push([name, ...args].join(" "));
  };
  const control: ClusterControl = {
    bootstrapServers: ["127.0.0.1:1"],
    brokerIds: [1, 2, 3],
    nodeNames: ["broker-1", "broker-2", "broker-3"],
    kill: act("kill"),
    stop: act("stop"),
    start: act("start"),
    pause: act("pause"),
    resume: act("resume"),
    cut: act("cut"),
    cutClients: act("cutClients"),
    heal: act("heal"),
    close: act("close"),
  };
  return { control, calls };
}

function nemesisWith(leader: number | null | Error) {
  const { control, calls } = recordingCluster();
  const events: { f: string; type: string; value: NemesisValue }[] = [];
  const nemesis = new KafkaNemesis({
    cluster: control,
    leaderOf: async () => {
      if (leader instanceof Error) throw leader;
      return leader;
    },
    log: {
      invoke: (f, value) => {
        events.push({ f, type: "invoke", value });
        return { complete: (type, completion) => void events.push({ f, type, value: completion }) };
      },
    },
  });
  return { nemesis, calls, events };
}

describe("KafkaNemesis", () => {
  test("kill-leader resolves the leader and records it", async () => {
    const { nemesis, calls, events } = nemesisWith(2);
    await nemesis.apply({ kind: "kill-leader", topic: "t", partition: 0 });
    expect(calls).toEqual(["kill broker-2"]);
    expect(events.map((event) => `${event.type} ${event.f}`)).toEqual(["invoke kill", "ok kill"]);
    expect(events[1]?.value.nodes).toEqual(["broker-2"]);
  });

  test("restoreAll heals, resumes paused and restarts down nodes", async () => {
    const { nemesis, calls } = nemesisWith(1);
    await nemesis.apply({ kind: "pause", node: "broker-1" });
    await nemesis.apply({ kind: "kill", node: "broker-3" });
    await nemesis.apply({ kind: "isolate", node: "broker-2" });
    calls.length = 0;
    await nemesis.restoreAll();
    expect(calls).toEqual(["heal", "resume broker-1", "start broker-3"]);
    expect(nemesis.state).toEqual({ down: [], paused: [], cuts: [] });
  });

  test("a paused node is thawed before it is killed; restart of a running node does nothing", async () => {
    const { nemesis, calls, events } = nemesisWith(1);
    await nemesis.apply({ kind: "pause", node: "broker-1" });
    await nemesis.apply({ kind: "kill", node: "broker-1" });
    await nemesis.apply({ kind: "restart", node: "broker-2" });
    expect(calls).toEqual(["pause broker-1", "resume broker-1", "kill broker-1"]);
    expect(events.at(-1)?.value.description).toMatch(/already running/);
  });

  test("power loss and unknown nodes are refused", async () => {
    const { nemesis, events } = nemesisWith(1);
    await expect(nemesis.apply({ kind: "power-loss", node: "broker-1" })).rejects.toThrow(/power-loss/);
    await expect(nemesis.apply({ kind: "kill", node: "broker-7" })).rejects.toThrow(/broker-7/);
    expect(events.at(-1)).toMatchObject({ type: "info" });
  });

  test("no leader: nothing is cut and the event says so", async () => {
    const { nemesis, calls, events } = nemesisWith(null);
    await nemesis.apply({ kind: "isolate-leader", topic: "t", partition: 0 });
    expect(calls).toEqual([]);
    expect(events.at(-1)?.value.description).toMatch(/no leader/);
  });

  test("a leader lookup that times out hits nothing and says why, instead of failing the scenario", async () => {
    const { nemesis, calls, events } = nemesisWith(new Error("Request Metadata(key: 3, version: 6) timed out"));
    await nemesis.apply({ kind: "kill-leader", topic: "t", partition: 1 });
    expect(calls).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: "ok", value: { nodes: [] } });
    expect(events.at(-1)?.value.description).toMatch(/leader unknown \(Request Metadata.*timed out\), no effect/);
    expect(nemesis.state.down).toEqual([]);
  });
});

describe("KafkaNemesis: groups", () => {
  function groupNemesis(coordinator: number | null) {
    const { control, calls } = recordingCluster();
    const events: { f: string; type: string; value: NemesisValue }[] = [];
    const applied: string[] = [];
    const state = { down: false, paused: false };
    const nemesis = new KafkaNemesis({
      cluster: control,
      leaderOf: async () => 1,
      coordinatorOf: async (group) => {
        applied.push(`coordinator of ${group}`);
        return coordinator;
      },
      clients: {
        has: (node) => node === "consumer-a0",
        apply: (kind, node) => {
          applied.push(`${kind} ${node}`);
          // As GroupConsumerClient: a crash ends a freeze.
          if (kind === "kill") Object.assign(state, { down: true, paused: false });
          if (kind === "restart") state.down = false;
          if (kind === "pause") state.paused = true;
          if (kind === "resume") state.paused = false;
          return { applied: true, effect: `${kind} done` };
        },
        finale: () => [...(state.paused ? [{ kind: "resume" as const, node: "consumer-a0" }] : []), ...(state.down ? [{ kind: "restart" as const, node: "consumer-a0" }] : [])],
      },
      log: {
        invoke: (f, value) => {
          events.push({ f, type: "invoke", value });
          return { complete: (type, completion) => void events.push({ f, type, value: completion }) };
        },
      },
    });
    return { nemesis, calls, events, applied };
  }

  test("kill-coordinator kills the broker that coordinates the group and names it", async () => {
    const { nemesis, calls, events, applied } = groupNemesis(3);
    await nemesis.apply({ kind: "kill-coordinator", group: "group-a" });
    expect(applied).toEqual(["coordinator of group-a"]);
    expect(calls).toEqual(["kill broker-3"]);
    expect(events.at(-1)).toMatchObject({ f: "kill", type: "ok", value: { nodes: ["broker-3"], description: "kill the coordinator of group group-a: broker-3" } });
    expect(nemesis.state.down).toEqual(["broker-3"]);
  });

  test("a group without a coordinator: nothing is killed and the event says why", async () => {
    const { nemesis, calls, events } = groupNemesis(null);
    await nemesis.apply({ kind: "kill-coordinator", group: "group-a" });
    expect(calls).toEqual([]);
    expect(events.at(-1)?.value).toEqual({ nodes: [], description: "kill the coordinator of group group-a: the group has no coordinator, no effect" });
  });

  test("process faults naming a group consumer act on it, not on the cluster; the finale thaws and restarts it", async () => {
    const { nemesis, calls, events, applied } = groupNemesis(1);
    await nemesis.apply({ kind: "kill", node: "consumer-a0" });
    await nemesis.apply({ kind: "restart", node: "consumer-a0" });
    await nemesis.apply({ kind: "pause", node: "consumer-a0" });
    expect(calls).toEqual([]);
    expect(events.filter((event) => event.type === "ok").map((event) => `${event.f} ${event.value.nodes?.join(",")}`)).toEqual(["kill consumer-a0", "restart consumer-a0", "pause consumer-a0"]);
    await nemesis.apply({ kind: "kill", node: "consumer-a0" });
    applied.length = 0;
    await nemesis.restoreAll();
    expect(applied).toEqual(["restart consumer-a0"]);
    expect(calls).toEqual(["heal"]);
  });
});
