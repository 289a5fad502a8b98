/** Kafka's error names, as clients see them. */
export type ErrorCode =
  | "NOT_LEADER_OR_FOLLOWER"
  | "FENCED_LEADER_EPOCH"
  | "UNKNOWN_LEADER_EPOCH"
  | "NOT_ENOUGH_REPLICAS"
  | "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
  | "OUT_OF_ORDER_SEQUENCE_NUMBER"
  | "INVALID_PRODUCER_EPOCH"
  | "UNKNOWN_PRODUCER_ID"
  | "UNKNOWN_TOPIC_OR_PARTITION"
  | "OFFSET_OUT_OF_RANGE"
  | "REQUEST_TIMED_OUT"
  | "TOPIC_ALREADY_EXISTS"
  | "INVALID_PARTITIONS"
  | "INVALID_REPLICATION_FACTOR"
  | "INVALID_CONFIG"
  | "INVALID_UPDATE_VERSION"
  | "INELIGIBLE_REPLICA"
  | "STALE_BROKER_EPOCH"
  | "NOT_CONTROLLER"
  | "COORDINATOR_NOT_AVAILABLE"
  | "NOT_COORDINATOR"
  | "COORDINATOR_LOAD_IN_PROGRESS"
  | "ILLEGAL_GENERATION"
  | "UNKNOWN_MEMBER_ID"
  | "REBALANCE_IN_PROGRESS"
  | "INCONSISTENT_GROUP_PROTOCOL"
  | "INVALID_SESSION_TIMEOUT"
  | "FENCED_INSTANCE_ID"
  | "PRODUCER_FENCED"
  | "CONCURRENT_TRANSACTIONS"
  | "INVALID_TXN_STATE"
  | "INVALID_TRANSACTION_TIMEOUT";

/**
 * Errors that prove the request appended nothing. Anything else after a send (timeouts, leadership
 * lost while waiting for replication, ...) leaves the outcome unknown.
 */
export function provesNothingAppended(error: ErrorCode): boolean {
  switch (error) {
    case "NOT_ENOUGH_REPLICAS":
    case "OUT_OF_ORDER_SEQUENCE_NUMBER":
    case "INVALID_PRODUCER_EPOCH":
    case "PRODUCER_FENCED":
    case "INVALID_TXN_STATE":
    case "UNKNOWN_PRODUCER_ID":
    case "UNKNOWN_TOPIC_OR_PARTITION":
    case "FENCED_LEADER_EPOCH":
    case "UNKNOWN_LEADER_EPOCH":
      return true;
    default:
      return false;
  }
}
