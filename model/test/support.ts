/** Shared helpers for the checker's tests: a one-topic setup and verdict lookups. */
import type { Anomaly, AnomalyKind, ConfigMap, GuaranteeId, GuaranteeStatus, ImpliedCount, TopicDescription, Verdict } from "../index.js";
import { HistoryBuilder, record } from "../simulate/builder.js";

export { record };

export interface SetupOptions {
  readonly producer?: ConfigMap;
  readonly topic?: ConfigMap;
  readonly broker?: ConfigMap;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly assignment?: readonly (readonly number[])[];
  /** Broker ids (1..3 by default). */
  readonly brokers?: readonly number[];
  /** header.client: the library that produced the history. */
  readonly client?: { readonly name: string; readonly version: string };
  /** Topics beside `t`. */
  readonly otherTopics?: readonly TopicDescription[];
}

/** Topic `t`, brokers 1..3, producer-0 (given config), consumers consumer-0/1, final-reader. */
export function setup(options: SetupOptions = {}): HistoryBuilder {
  return new HistoryBuilder({
    ...(options.brokers === undefined ? {} : { brokers: options.brokers }),
    ...(options.client === undefined ? {} : { client: options.client }),
    broker: options.broker ?? {},
    topics: [
      {
        name: "t",
        partitions: options.partitions ?? 1,
        replicationFactor: options.replicationFactor ?? 3,
        config: options.topic ?? { "min.insync.replicas": 2 },
        ...(options.assignment === undefined ? {} : { assignment: options.assignment }),
      },
      ...(options.otherTopics ?? []),
    ],
    clients: {
      "producer-0": { role: "producer", config: options.producer ?? {} },
      "consumer-0": { role: "consumer", config: {} },
      "consumer-1": { role: "consumer", config: {} },
      "final-reader": { role: "reader", config: {} },
    },
  });
}

/** Final reads of partition 0 of `t`: the given values at offsets 0.., then end-offsets. */
export function finalRead(builder: HistoryBuilder, values: readonly string[], endOffset = values.length, partition = 0): void {
  builder.poll("final-reader", values.map((value, offset) => record("t", partition, offset, value, builder.keyOf(value))), true);
  builder.endOffsets([{ topic: "t", partition, startOffset: 0, endOffset }]);
}

export function statusOf(verdict: Verdict, id: GuaranteeId): GuaranteeStatus {
  const found = verdict.guarantees.find((guarantee) => guarantee.id === id);
  if (found === undefined) throw new Error(`no verdict for ${id}`);
  return found.status;
}

export function anomalies(verdict: Verdict, kind?: AnomalyKind, guarantee?: GuaranteeId): Anomaly[] {
  return verdict.guarantees
    .filter((entry) => guarantee === undefined || entry.id === guarantee)
    .flatMap((entry) => entry.anomalies)
    .filter((anomaly) => kind === undefined || anomaly.kind === kind);
}

/** The anomalies of a guarantee that a root cause elsewhere implies (listed, not counted). */
export function impliedOf(verdict: Verdict, id: GuaranteeId): readonly ImpliedCount[] {
  const found = verdict.guarantees.find((guarantee) => guarantee.id === id);
  if (found === undefined) throw new Error(`no verdict for ${id}`);
  return found.implied;
}

export function violations(verdict: Verdict): Anomaly[] {
  return anomalies(verdict).filter((anomaly) => !anomaly.allowed);
}
