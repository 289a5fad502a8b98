/**
 * Property tests on the checker itself: valid histories of a correct log never produce an anomaly;
 * deleting one acknowledged record from the final reads always produces a lost-write; duplicating
 * one always produces a duplicate, a violation when the configuration forbids duplicates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkHistory,
  promises,
  type ConfigMap,
  type EndOffsetsValue,
  type History,
  type HistoryEvent,
  type PollValue,
  type ReadRecord,
  type SendValue,
} from "../index.js";
import { simulateCorrectLog, type CorrectLogOptions, type CorrectLogStep } from "../simulate/correct-log.js";
import { anomalies, violations } from "./support.js";

const producerConfigs: readonly ConfigMap[] = [
  {},
  { acks: "1" },
  { acks: "0" },
  { "enable.idempotence": false },
  { "enable.idempotence": false, retries: 0 },
  { "enable.idempotence": false, "max.in.flight.requests.per.connection": 1 },
];

const keys = ["k0", "k1", "k2", "k3", "k4"];

interface Shape {
  readonly partitions: number;
  readonly producers: ConfigMap[];
  readonly consumers: number;
  readonly minInsync: number;
  readonly unclean: boolean;
  readonly finalBatch: number;
  /** 3, or 4 with broker 4 holding no replica (its faults explain nothing). */
  readonly brokers: number;
}

type FaultStep = Extract<CorrectLogStep, { op: "fault" }>;

interface Input {
  readonly shape: Shape;
  readonly steps: CorrectLogStep[];
  /** Faults logged after the final reads (they cannot explain what those reads showed). */
  readonly late: FaultStep[];
}

const faultNames = ["kill", "restart", "pause", "resume", "partition", "heal", "stop"] as const;

function faultStep(brokers: fc.Arbitrary<number>): fc.Arbitrary<FaultStep> {
  return fc.record({ op: fc.constant("fault" as const), f: fc.constantFrom(...faultNames), broker: brokers });
}

const scenario: fc.Arbitrary<Input> = fc
  .record({
    partitions: fc.integer({ min: 1, max: 4 }),
    producers: fc.array(fc.constantFrom(...producerConfigs), { minLength: 1, maxLength: 3 }),
    consumers: fc.integer({ min: 0, max: 2 }),
    minInsync: fc.integer({ min: 1, max: 2 }),
    unclean: fc.boolean(),
    finalBatch: fc.integer({ min: 1, max: 7 }),
    brokers: fc.constantFrom(3, 4),
  })
  .chain((shape) => scenarioOf(shape, fc.integer({ min: 1, max: shape.brokers })));

/**
 * Steps for one shape; `faultBrokers` says which brokers the faults during the run may hit (every one,
 * or only broker 4, which holds no replica: then no fault can explain a loss).
 */
function scenarioOf(shape: Shape, faultBrokers: fc.Arbitrary<number>): fc.Arbitrary<Input> {
  const producer = fc.integer({ min: 0, max: shape.producers.length - 1 });
  const step: fc.Arbitrary<CorrectLogStep> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("send" as const),
        producer,
        key: fc.option(fc.constantFrom(...keys), { nil: null }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("complete" as const),
        producer,
        outcome: fc.constantFrom(
          "ok" as const,
          "ok" as const,
          "fail" as const,
          "info-written" as const,
          "info-unwritten" as const,
        ),
      }),
    },
    ...(shape.consumers > 0
      ? [
          {
            weight: 2,
            arbitrary: fc.record({
              op: fc.constant("poll" as const),
              consumer: fc.integer({ min: 0, max: shape.consumers - 1 }),
              max: fc.integer({ min: 1, max: 6 }),
            }),
          },
        ]
      : []),
    { weight: 1, arbitrary: faultStep(faultBrokers) },
  );
  return fc.record({
    shape: fc.constant(shape),
    steps: fc.array(step, { maxLength: 80 }),
    late: fc.array(faultStep(fc.integer({ min: 1, max: shape.brokers })), { maxLength: 3 }),
  });
}

/** Faults during the run only on broker 4 (no replica), and any faults after the final reads: nothing explains a loss. */
const unexplainable: fc.Arbitrary<Input> = fc
  .record({
    partitions: fc.integer({ min: 1, max: 4 }),
    producers: fc.array(fc.constantFrom(...producerConfigs.filter((config) => config.acks !== "0")), {
      minLength: 1,
      maxLength: 3,
    }),
    consumers: fc.integer({ min: 0, max: 2 }),
    minInsync: fc.integer({ min: 1, max: 2 }),
    unclean: fc.boolean(),
    finalBatch: fc.integer({ min: 1, max: 7 }),
    brokers: fc.constant(4),
  })
  .chain((shape) => scenarioOf(shape, fc.constant(4)));

function build({ shape, steps, late }: Input): History {
  const options: CorrectLogOptions = {
    partitions: shape.partitions,
    producers: shape.producers,
    consumers: shape.consumers,
    topicConfig: { "min.insync.replicas": shape.minInsync, "unclean.leader.election.enable": shape.unclean },
    finalBatch: shape.finalBatch,
    brokers: shape.brokers,
    afterFinalReads: late,
  };
  return simulateCorrectLog(options, steps);
}

function replaceEvent(history: History, index: number, value: unknown): History {
  const events = history.events.map((event): HistoryEvent =>
    event.index === index ? { ...event, value } : event,
  );
  return { header: history.header, events };
}

function isFinalPollOk(event: HistoryEvent): boolean {
  return event.process === "final-reader" && event.f === "poll" && event.type === "ok";
}

function producerConfigOf(history: History, process: string): ConfigMap {
  return history.header.clients[process]?.config ?? {};
}

describe("checker properties", () => {
  it("finds nothing in valid histories of a correct log", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const verdict = checkHistory(build(input));
        // A correct log may still show behaviour its configuration allows: an acks=1 producer is
        // acknowledged while fewer than min.insync.replicas replicas live (D5 is not promised to it).
        // Nothing else, and nothing that is not allowed.
        const unexpected = anomalies(verdict).filter(
          (anomaly) => !(anomaly.allowed && anomaly.kind === "acknowledged-below-min-isr"),
        );
        expect(unexpected).toEqual([]);
        expect(verdict.valid).toBe(true);
      }),
      { numRuns: Number(process.env.MODEL_PROPERTY_RUNS ?? 300) },
    );
  });

  it("deleting one acknowledged record from the final reads always produces a lost-write", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (input, pick) => {
        const history = build(input);
        const acknowledged = history.events.filter(
          (event) =>
            event.f === "send" && event.type === "ok" && (event.value as SendValue).offset !== undefined,
        );
        fc.pre(acknowledged.length > 0);
        const chosen = acknowledged[pick % acknowledged.length] as HistoryEvent;
        const payload = (chosen.value as SendValue).value;
        const poll = history.events.find(
          (event) =>
            isFinalPollOk(event) &&
            ((event.value as PollValue).records ?? []).some((record) => record.value === payload),
        );
        if (poll === undefined) throw new Error("a correct log's final reads hold every acknowledged record");
        const records = ((poll.value as PollValue).records ?? []).filter(
          (record) => record.value !== payload,
        );
        const verdict = checkHistory(replaceEvent(history, poll.index, { records }));
        // Removed from the middle of a log it is a hole below records that survived; at the end, a lost
        // write; read by a consumer before, it is first of all a record read and then lost (D6).
        const kinds = ["lost-write", "lost-below-survivor", "read-then-lost"];
        const lost = anomalies(verdict).filter(
          (anomaly) => kinds.includes(anomaly.kind) && anomaly.records[0]?.value === payload,
        );
        expect(lost.length).toBeGreaterThan(0);
        // With clean elections nothing in a correct log's faults excuses an acks=all loss.
        const config = producerConfigOf(history, chosen.process);
        if (!input.shape.unclean && (config.acks ?? "all") === "all") {
          expect(lost.some((anomaly) => !anomaly.allowed)).toBe(true);
          expect(verdict.valid).toBe(false);
        }
      }),
      { numRuns: Number(process.env.MODEL_PROPERTY_RUNS ?? 300) },
    );
  });

  it("removing one acknowledged record that no fault can explain (faults only on a non-replica, or after the final reads) is always a violation", () => {
    fc.assert(
      fc.property(unexplainable, fc.nat(), (input, pick) => {
        const history = build(input);
        const acknowledged = history.events.filter(
          (event) =>
            event.f === "send" && event.type === "ok" && (event.value as SendValue).offset !== undefined,
        );
        fc.pre(acknowledged.length > 0);
        const payload = ((acknowledged[pick % acknowledged.length] as HistoryEvent).value as SendValue).value;
        const poll = history.events.find(
          (event) =>
            isFinalPollOk(event) &&
            ((event.value as PollValue).records ?? []).some((record) => record.value === payload),
        ) as HistoryEvent;
        const records = ((poll.value as PollValue).records ?? []).filter(
          (record) => record.value !== payload,
        );
        const verdict = checkHistory(replaceEvent(history, poll.index, { records }));
        const about = violations(verdict).filter((anomaly) =>
          anomaly.records.some((record) => record.value === payload),
        );
        expect(
          about.length,
          JSON.stringify(
            anomalies(verdict).map((anomaly) => [anomaly.kind, anomaly.allowed, anomaly.explanation]),
          ),
        ).toBeGreaterThan(0);
        expect(verdict.valid).toBe(false);
      }),
      { numRuns: Number(process.env.MODEL_PROPERTY_RUNS ?? 300) },
    );
  });

  it("duplicating one record always produces a duplicate, a violation where the configuration forbids it", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (input, pick) => {
        const history = build(input);
        const finalPolls = history.events.filter(isFinalPollOk);
        const present = finalPolls.flatMap((event) => (event.value as PollValue).records ?? []);
        fc.pre(present.length > 0);
        const chosen = present[pick % present.length] as ReadRecord;
        const endOffsetsEvent = history.events.find(
          (event) => event.f === "end-offsets" && event.type === "ok",
        ) as HistoryEvent;
        const endOffsets = (endOffsetsEvent.value as EndOffsetsValue).offsets;
        const end = endOffsets.find((entry) => entry.partition === chosen.partition)?.endOffset ?? 0;
        const lastPoll = [...finalPolls]
          .reverse()
          .find((event) =>
            ((event.value as PollValue).records ?? []).some(
              (record) => record.partition === chosen.partition,
            ),
          ) as HistoryEvent;
        const copy: ReadRecord = { ...chosen, offset: end };
        let mutated = replaceEvent(history, lastPoll.index, {
          records: [...((lastPoll.value as PollValue).records ?? []), copy],
        });
        mutated = replaceEvent(mutated, endOffsetsEvent.index, {
          offsets: endOffsets.map((entry) =>
            entry.partition === chosen.partition ? { ...entry, endOffset: end + 1 } : entry,
          ),
        });
        const verdict = checkHistory(mutated);
        const duplicates = anomalies(verdict, "duplicate").filter(
          (anomaly) => anomaly.records[0]?.value === chosen.value,
        );
        expect(duplicates).toHaveLength(1);
        const sender = history.events.find(
          (event) =>
            event.f === "send" &&
            event.type === "invoke" &&
            (event.value as SendValue).value === chosen.value,
        ) as HistoryEvent;
        const promised = promises({
          topic: { partitions: input.shape.partitions, replicationFactor: 3, config: {} },
          producer: producerConfigOf(history, sender.process),
        }).promised.map((entry) => entry.id);
        const forbids = promised.includes("D1") || promised.includes("D3");
        if (forbids && !input.shape.unclean) expect(duplicates[0]?.allowed).toBe(false);
        if (!forbids) expect(duplicates[0]?.allowed).toBe(true);
      }),
      { numRuns: Number(process.env.MODEL_PROPERTY_RUNS ?? 300) },
    );
  });
});
