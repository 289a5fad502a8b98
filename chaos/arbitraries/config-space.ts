/**
 * Producer configurations from the valid configuration space (not only presets), in Kafka's names.
 * Invalid combinations (idempotence with acks other than all, more than 5 in flight, or retries=0)
 * are never produced: Kafka refuses them, and the model would refuse the scenario.
 */
import fc from "fast-check";
import type { ConfigMap } from "../../model/index.js";

const maxRetries = 2147483647;

const timeouts = { "request.timeout.ms": 1500, "delivery.timeout.ms": 8000, "retry.backoff.ms": 50, "linger.ms": 0 } as const;

export function producerConfigSpaceArbitrary(): fc.Arbitrary<ConfigMap> {
  const idempotent = fc.record({
    acks: fc.constant("all"),
    "enable.idempotence": fc.constant(true),
    "max.in.flight.requests.per.connection": fc.integer({ min: 1, max: 5 }),
    retries: fc.constantFrom(maxRetries, 3, 10),
  });
  const plain = fc.record({
    acks: fc.constantFrom("all", "1", "0"),
    "enable.idempotence": fc.constant(false),
    "max.in.flight.requests.per.connection": fc.integer({ min: 1, max: 10 }),
    retries: fc.constantFrom(maxRetries, 0, 3),
  });
  return fc.oneof(idempotent, plain).map((config): ConfigMap => ({ ...timeouts, ...config }));
}

/** Draw from named presets; shrinking moves toward the first name. */
export function producerPresetArbitrary(presets: Readonly<Record<string, ConfigMap>>, names: readonly string[]): fc.Arbitrary<ConfigMap> {
  const configs = names.map((name) => {
    const config = presets[name];
    if (config === undefined) throw new RangeError(`unknown producer preset "${name}"; known: ${Object.keys(presets).join(", ")}`);
    return config;
  });
  if (configs.length === 0) throw new RangeError("at least one producer preset is needed");
  return fc.constantFrom(...configs);
}
