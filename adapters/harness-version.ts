import { readFileSync } from "node:fs";

/**
 * This package's version, from its package.json: the engine is this package's own client library, so
 * a history it records names it ("engine" 0.1.0) the way a kafkajs history names kafkajs.
 */
export const harnessVersion: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** The `client` of every history the engine target records. */
export const engineClient = { name: "engine", version: harnessVersion } as const;
