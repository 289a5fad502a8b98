import { describe, expect, test } from "vitest";
import { parseArguments, parseCount, parseDuration, UsageError } from "../arguments.js";
import { resolveConfiguration } from "../configuration.js";
import { presetProducerConfigs } from "../../chaos/presets/index.js";

const specs = [{ name: "runs" }, { name: "config", repeat: true }, { name: "help", flag: true }];

describe("arguments", () => {
  test("parses values, repeated options, flags and positionals", () => {
    const parsed = parseArguments(["file.json", "--runs", "5", "--config=acks-1", "--config", "acks=1", "--help"], specs);
    expect(parsed.positionals).toEqual(["file.json"]);
    expect(parsed.options.get("runs")).toEqual(["5"]);
    expect(parsed.options.get("config")).toEqual(["acks-1", "acks=1"]);
    expect(parsed.flags.has("help")).toBe(true);
  });

  test("refuses unknown options, missing values and repeats, naming what is allowed", () => {
    expect(() => parseArguments(["--rnus", "5"], specs)).toThrow("unknown option --rnus; did you mean --runs? (--help lists every option)");
    expect(() => parseArguments(["--zzzzzzzz"], specs)).toThrow("unknown option --zzzzzzzz; allowed: --runs, --config, --help (--help lists every option)");
    expect(() => parseArguments(["--runs"], specs)).toThrow("--runs needs a value");
    expect(() => parseArguments(["--runs", "1", "--runs", "2"], specs)).toThrow("--runs is given twice");
    expect(() => parseArguments(["--help=yes"], specs)).toThrow(UsageError);
  });

  test("durations and counts", () => {
    expect(parseDuration("60s", "--time-budget")).toBe(60_000);
    expect(parseDuration("5m", "--time-budget")).toBe(300_000);
    expect(parseDuration("250ms", "--time-budget")).toBe(250);
    expect(parseDuration("2", "--time-budget")).toBe(2000);
    expect(() => parseDuration("soon", "--time-budget")).toThrow('--time-budget "soon" is not allowed; allowed: a duration such as 500ms, 60s, 5m, 1h');
    expect(() => parseCount("0", "--runs", 1, 10)).toThrow('--runs "0" is not allowed; allowed: an integer in 1..10');
  });
});

describe("--config", () => {
  test("a preset name selects the preset; durable by default", () => {
    expect(resolveConfiguration([]).name).toBe("durable");
    expect(resolveConfiguration(["acks-1"]).producers).toEqual(["acks-1"]);
  });

  test("key=value pairs go to the producer, topic or broker by Kafka's key tables", () => {
    const configuration = resolveConfiguration(["durable,acks=1,enable.idempotence=false", "min.insync.replicas=1", "replica.lag.time.max.ms=500", "partitions=3"]);
    const [producer] = presetProducerConfigs(configuration);
    expect(producer).toMatchObject({ acks: "1", "enable.idempotence": false });
    expect(configuration.topic.config["min.insync.replicas"]).toBe(1);
    expect(configuration.topic.partitions).toBe(3);
    expect(configuration.cluster.broker["replica.lag.time.max.ms"]).toBe(500);
  });

  test("overrides apply on top of a preset's own producer configuration (producerConfigs)", () => {
    const [producer] = presetProducerConfigs(resolveConfiguration(["ignore-keys", "linger.ms=5"]));
    expect(producer).toMatchObject({ "partitioner.ignore.keys": true, "linger.ms": 5, acks: "all" });
    const [batching] = presetProducerConfigs(resolveConfiguration(["batching", "acks=1,enable.idempotence=false"]));
    expect(batching).toMatchObject({ "linger.ms": 25, acks: "1", "enable.idempotence": false });
  });

  test("unknown presets, keys and values are refused with what is allowed", () => {
    expect(() => resolveConfiguration(["sturdy"])).toThrow(/--config "sturdy" is not allowed; allowed presets: kafka-defaults, durable, idempotent/);
    expect(() => resolveConfiguration(["durabel"])).toThrow(/--config "durabel" is not allowed; did you mean "durable"\? allowed presets:/);
    expect(() => resolveConfiguration(["akcs=1"])).toThrow('--config key "akcs" is not allowed; did you mean "acks"? (`kafka-harness verify --help` lists every key)');
    expect(() => resolveConfiguration(["acks=2"])).toThrow('--config acks=2: "2" is not allowed; allowed: all, -1, 0, 1');
    expect(() => resolveConfiguration(["durable", "acks-1"])).toThrow("--config names two presets (durable, acks-1)");
  });
});
