/**
 * The consumer-group history contract: header commit modes, the shape of every group event, and the
 * pairing of commits (by value, since asynchronous commits complete in any order), lone rebalance calls
 * and lone automatic commits. Bad input is a HistoryFormatError naming the line and the field.
 */
import { describe, expect, it } from "vitest";
import { checkHistory, HistoryFormatError, parseHistory, serializeHistory, validateHistory, type ClientDescription, type History } from "../index.js";
import { HistoryBuilder, groupConsumer } from "../simulate/builder.js";
import { groupSetup, produce } from "./group-support.js";
import { pairOperations } from "../history/operations.js";
import { setup, statusOf } from "./support.js";

function formatError(history: History): HistoryFormatError {
  // Both doors: an in-memory history and the same history read from its text.
  let memory: unknown;
  try {
    validateHistory(history, "h.jsonl");
  } catch (error) {
    memory = error;
  }
  let text: unknown;
  try {
    parseHistory(serializeHistory(history), "h.jsonl");
  } catch (error) {
    text = error;
  }
  if (!(memory instanceof HistoryFormatError) || !(text instanceof HistoryFormatError)) throw new Error(`expected a HistoryFormatError from both, got ${String(memory)} / ${String(text)}`);
  expect([text.line, text.field, text.message]).toEqual([memory.line, memory.field, memory.message]);
  return memory;
}

function withClient(client: ClientDescription): History {
  return new HistoryBuilder({ topics: [{ name: "t", partitions: 1, replicationFactor: 3, config: {} }], clients: { "consumer-0": client } }).build();
}

describe("header: commit modes", () => {
  it("a consumer with group.id needs a commitMode", () => {
    const error = formatError(withClient({ role: "consumer", config: { "group.id": "g" } }));
    expect([error.line, error.field]).toEqual([1, "clients.consumer-0.commitMode"]);
    expect(error.message).toMatch(/needs a commitMode \(allowed: sync-after-processing/);
  });

  it("a commitMode needs group.id, and only consumers have one", () => {
    expect(formatError(withClient({ role: "consumer", config: { "enable.auto.commit": false }, commitMode: "sync-after-processing" })).message).toMatch(/no group.id/);
    expect(formatError(withClient({ role: "producer", config: {}, commitMode: "auto" })).field).toBe("clients.consumer-0.commitMode");
    expect(formatError(withClient({ role: "consumer", config: { "group.id": "g" }, commitMode: "sometimes" as never })).message).toMatch(/expected one of sync-after-processing/);
  });

  it("auto exactly when enable.auto.commit is in effect (Kafka's default: true)", () => {
    expect(formatError(withClient({ role: "consumer", config: { "group.id": "g" }, commitMode: "sync-after-processing" })).message).toMatch(/enable.auto.commit=true.*allowed: auto/);
    expect(formatError(withClient({ role: "consumer", config: { "group.id": "g", "enable.auto.commit": false }, commitMode: "auto" })).message).toMatch(/enable.auto.commit=false/);
    expect(() => validateHistory(withClient(groupConsumer("g", "auto")), "h")).not.toThrow();
    expect(() => validateHistory(withClient({ role: "consumer", config: { "group.id": "g" }, commitMode: "auto" }), "h")).not.toThrow();
    expect(() => validateHistory(withClient(groupConsumer("g", "none")), "h")).not.toThrow();
  });
});

describe("group events", () => {
  function story(): HistoryBuilder {
    return groupSetup({ partitions: 2, consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" } } });
  }

  it("come only from a consumer with group.id, naming its own group", () => {
    const builder = setup();
    builder.event("consumer-0", "invoke", "subscribe", { group: "g", topics: ["t"] });
    expect(formatError(builder.build())).toMatchObject({ line: 2, field: "process" });
    const other = story();
    other.event("consumer-0", "invoke", "subscribe", { group: "h", topics: ["t"] });
    expect(formatError(other.build()).message).toMatch(/member of group 'g' \(its group.id\), not of 'h'/);
  });

  it("subscribe names described topics", () => {
    const builder = story();
    builder.event("consumer-0", "invoke", "subscribe", { group: "g", topics: ["nope"] });
    expect(formatError(builder.build()).field).toBe("value.topics[0]");
  });

  it("rebalance calls are lone info events with a generation from -1", () => {
    const invoked = story();
    invoked.event("consumer-0", "invoke", "assigned", { group: "g", generation: 1, member: "m0", partitions: [] });
    expect(formatError(invoked.build()).field).toBe("type");
    const generation = story();
    generation.member("consumer-0", "m0").assigned(-2, [0]);
    expect(formatError(generation.build()).field).toBe("value.generation");
    const partition = story();
    partition.member("consumer-0", "m0").assigned(1, [5]);
    expect(formatError(partition.build())).toMatchObject({ field: "value.partitions[0].partition" });
    const good = story();
    const c0 = good.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0, 1]);
    c0.revoked([1]);
    c0.lost([0]);
    expect(() => checkHistory(good.build())).not.toThrow();
  });

  it("a poll's generation is a group consumer's", () => {
    const builder = setup();
    builder.event("consumer-0", "invoke", "poll");
    builder.event("consumer-0", "ok", "poll", { records: [], generation: 1, member: "m" });
    expect(formatError(builder.build()).field).toBe("value.generation");
    const bad = story();
    bad.event("consumer-0", "invoke", "poll");
    bad.event("consumer-0", "ok", "poll", { records: [], group: "g", generation: "1", member: "m" });
    expect(formatError(bad.build()).field).toBe("value.generation");
  });

  it("process and commit carry partitions with offsets; commits a mode", () => {
    const processed = story();
    processed.event("consumer-0", "invoke", "process", { records: [{ topic: "t", partition: 0 }] });
    expect(formatError(processed.build()).field).toBe("value.records[0].offset");
    const committed = story();
    committed.event("consumer-0", "invoke", "commit", { group: "g", generation: 1, member: "m0", mode: "eventually", offsets: [] });
    expect(formatError(committed.build()).field).toBe("value.mode");
  });

  it("the coordinator's generations name consumers of that group, each once", () => {
    const unknown = story();
    unknown.groupGeneration("g", 1, "range", [{ member: "m0", client: "producer-0", partitions: [] }]);
    expect(formatError(unknown.build()).field).toBe("value.members[0].client");
    const twice = story();
    twice.groupGeneration("g", 1, "range", [
      { member: "m0", client: "consumer-0", partitions: [] },
      { member: "m0", client: "consumer-0", partitions: [] },
    ]);
    expect(formatError(twice.build()).field).toBe("value.members[1].member");
    const stored = story();
    stored.offsetCommitted("g", "t", 9, 3, 1, "m0");
    expect(formatError(stored.build()).field).toBe("value.partition");
  });
});

describe("pairing", () => {
  function committer(): { builder: HistoryBuilder; c0: ReturnType<HistoryBuilder["member"]> } {
    const builder = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "async-after-processing" } } });
    produce(builder, 3);
    const c0 = builder.member("consumer-0", "m0");
    c0.subscribe();
    c0.assigned(1, [0]);
    return { builder, c0 };
  }

  it("asynchronous commits complete in any order: a completion closes the open commit of its value", () => {
    const { builder, c0 } = committer();
    const two = c0.commitInvoke({ 0: 2 }, "async");
    const twoInvoked = builder.length - 1;
    const three = c0.commitInvoke({ 0: 3 }, "async");
    const threeInvoked = builder.length - 1;
    const threeDone = c0.commitComplete(three, "ok");
    const twoDone = c0.commitComplete(two, "ok");
    const history = builder.build();
    const pairing = pairOperations(history, "h");
    expect([pairing.invokeOf[threeDone], pairing.invokeOf[twoDone]]).toEqual([threeInvoked, twoInvoked]);
  });

  it("a completion whose value no open commit carries is bad input; a lone automatic commit is not", () => {
    const { builder, c0 } = committer();
    c0.commitInvoke({ 0: 2 }, "async");
    c0.commitComplete(c0.commitValue({ 0: 3 }, "async"), "ok");
    expect(formatError(builder.build()).message).toMatch(/completes no open commit of these offsets: the open commits \(lines \d+\) carry other values/);
    const auto = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "auto" } } });
    const a0 = auto.member("consumer-0", "m0");
    a0.subscribe();
    a0.assigned(1, [0]);
    a0.autoCommit({ 0: 0 });
    expect(() => validateHistory(auto.build(), "h")).not.toThrow();
    const lone = groupSetup({ consumers: { "consumer-0": { group: "g", mode: "sync-after-processing" } } });
    lone.member("consumer-0", "m0").commitComplete(lone.member("consumer-0", "m0").commitValue({ 0: 1 }), "ok");
    expect(formatError(lone.build()).field).toBe("value");
  });

  it("a crash abandons the client's open operations: its restarted session's completions are its own", () => {
    const { builder, c0 } = committer();
    const dead = builder.length;
    c0.processStarted(0, [0]);
    c0.crash();
    c0.restart("m0-again");
    c0.subscribe();
    const alive = builder.length;
    c0.process(0, [0]);
    const pairing = pairOperations(builder.build(), "h");
    expect(pairing.invokeOf[alive + 1]).toBe(alive);
    expect([...pairing.invokeOf]).not.toContain(dead);
  });

  it("a group history survives the writer and the reader byte for byte", () => {
    const { builder, c0 } = committer();
    c0.poll(0, [0, 1]);
    c0.process(0, [0, 1]);
    c0.commit({ 0: 2 }, "ok", "async");
    builder.groupGeneration("g", 1, "range", [{ member: "m0", client: "consumer-0", partitions: [{ topic: "t", partition: 0 }] }]);
    builder.offsetCommitted("g", "t", 0, 2, 1, "m0");
    const text = serializeHistory(builder.build());
    expect(serializeHistory(parseHistory(text, "h.jsonl"))).toBe(text);
  });
});

describe("histories without groups", () => {
  it("keep their verdict: the group guarantees are not promised, in one line", () => {
    const builder = setup();
    builder.send("producer-0", "t", null, "a", { partition: 0, offset: 0 });
    const verdict = checkHistory(builder.build());
    for (const id of ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"] as const) {
      expect(statusOf(verdict, id)).toBe("not-promised");
      expect(verdict.guarantees.find((guarantee) => guarantee.id === id)?.reason).toBe("no consumer group in the history");
    }
  });
});
