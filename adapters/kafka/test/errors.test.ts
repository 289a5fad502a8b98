import { describe, expect, test } from "vitest";
import kafkajs from "kafkajs";
import { classifySendError, rootCause } from "../errors.js";

const { KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, KafkaJSRequestTimeoutError, KafkaJSConnectionError, KafkaJSNonRetriableError } = kafkajs;

function protocol(type: string): Error {
  return new KafkaJSProtocolError({ message: type, type, code: 0, retriable: true } as never);
}

describe("classifySendError", () => {
  test("a single attempt refused before append is fail", () => {
    const error = new KafkaJSNumberOfRetriesExceeded(protocol("NOT_ENOUGH_REPLICAS"), { retryCount: 0, retryTime: 100 });
    expect(classifySendError(error, 1)).toEqual({ type: "fail", error: "NOT_ENOUGH_REPLICAS" });
    expect(classifySendError(protocol("NOT_LEADER_OR_FOLLOWER"), 1)).toEqual({ type: "fail", error: "NOT_LEADER_OR_FOLLOWER" });
  });

  test("after-append, timeouts and disconnects are info", () => {
    expect(classifySendError(protocol("NOT_ENOUGH_REPLICAS_AFTER_APPEND"), 1).type).toBe("info");
    expect(classifySendError(new KafkaJSRequestTimeoutError({ message: "timeout" } as never), 1)).toEqual({ type: "info", error: "KafkaJSRequestTimeoutError" });
    expect(classifySendError(new KafkaJSConnectionError("closed"), 1).type).toBe("info");
    expect(classifySendError(protocol("REQUEST_TIMED_OUT"), 1).type).toBe("info");
  });

  test("a definite error after retries proves nothing about earlier attempts: info", () => {
    const error = new KafkaJSNumberOfRetriesExceeded(protocol("NOT_ENOUGH_REPLICAS"), { retryCount: 3, retryTime: 100 });
    expect(classifySendError(error, 4)).toEqual({ type: "info", error: "NOT_ENOUGH_REPLICAS" });
    // A non-retriable wrapper does not say how many attempts ran.
    expect(classifySendError(new KafkaJSNonRetriableError(protocol("NOT_ENOUGH_REPLICAS")), 4).type).toBe("info");
  });

  test("unknown shapes are info, bad attempts refused", () => {
    expect(classifySendError("boom", 1)).toEqual({ type: "info", error: "UNKNOWN_ERROR" });
    expect(() => classifySendError(new Error("x"), 0)).toThrow(/attempts=0/);
  });

  test("rootCause unwraps kafkajs wrappers", () => {
    const inner = protocol("NOT_ENOUGH_REPLICAS");
    expect(rootCause(new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 0, retryTime: 1 }))).toBe(inner);
  });
});
