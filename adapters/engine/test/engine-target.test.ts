import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { ElectionValue, EndOffsetsValue, History, HistoryEvent, NemesisValue, PollValue } from "../../../model/index.js";
import type { Scenario } from "../../../chaos/scenario.js";
import { ScenarioError } from "../../../chaos/problem.js";
import { checkHistory, serializeHistory, validateHistory } from "../../../model/index.js";
import { presetByName, presetScenarioArbitrary } from "../../../chaos/arbitraries/presets.js";
import { producerPresets, threeBrokers, durableTopic } from "../../../chaos/presets/index.js";
import { createEngineTarget } from "../index.js";

const target = createEngineTarget();

const handMade: Scenario = {
  name: "hand-made",
  seed: 11,
  cluster: threeBrokers,
  topics: [durableTopic],
  clients: [
    { id: "producer-0", role: "producer", config: producerPresets["acks-1"] ?? {} },
    { id: "consumer-0", role: "consumer", config: { "isolation.level": "read_uncommitted", "enable.auto.commit": false } },
  ],
  steps: [
    { at: 0, op: "assign", client: "consumer-0", partitions: [{ topic: "events", partition: 0 }, { topic: "events", partition: 1 }] },
    { at: 0, op: "seek", client: "consumer-0", topic: "events", partition: 0, offset: 0 },
    { at: 0, op: "seek", client: "consumer-0", topic: "events", partition: 1, offset: 0 },
    { at: 10, op: "send", client: "producer-0", topic: "events", key: "k0", value: "a" },
    { at: 11, op: "send", client: "producer-0", topic: "events", key: "k0", value: "b", partition: 0 },
    { at: 12, op: "fault", fault: { kind: "kill-leader", topic: "events", partition: 0 } },
    { at: 300, op: "poll", client: "consumer-0" },
    { at: 400, op: "fault", fault: { kind: "kill", node: "broker-1" } },
    { at: 401, op: "fault", fault: { kind: "kill", node: "broker-1" } },
    { at: 500, op: "fault", fault: { kind: "split", minority: ["broker-2"] } },
    { at: 900, op: "send", client: "producer-0", topic: "events", key: "k1", value: "c" },
  ],
  finale: { quietMs: 6000 },
};

const sampled = fc.sample(presetScenarioArbitrary(presetByName("mixed"), { consumers: 1, intensity: 0.8 }), { numRuns: 4, seed: 5 });

function nemesisCompletions(history: History): HistoryEvent[] {
  return history.events.filter((event) => event.process === "nemesis" && event.type === "ok");
}

describe("engine target", () => {
  test("same scenario, same history bytes; another seed, another history", async () => {
    for (const scenario of sampled) {
      const first = serializeHistory(await target.run(scenario));
      const second = serializeHistory(await target.run(scenario));
      expect(second).toBe(first);
    }
    const scenario = sampled[0] as Scenario;
    const other = serializeHistory(await target.run({ ...scenario, seed: scenario.seed + 1 }));
    expect(other).not.toBe(serializeHistory(await target.run(scenario)));
  });

  test("histories are valid for the model: every invoke completed once, times ordered, header complete", async () => {
    for (const scenario of [handMade, ...sampled]) {
      const history = await target.run(scenario);
      expect(() => validateHistory(history, "engine")).not.toThrow();
      expect(() => checkHistory(history)).not.toThrow();
      const open = new Map<string, number>();
      for (const event of history.events) {
        if (event.process === "nemesis" || event.process === "observer") continue;
        const key = `${event.process}/${event.f}`;
        open.set(key, (open.get(key) ?? 0) + (event.type === "invoke" ? 1 : -1));
      }
      expect([...open.values()].every((count) => count === 0)).toBe(true);
      expect(history.header.clients["final-reader"]?.role).toBe("reader");
      for (const client of scenario.clients) expect(history.header.clients[client.id]?.config).toEqual(client.config);
      expect(history.header.topics[0]?.assignment).toHaveLength(scenario.topics[0]?.partitions ?? 0);
      expect(history.header.seed).toBe(String(scenario.seed));
    }
  });

  test("every fault step becomes a nemesis event; leader faults name the leader of that moment", async () => {
    const history = await target.run(handMade);
    const faults = handMade.steps.filter((step) => step.op === "fault");
    const completions = nemesisCompletions(history);
    // Scenario faults first, then the finale's heal / restarts.
    expect(completions.length).toBeGreaterThanOrEqual(faults.length + 1);
    const killLeader = completions[0];
    const killed = (killLeader?.value as NemesisValue).nodes?.[0];
    const elections = history.events.filter((event) => event.process === "observer" && event.index < (killLeader?.index ?? 0)).map((event) => event.value as ElectionValue);
    const leaderBefore = elections.filter((election) => election.partition === 0).at(-1)?.leader;
    expect(killed).toBe(`broker-${leaderBefore}`);
    const electedAfter = history.events.filter((event) => event.process === "observer" && event.index > (killLeader?.index ?? 0)).map((event) => event.value as ElectionValue);
    expect(electedAfter.some((election) => election.partition === 0 && `broker-${election.leader}` !== killed)).toBe(true);
    // Killing an already-dead broker is recorded, with no effect.
    const secondKill = completions[2]?.value as NemesisValue;
    if (killed === "broker-1") expect(completions[1]?.value).toMatchObject({ nodes: [] });
    expect(secondKill.nodes).toEqual([]);
    expect(secondKill.description).toContain("no effect");
    const split = completions[3]?.value as NemesisValue;
    expect(split.cuts).toContainEqual(["broker-2", "broker-1"]);
    expect(split.cuts).toContainEqual(["broker-3", "broker-2"]);
    expect(split.cuts?.some(([from, to]) => from.startsWith("producer") || to.startsWith("producer"))).toBe(false);
  });

  test("the finale reads every partition up to its end offset", async () => {
    for (const scenario of [handMade, ...sampled]) {
      const history = await target.run(scenario);
      const endOffsets = history.events.find((event) => event.process === "final-reader" && event.f === "end-offsets" && event.type === "ok");
      expect(endOffsets).toBeDefined();
      const offsets = (endOffsets?.value as EndOffsetsValue).offsets;
      expect(offsets).toHaveLength(scenario.topics[0]?.partitions ?? 0);
      const read = new Map<number, number>();
      for (const event of history.events) {
        if (event.process !== "final-reader" || event.f !== "poll" || event.type !== "ok") continue;
        const value = event.value as PollValue;
        expect(value.final).toBe(true);
        for (const record of value.records ?? []) read.set(record.partition, Math.max(read.get(record.partition) ?? -1, record.offset));
      }
      for (const entry of offsets) if (entry.endOffset > entry.startOffset) expect(read.get(entry.partition)).toBe(entry.endOffset - 1);
    }
  });

  test("a scenario naming an unknown client is refused before anything runs", async () => {
    const bad: Scenario = { ...handMade, steps: [{ at: 0, op: "poll", client: "consumer-7" }] };
    await expect(target.run(bad)).rejects.toBeInstanceOf(ScenarioError);
    await expect(target.run(bad)).rejects.toThrow('steps[0].client: "consumer-7" is not allowed; allowed: a consumer: consumer-0');
  });
});
