import type { EngineConfig, EngineConfigValue } from "./api.js";
import { unmodelledBecause, type HonouredKey } from "./honoured-keys.js";

/**
 * Reading Kafka-named configuration with clear errors: the key, the value, and what is allowed. Only
 * honoured keys (engine/honoured-keys.ts) at honoured values pass: the engine target refuses the rest
 * earlier with a message for people; this is the engine's own guard when it is driven directly.
 */
export function checkKeys(config: EngineConfig, honoured: Readonly<Record<string, HonouredKey>>, where: string): void {
  for (const [key, value] of Object.entries(config)) {
    const entry = honoured[key];
    if (entry === undefined) {
      const why = unmodelledBecause[key];
      throw new Error(`${where} config "${key}": unknown, or not modelled by the engine${why === undefined ? "" : ` (${why})`}; modelled: ${Object.keys(honoured).join(", ")}`);
    }
    if (entry.values !== undefined && !entry.values.includes(value)) {
      throw new Error(`${where} config "${key}": ${JSON.stringify(value)} is not modelled by the engine; modelled: ${entry.values.map((allowed) => JSON.stringify(allowed)).join(", ")}`);
    }
  }
}

export function readNumber(
  config: EngineConfig,
  key: string,
  defaultValue: number,
  bounds: { readonly min: number; readonly max?: number; readonly integer?: boolean },
): number {
  const raw = config[key];
  if (raw === undefined) return defaultValue;
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== "number" || Number.isNaN(value) || value < bounds.min || value > max || (bounds.integer !== false && !Number.isInteger(value) && Number.isFinite(value))) {
    throw new Error(`config "${key}": ${JSON.stringify(raw)} is not allowed; use ${bounds.integer === false ? "a number" : "an integer"} in [${bounds.min}, ${max}]`);
  }
  return value;
}

/** Like readNumber, but Kafka's "unbounded" Long.MAX_VALUE (or any huge value) reads as Infinity. */
export function readUnboundedNumber(config: EngineConfig, key: string, defaultValue: number, min: number): number {
  const raw = config[key];
  if (raw === undefined) return defaultValue;
  if (typeof raw === "string" && /^9223372036854775807$/.test(raw.trim())) return Infinity;
  const value = readNumber(config, key, defaultValue, { min, max: Number.MAX_VALUE, integer: false });
  return value >= Number.MAX_SAFE_INTEGER ? Infinity : value;
}

export function readBoolean(config: EngineConfig, key: string, defaultValue: boolean): boolean {
  const raw: EngineConfigValue | undefined = config[key];
  if (raw === undefined) return defaultValue;
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  throw new Error(`config "${key}": ${JSON.stringify(raw)} is not allowed; use true or false`);
}

/** A text value, or undefined when the key is absent (numbers and booleans are refused). */
export function readText(config: EngineConfig, key: string): string | undefined {
  const raw = config[key];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw new Error(`config "${key}": ${JSON.stringify(raw)} is not allowed; use a string`);
  return raw;
}

export function readChoice<T extends string>(config: EngineConfig, key: string, defaultValue: T, choices: readonly T[]): T {
  const raw = config[key];
  if (raw === undefined) return defaultValue;
  const text = String(raw);
  const found = choices.find((choice) => choice === text);
  if (found === undefined) throw new Error(`config "${key}": ${JSON.stringify(raw)} is not allowed; use one of ${choices.join(", ")}`);
  return found;
}

export interface KafkaVersion {
  readonly major: number;
  readonly minor: number;
}

export function parseKafkaVersion(text: string): KafkaVersion {
  const match = /^(\d+)\.(\d+)(\.\d+)?$/.exec(text.trim());
  if (match === null) throw new Error(`kafkaVersion: ${JSON.stringify(text)} is not allowed; use "major.minor" or "major.minor.patch", e.g. "4.1.0"`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function versionAtLeast(version: KafkaVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
