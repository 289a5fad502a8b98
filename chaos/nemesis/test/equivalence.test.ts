/**
 * One nemesis: the same fault schedule records the same nemesis events on both targets. The engine's
 * executor runs against a fake simulation, Kafka's against a fake container cluster; both answer the
 * leader question the same way, so any difference would be the harness's own.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Fault } from "../../fault.js";
import type { NemesisValue } from "../../../model/index.js";
import { EngineNemesis, type SimulationControl } from "../../../adapters/engine/nemesis.js";
import { KafkaNemesis, type ClusterControl } from "../../../adapters/kafka/nemesis.js";

const brokers = ["broker-1", "broker-2", "broker-3"];
const clients = ["producer-0", "consumer-0"];
/** The leader each target reports for partition p of topic t: broker (p % 3) + 1, or none for partition 3. */
const leaderOf = (_topic: string, partition: number): number | null => (partition === 3 ? null : (partition % 3) + 1);

function engineNemesis(): EngineNemesis {
  const nothing = (): void => undefined;
  const simulation: SimulationControl = { leaderOf, kill: nothing, powerLoss: nothing, stop: nothing, restart: nothing, pause: nothing, resume: nothing, cut: nothing, heal: nothing };
  return new EngineNemesis(simulation, brokers, clients);
}

function kafkaNemesis(events: NemesisValue[]): KafkaNemesis {
  const nothing = async (): Promise<void> => undefined;
  const cluster: ClusterControl = { bootstrapServers: [], brokerIds: [1, 2, 3], nodeNames: brokers, kill: nothing, stop: nothing, start: nothing, pause: nothing, resume: nothing, cut: nothing, cutClients: nothing, heal: nothing, close: nothing };
  return new KafkaNemesis({
    cluster,
    leaderOf: async (topic, partition) => leaderOf(topic, partition),
    log: { invoke: () => ({ complete: (_type, value) => void events.push(value) }) },
  });
}

const node = fc.constantFrom(...brokers);
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constantFrom("kill" as const, "stop" as const, "restart" as const, "pause" as const, "resume" as const, "isolate" as const), node }),
  fc.record({ kind: fc.constantFrom("kill-leader" as const, "isolate-leader" as const), topic: fc.constant("t"), partition: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("split" as const), minority: fc.subarray(brokers, { minLength: 1, maxLength: 1 }) }),
  fc.record({ kind: fc.constant("one-way" as const), from: fc.subarray(brokers, { minLength: 1 }), to: fc.subarray(brokers, { minLength: 1 }) }),
  fc.record({ kind: fc.constant("bridge" as const), bridge: fc.constant("broker-2"), left: fc.constant(["broker-1"]), right: fc.constant(["broker-3"]) }),
  fc.record({ kind: fc.constant("cut-client" as const), client: fc.constantFrom(...clients), node }),
  fc.constant({ kind: "heal" as const }),
);

/** What the checker reads of a nemesis event (the description may carry a target's own note). */
function recorded(value: NemesisValue): unknown {
  return { nodes: value.nodes ?? null, cuts: value.cuts ?? null, noEffect: /no effect/.test(value.description ?? "") };
}

describe("one nemesis for both targets", () => {
  test("the same fault schedule records the same nemesis events on the engine and on Kafka", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { maxLength: 30 }), async (schedule) => {
        const engine = engineNemesis();
        const kafkaEvents: NemesisValue[] = [];
        const kafka = kafkaNemesis(kafkaEvents);
        const engineEvents: NemesisValue[] = [];
        for (const step of schedule) {
          engineEvents.push(engine.apply(step));
          await kafka.apply(step);
        }
        // The finale (heal, resume, restart) records the same on both too.
        for (const step of engine.finale()) engineEvents.push(engine.apply(step));
        await kafka.restoreAll();
        expect(kafkaEvents.map(recorded)).toEqual(engineEvents.map(recorded));
        expect(engine.downNodes).toEqual([]);
        expect(kafka.state).toEqual({ down: [], paused: [], cuts: [] });
      }),
      { numRuns: 300 },
    );
  });

  test("a fault with no effect records no nodes on either target (a resume that resumes nothing says nothing is up)", async () => {
    const events: NemesisValue[] = [];
    const kafka = kafkaNemesis(events);
    const engine = engineNemesis();
    for (const step of [{ kind: "kill", node: "broker-1" }, { kind: "resume", node: "broker-1" }, { kind: "kill", node: "broker-1" }] as Fault[]) {
      const value = engine.apply(step);
      await kafka.apply(step);
      expect(events.at(-1)?.nodes).toEqual(value.nodes);
    }
    expect(events.map((value) => value.nodes)).toEqual([["broker-1"], [], []]);
  });

  test("isolate cuts a broker from the other brokers, not from clients, on both targets", () => {
    const value = engineNemesis().apply({ kind: "isolate", node: "broker-2" });
    expect(value.cuts?.flat().some((name) => clients.includes(name))).toBe(false);
    expect(value.cuts).toHaveLength(4);
  });
});
