/**
 * One interface for every target (engine, kafka): run a scenario, return the history.
 * A target records; it never decides a verdict (docs/architecture.md: data flows one way).
 */
import type { History } from "../model/index.js";
import type { FaultKind } from "../chaos/fault.js";
import type { Scenario } from "../chaos/scenario.js";

export interface RunOptions {
  /** Abort the run (Ctrl-C); the target still cleans up everything it started. */
  readonly signal?: AbortSignal;
  /** Progress lines for long runs; the engine may stay silent. */
  readonly log?: (line: string) => void;
}

export interface Target {
  readonly name: "engine" | "kafka";
  /** Deterministic targets replay a scenario byte for byte. */
  readonly deterministic: boolean;
  readonly supportedFaults: ReadonlySet<FaultKind>;
  /**
   * Whether a network fault can cut one client's link alone (`one-way` from or to a client). The engine
   * can; on Kafka every harness client shares the host's address, so only `cut-client` (all of them) can.
   */
  readonly singleClientLinks: boolean;
  run(scenario: Scenario, options?: RunOptions): Promise<History>;
  /** Release everything the target holds (containers, networks). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The environment a target needs failed (no Docker engine, an image that does not build, a broker that
 * never started, a port taken): not the input's fault and not a verdict. The CLI exits 5 on it.
 */
export class EnvironmentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EnvironmentError";
  }
}
