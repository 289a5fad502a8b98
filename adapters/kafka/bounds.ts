/**
 * Bounds for random (fast-check) scenarios on real Kafka, used by `verify --target kafka`. Drawn
 * scenarios are timed in milliseconds of Kafka-like timing, as the engine runs them; real brokers take
 * seconds to restart and fail over, so step times are stretched, and a scenario has fewer operations
 * so one run (workload, finale, final reads) stays within about a minute.
 */
export const kafkaRandomScenarios = { timeScale: 2, maxOperations: 20 } as const;
