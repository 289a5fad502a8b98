/**
 * What a failed offset commit proves. Conservative, as for sends (errors.ts): `fail` only when the
 * coordinator answered that it stored nothing; a timeout or a lost connection leaves the outcome
 * unknown (`info`), since the request may have been written before the answer was lost.
 */

/** Answers of a coordinator (or of a broker that is not it) that store nothing. */
const refusals = new Set([
  "ILLEGAL_GENERATION",
  "UNKNOWN_MEMBER_ID",
  "REBALANCE_IN_PROGRESS",
  "FENCED_INSTANCE_ID",
  "NOT_COORDINATOR_FOR_GROUP",
  "NOT_COORDINATOR",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "COORDINATOR_NOT_AVAILABLE",
  "GROUP_LOAD_IN_PROGRESS",
  "COORDINATOR_LOAD_IN_PROGRESS",
  "OFFSET_METADATA_TOO_LARGE",
  "INVALID_COMMIT_OFFSET_SIZE",
  "GROUP_AUTHORIZATION_FAILED",
  "TOPIC_AUTHORIZATION_FAILED",
  "UNKNOWN_TOPIC_OR_PARTITION",
]);

/**
 * Errors Java's commitSync retries within its timeout: the coordinator moved or is loading, or the
 * request was lost. Generation and membership errors are not retried (CommitFailedException).
 */
const retriable = new Set([
  "NOT_COORDINATOR_FOR_GROUP",
  "NOT_COORDINATOR",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "COORDINATOR_NOT_AVAILABLE",
  "GROUP_LOAD_IN_PROGRESS",
  "COORDINATOR_LOAD_IN_PROGRESS",
  "REQUEST_TIMED_OUT",
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSLockTimeout",
  "KafkaJSNumberOfRetriesExceeded",
]);

export function commitStoredNothing(error: string): boolean {
  return refusals.has(error);
}

export function commitRetriable(error: string): boolean {
  return retriable.has(error);
}

/** A coordinator answer that means the cached coordinator is not (or no longer) the right broker. */
export function coordinatorMoved(error: string): boolean {
  return error !== "REQUEST_TIMED_OUT" && retriable.has(error);
}
