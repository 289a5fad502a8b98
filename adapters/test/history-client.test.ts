/**
 * Every history names the client library that produced it (header.client), so the model can charge a
 * client's defect to that client and version: the engine names this package, the Kafka target the
 * kafkajs actually installed.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { createEngineTarget } from "../engine/index.js";
import { kafkajsClient } from "../kafka/kafkajs-version.js";
import { readCounterexample } from "../../run/counterexample.js";

const packageVersion = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const installedKafkajs = (JSON.parse(readFileSync("node_modules/kafkajs/package.json", "utf8")) as { version: string }).version;

test("an engine history names the engine and this package's version", async () => {
  const saved = await readCounterexample("fixtures/counterexamples/planted-early-ack.json");
  const history = await createEngineTarget().run(saved.scenario);
  expect(history.header.client).toEqual({ name: "engine", version: packageVersion });
});

test("the Kafka target's histories name kafkajs and the version installed in node_modules", () => {
  expect(kafkajsClient).toEqual({ name: "kafkajs", version: installedKafkajs });
  expect(installedKafkajs).toMatch(/^\d+\.\d+\.\d+/);
});
