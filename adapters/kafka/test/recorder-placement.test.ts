import { describe, expect, test } from "vitest";
import { HistoryRecorder } from "../../protocol/recorder.js";
import { physicalTopicName, replicaAssignment } from "../placement.js";

function steppingClock(): { nowNs(): number; nowMs(): number } {
  let now = 0;
  return { nowNs: () => (now += 1000), nowMs: () => now / 1e6 };
}

describe("HistoryRecorder", () => {
  test("invoke then one completion, indexes without gaps, completions in real order", () => {
    const recorder = new HistoryRecorder(steppingClock());
    const first = recorder.invoke("producer-0", "send", { value: "a" });
    const second = recorder.invoke("producer-0", "send", { value: "b" });
    second.complete("ok", { value: "b", offset: 0 });
    first.complete("fail", { value: "a" }, "NOT_ENOUGH_REPLICAS");
    const events = recorder.close();
    expect(events.map((event) => [event.index, event.type, (event.value as { value: string }).value])).toEqual([
      [0, "invoke", "a"],
      [1, "invoke", "b"],
      [2, "ok", "b"],
      [3, "fail", "a"],
    ]);
    expect(events[3]?.error).toBe("NOT_ENOUGH_REPLICAS");
    expect(events.every((event, index) => index === 0 || event.time > (events[index - 1]?.time ?? 0))).toBe(true);
  });

  test("a second completion is refused", () => {
    const recorder = new HistoryRecorder(steppingClock());
    const operation = recorder.invoke("p", "send");
    operation.complete("ok");
    expect(() => operation.complete("ok")).toThrow(/completed twice/);
  });

  test("open operations become info at close; late settlements are dropped", () => {
    const recorder = new HistoryRecorder(steppingClock());
    const operation = recorder.invoke("p", "send", { value: "x" });
    const events = recorder.close();
    expect(events.at(-1)).toMatchObject({ type: "info", error: "ABANDONED_AT_END_OF_RUN", value: { value: "x" } });
    operation.complete("ok", { value: "x", offset: 3 });
    expect(recorder.events).toHaveLength(2);
    expect(() => recorder.invoke("p", "send")).toThrow(/closed/);
  });
});

describe("placement", () => {
  test("round robin from broker (p mod n)+1", () => {
    expect(replicaAssignment(3, 2, [1, 2, 3])).toEqual([
      [1, 2],
      [2, 3],
      [3, 1],
    ]);
    expect(replicaAssignment(1, 3, [3, 1, 2])).toEqual([[1, 2, 3]]);
  });

  test("refuses impossible shapes", () => {
    expect(() => replicaAssignment(1, 4, [1, 2, 3])).toThrow(/replicationFactor=4/);
    expect(() => replicaAssignment(0, 1, [1])).toThrow(/partitions=0/);
    expect(() => physicalTopicName("bad name", "abc")).toThrow(/bad name/);
    expect(physicalTopicName("events", "ab12")).toBe("events--ab12");
  });
});
