/**
 * Exit codes of every `kafka-harness` command, one table so scripts and CI can rely on them. A verdict's
 * outcome maps to one code; when a run holds several outcomes, the most serious wins (violated >
 * client-defect > inconclusive > held).
 */
import type { VerdictOutcome } from "../model/index.js";

export const ExitCode = {
  /** Every promised guarantee was judged on evidence and held. */
  held: 0,
  /** A promised guarantee was violated by the broker or the protocol. */
  violated: 1,
  /** Bad input: an option, a configuration key, a scenario or a history the harness refuses (nothing ran). */
  badInput: 2,
  /** No violation, but some promised guarantee had no evidence (no final reads, no records): not "held". */
  inconclusive: 3,
  /** The only violations are a client library's defects (reported with their evidence), not Kafka's. */
  clientDefect: 4,
  /** The environment failed: no Docker engine, an image that cannot be built, a broker that never started, a port taken. */
  environment: 5,
  /** The harness itself failed (a bug in this tool): please report it with the printed stack. */
  internalError: 6,
  /** Interrupted (Ctrl-C): the table so far and the run directory were written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeOf(outcome: VerdictOutcome): ExitCode {
  switch (outcome) {
    case "holds":
      return ExitCode.held;
    case "violated":
      return ExitCode.violated;
    case "client-defect":
      return ExitCode.clientDefect;
    case "inconclusive":
      return ExitCode.inconclusive;
  }
}

const precedence: readonly VerdictOutcome[] = ["violated", "client-defect", "inconclusive", "holds"];

/** The outcome of many runs: the most serious of theirs (no runs at all is inconclusive). */
export function combineOutcomes(outcomes: Iterable<VerdictOutcome>): VerdictOutcome {
  let worst = precedence.length;
  let any = false;
  for (const outcome of outcomes) {
    any = true;
    worst = Math.min(worst, precedence.indexOf(outcome));
  }
  return any ? (precedence[worst] as VerdictOutcome) : "inconclusive";
}

/** The line `--help` of every command ends with. */
export const exitStatusHelp = [
  "Exit status: 0 every promised guarantee judged and held; 1 a promised guarantee violated; 2 bad input;",
  "3 inconclusive (no violation, but a promised guarantee had no evidence); 4 only client-library defects;",
  "5 environment problem (Docker, image, broker start); 6 internal error of the harness; 130 interrupted.",
].join("\n");
