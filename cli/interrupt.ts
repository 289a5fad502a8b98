/**
 * Ctrl-C as an AbortSignal: the first SIGINT asks the running command to stop after the current
 * scenario (it still prints what it has and writes the run directory, exit 130); a second SIGINT
 * means "now" and exits at once, because a run that does not stop must not trap the user. A second
 * signal within half a second is the same Ctrl-C relayed by a wrapper (npm exec, tsx), not a new one.
 */
import { ExitCode } from "./exit-codes.js";

export interface Interrupt {
  readonly signal: AbortSignal;
  dispose(): void;
}

export function interruptOnSigint(notify: (text: string) => void = (text) => process.stderr.write(`${text}\n`)): Interrupt {
  const controller = new AbortController();
  let firstAt = 0;
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      if (performance.now() - firstAt > 500) process.exit(ExitCode.interrupted);
      return;
    }
    firstAt = performance.now();
    notify("\ninterrupted: finishing the current scenario, then writing the table and the run directory (Ctrl-C again to quit at once)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSignal) };
}
