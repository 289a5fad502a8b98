import { createRequire } from "node:module";

/**
 * The kafkajs actually installed (its own package.json), not the range package.json asks for: a
 * client defect is a defect of one version, and the history must say which one produced it.
 */
const installed = (createRequire(import.meta.url)("kafkajs/package.json") as { version: string }).version;

/** The `client` of every history the Kafka target records. */
export const kafkajsClient = { name: "kafkajs", version: installed } as const;
