/**
 * Conservative classification of a failed send (docs/architecture.md): `fail` only when the error
 * proves nothing was appended, everything else `info`.
 *
 * kafkajs retries inside `send` and keeps only the last attempt's error, so an earlier attempt may have
 * been appended (a timed-out request that the broker did write). A definite error therefore proves
 * nothing unless the send made exactly one attempt. NOT_ENOUGH_REPLICAS_AFTER_APPEND says the leader
 * did append: always `info`.
 */

/** Broker error codes (kafkajs `.type`) returned before the leader appends anything. */
const refusedBeforeAppend = new Set([
  "NOT_ENOUGH_REPLICAS",
  "NOT_LEADER_FOR_PARTITION",
  "NOT_LEADER_OR_FOLLOWER",
  "UNKNOWN_TOPIC_OR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "MESSAGE_TOO_LARGE",
  "RECORD_LIST_TOO_LARGE",
  "CORRUPT_MESSAGE",
  "INVALID_RECORD",
  "INVALID_REQUIRED_ACKS",
  "TOPIC_AUTHORIZATION_FAILED",
  "INVALID_PRODUCER_EPOCH",
  "OUT_OF_ORDER_SEQUENCE_NUMBER",
  "UNKNOWN_PRODUCER_ID",
  "INVALID_TXN_STATE",
  "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
  "PRODUCER_FENCED",
]);

export interface ErrorLike {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly code?: unknown;
  readonly retryCount?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly message?: unknown;
}

export interface Classification {
  readonly type: "fail" | "info";
  /** Kafka's error code when the broker sent one, else the kafkajs error name. */
  readonly error: string;
}

function asErrorLike(value: unknown): ErrorLike | null {
  return typeof value === "object" && value !== null ? (value as ErrorLike) : null;
}

/** The innermost error of a kafkajs wrapper chain (bounded: wrappers nest a few levels at most). */
export function rootCause(error: unknown): ErrorLike | null {
  let current = asErrorLike(error);
  for (let depth = 0; depth < 8 && current !== null; depth += 1) {
    const inner = asErrorLike(current.cause) ?? asErrorLike(current.originalError);
    if (inner === null || inner === current) return current;
    current = inner;
  }
  return current;
}

function errorName(error: ErrorLike | null): string {
  if (error === null) return "UNKNOWN_ERROR";
  if (typeof error.type === "string" && error.type !== "") return error.type;
  if (typeof error.name === "string" && error.name !== "") return error.name;
  return "UNKNOWN_ERROR";
}

/**
 * `attempts`: how many produce attempts the send was allowed (1 + retries). The error's own retryCount
 * (kafkajs's KafkaJSNumberOfRetriesExceeded) tells how many retries actually happened, when present.
 */
export function classifySendError(error: unknown, attempts: number): Classification {
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`attempts=${attempts} must be a whole number >= 1`);
  const outer = asErrorLike(error);
  const cause = rootCause(error);
  const name = errorName(cause);
  const retryCount = typeof outer?.retryCount === "number" ? outer.retryCount : null;
  const singleAttempt = attempts === 1 || retryCount === 0;
  if (singleAttempt && refusedBeforeAppend.has(name)) return { type: "fail", error: name };
  return { type: "info", error: name };
}

/** Kafka's error code of a kafkajs error (its innermost cause), else the kafkajs error's name. */
export function kafkajsErrorName(error: unknown): string {
  return errorName(rootCause(error));
}
