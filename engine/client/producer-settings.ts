import type { EngineConfig } from "../api.js";
import { honouredKeys } from "../honoured-keys.js";
import { checkKeys, readBoolean, readChoice, readNumber, readText, versionAtLeast, type KafkaVersion } from "../config.js";

export interface ProducerSettings {
  readonly acks: 0 | 1 | -1;
  readonly idempotence: boolean;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxInFlight: number;
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly retryBackoffMs: number;
  readonly maxBlockMs: number;
  readonly metadataMaxAgeMs: number;
  readonly ignoreKeys: boolean;
  /** Set for a transactional producer (idempotence is then required). */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
}

/** Honoured producer keys (engine/honoured-keys.ts); every one is read below or honoured only at its modelled value. */
export const producerConfigKeys: readonly string[] = Object.keys(honouredKeys.producer);

/**
 * The Java producer's configuration rules: idempotence is on by default (Kafka 3.0+) but silently off
 * when acks, retries or max.in.flight were set incompatibly; explicitly on with them is an error.
 */
export function readProducerSettings(config: EngineConfig, version: KafkaVersion): ProducerSettings {
  checkKeys(config, honouredKeys.producer, "producer");
  const acksText = readChoice(config, "acks", "all", ["all", "-1", "1", "0"]);
  const acks: 0 | 1 | -1 = acksText === "0" ? 0 : acksText === "1" ? 1 : -1;
  const retries = readNumber(config, "retries", 2_147_483_647, { min: 0, max: 2_147_483_647 });
  const maxInFlight = readNumber(config, "max.in.flight.requests.per.connection", 5, { min: 1 });
  const explicitIdempotence = config["enable.idempotence"] !== undefined;
  let idempotence = readBoolean(config, "enable.idempotence", true);
  const conflict = acks !== -1 ? `acks=${acksText}` : retries === 0 ? "retries=0" : maxInFlight > 5 ? `max.in.flight.requests.per.connection=${maxInFlight}` : null;
  const transactionalId = readText(config, "transactional.id") ?? null;
  if (transactionalId !== null && transactionalId.length === 0) throw new Error(`producer config "transactional.id": "" is not allowed; use a non-empty id`);
  if (transactionalId !== null && (!idempotence || conflict !== null)) {
    throw new Error(`producer config "transactional.id" needs idempotence; it is not allowed with ${conflict ?? "enable.idempotence=false"}`);
  }
  if (transactionalId === null && config["transaction.timeout.ms"] !== undefined) {
    throw new Error(`producer config "transaction.timeout.ms" is not allowed without "transactional.id": only a transactional producer has transactions to time out`);
  }
  if (idempotence && conflict !== null) {
    if (explicitIdempotence) throw new Error(`producer config "enable.idempotence": true is not allowed with ${conflict}; idempotence needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5`);
    idempotence = false;
  }
  const requestTimeoutMs = readNumber(config, "request.timeout.ms", 30_000, { min: 1 });
  const lingerMs = readNumber(config, "linger.ms", versionAtLeast(version, 4, 0) ? 5 : 0, { min: 0 });
  const deliveryTimeoutMs = readNumber(config, "delivery.timeout.ms", 120_000, { min: 1 });
  if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
    throw new Error(`producer config "delivery.timeout.ms": ${deliveryTimeoutMs} is not allowed; it must be >= linger.ms + request.timeout.ms (${lingerMs + requestTimeoutMs})`);
  }
  return {
    acks,
    idempotence,
    retries,
    deliveryTimeoutMs,
    requestTimeoutMs,
    maxInFlight,
    lingerMs,
    batchSize: readNumber(config, "batch.size", 16_384, { min: 0 }),
    retryBackoffMs: readNumber(config, "retry.backoff.ms", 100, { min: 0 }),
    maxBlockMs: readNumber(config, "max.block.ms", 60_000, { min: 0 }),
    metadataMaxAgeMs: readNumber(config, "metadata.max.age.ms", 300_000, { min: 0 }),
    ignoreKeys: readBoolean(config, "partitioner.ignore.keys", false),
    transactionalId,
    transactionTimeoutMs: readNumber(config, "transaction.timeout.ms", 60_000, { min: 1 }),
  };
}
