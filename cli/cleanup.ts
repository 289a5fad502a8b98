/**
 * `kafka-harness cleanup [--dry-run] [--keep-live]`: lists every container, network and volume the
 * harness made on this Docker engine (label kafka-harness.run) and removes them. What a run killed
 * with SIGKILL leaves behind is removed by the next Kafka run anyway; this is the command for "make
 * this machine clean now", and for seeing what is there.
 */
import { EnvironmentError } from "../adapters/kafka/cluster/environment-error.js";
import { parseArguments, UsageError, type OptionSpec } from "./arguments.js";
import { ExitCode, exitStatusHelp } from "./exit-codes.js";

export const cleanupOptions: readonly OptionSpec[] = [
  { name: "dry-run", flag: true },
  { name: "keep-live", flag: true },
  { name: "help", flag: true },
];

export function cleanupHelp(): string {
  return [
    "Usage: kafka-harness cleanup [--dry-run] [--keep-live]",
    "",
    "Lists every container (brokers, controllers, firewall helpers), network and volume the harness made",
    "on this Docker engine (label kafka-harness.run), with its run id and whether the process that",
    "started it still runs, then removes them all (containers with their anonymous volumes).",
    "Every Kafka run (verify --target kafka, compare, the Kafka tests) already removes, when it starts,",
    "the clusters of runs whose process is gone (killed with SIGKILL, say); this removes everything now.",
    "",
    "  --dry-run     list only; remove nothing",
    "  --keep-live   keep the clusters whose owner process still runs (a test or verify in progress)",
    "  --help        this text",
    "",
    exitStatusHelp,
    "Here: 0 listed (and removed); 2 bad input; 5 no Docker engine answers, or something could not be removed.",
  ].join("\n");
}

export interface CleanupIo {
  readonly out: (text: string) => void;
}

const defaultIo: CleanupIo = { out: (text) => process.stdout.write(`${text}\n`) };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export async function runCleanup(argv: readonly string[], io: CleanupIo = defaultIo): Promise<number> {
  const parsed = parseArguments(argv, cleanupOptions);
  if (parsed.flags.has("help")) {
    io.out(cleanupHelp());
    return ExitCode.held;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`cleanup takes no positional arguments, got ${JSON.stringify(parsed.positionals)}; see cleanup --help`);
  const dryRun = parsed.flags.has("dry-run");
  // Loaded here, not at the top: `kafka-harness --help` must not need testcontainers.
  const { listHarnessResources, removeHarnessResources } = await import("../adapters/kafka/cluster/harness-resources.js");
  const found = await listHarnessResources();
  const chosen = parsed.flags.has("keep-live") ? found.filter((resource) => !resource.ownerAlive) : found;
  const count = (kind: string): number => chosen.filter((resource) => resource.kind === kind).length;
  const totals = `${plural(count("container"), "container")}, ${plural(count("network"), "network")}, ${plural(count("volume"), "volume")}`;
  if (chosen.length === 0) {
    io.out(`cleanup: nothing the harness made is on this engine${found.length > 0 ? ` (kept ${found.length} of live runs)` : ""}`);
    return ExitCode.held;
  }
  io.out(`cleanup: ${totals} made by kafka-harness${dryRun ? " (dry run: nothing is removed)" : ""}`);
  for (const resource of chosen) {
    const owner = `owner pid ${resource.ownerPid} ${resource.ownerAlive ? "still running" : "gone"}`;
    const state = resource.state === undefined ? "" : `, ${resource.state}`;
    const volumes = resource.volumes !== undefined && resource.volumes.length > 0 ? `, with ${plural(resource.volumes.length, "volume")}` : "";
    io.out(`  ${resource.kind.padEnd(9)} ${resource.name} (run ${resource.run}, ${owner}${state}${volumes})`);
  }
  const kept = found.length - chosen.length;
  if (kept > 0) io.out(`cleanup: keeping ${kept} of runs whose owner still runs (--keep-live)`);
  if (dryRun) return ExitCode.held;
  const failures = await removeHarnessResources(chosen);
  if (failures.length > 0) {
    throw new EnvironmentError(`cleanup could not remove ${failures.length} of ${chosen.length}: ${failures.join("; ")}`);
  }
  io.out(`cleanup: removed ${totals}`);
  return ExitCode.held;
}
