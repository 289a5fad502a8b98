import { describe, expect, test } from "vitest";
import { consumerSettings, javaMaxRetries, producerSettings } from "../client-config.js";

describe("producerSettings", () => {
  test("Java defaults: acks=all, idempotence on, retries MAX_INT, 5 in flight", () => {
    const settings = producerSettings("producer-0", {});
    expect(settings).toMatchObject({ acks: -1, idempotent: true, retries: javaMaxRetries, maxInFlightRequests: 5, requestTimeoutMs: 30_000 });
  });

  test("acks=1 without explicit idempotence turns idempotence off (Java 3.2+ rule)", () => {
    expect(producerSettings("p", { acks: 1 }).idempotent).toBe(false);
    expect(producerSettings("p", { acks: "1" }).acks).toBe(1);
    expect(producerSettings("p", { acks: "0" }).acks).toBe(0);
    expect(producerSettings("p", { retries: 0 }).idempotent).toBe(false);
    expect(producerSettings("p", { "max.in.flight.requests.per.connection": 6 }).idempotent).toBe(false);
  });

  test("maps retries, timeouts and in-flight limit", () => {
    const settings = producerSettings("p", { retries: 3, "request.timeout.ms": 1500, "max.in.flight.requests.per.connection": 1, "enable.idempotence": false });
    expect(settings).toMatchObject({ retries: 3, requestTimeoutMs: 1500, maxInFlightRequests: 1, idempotent: false });
  });

  test("refuses explicit idempotence with conflicting settings, naming key and value", () => {
    expect(() => producerSettings("p", { "enable.idempotence": true, acks: 1 })).toThrow(/enable.idempotence=true is not allowed/);
    expect(() => producerSettings("p", { "enable.idempotence": true, retries: 0 })).toThrow(/retries=0/);
  });

  test("refuses bad values and unknown keys", () => {
    expect(() => producerSettings("p", { acks: 2 })).toThrow(/acks=2 is not allowed; allowed: all, -1, 1 or 0/);
    expect(() => producerSettings("p", { retries: -1 })).toThrow(/retries=-1/);
    expect(() => producerSettings("p", { "linger.msx": 1 })).toThrow(/linger.msx/);
    expect(() => producerSettings("p", { "compression.type": "gzip" })).toThrow(/compression.type="gzip"/);
    expect(() => producerSettings("p", { "transactional.id": "t", "enable.idempotence": false })).toThrow(/transactional.id/);
  });
});

describe("consumerSettings", () => {
  test("defaults read_uncommitted and latest, as Java", () => {
    expect(consumerSettings("c", {})).toMatchObject({ readUncommitted: true, fromBeginning: false, maxPollRecords: 500 });
    expect(consumerSettings("c", { "isolation.level": "read_committed", "auto.offset.reset": "earliest" })).toMatchObject({ readUncommitted: false, fromBeginning: true });
  });

  test("refuses what the target cannot do", () => {
    expect(() => consumerSettings("c", { "isolation.level": "serializable" })).toThrow(/isolation.level/);
    expect(() => consumerSettings("c", { "auto.offset.reset": "none" })).toThrow(/auto.offset.reset="none"/);
  });
});
