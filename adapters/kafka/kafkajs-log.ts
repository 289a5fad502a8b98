/**
 * kafkajs logs a great deal under faults (every reconnect). Its lines go to a file, never the console.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import kafkajs, { type logCreator } from "kafkajs";

export function fileLogCreator(file: string): logCreator {
  mkdirSync(dirname(file), { recursive: true });
  return () => ({ namespace, level, log }) => {
    const { message, timestamp, ...rest } = log;
    const levelName = kafkajs.logLevel[level] ?? String(level);
    try {
      appendFileSync(file, `${timestamp} ${levelName} [${namespace}] ${message} ${JSON.stringify(rest)}\n`);
    } catch {
      // Logging must never break a run; a full disk shows up elsewhere.
    }
  };
}
