/**
 * Ctrl-C while the Kafka target is open must not leave containers behind. The cluster fixture guards
 * a cluster while it is up, but not the moments between clusters (one stopping, the next starting,
 * when `compare` changes cluster shape): a signal there would meet Node's default handler. So the
 * target keeps its own handler from creation to close(): it removes, synchronously, every container
 * and network this process started (label kafka-harness.owner-pid), then exits 128 + signal.
 */
import { spawnSync } from "node:child_process";
import { ownerPidLabel } from "./cluster/labels.js";

const signalNumbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type Signal = keyof typeof signalNumbers;

/** Docker ids are hex; anything else in docker's output is a message, not an id. */
const dockerId = /^[0-9a-f]{12,64}$/;

function docker(args: readonly string[]): string {
  const result = spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 });
  return `${result.stdout ?? ""}`.trim();
}

/** Removes every container and network labelled as started by this process; returns how many. */
export function removeOwnedContainersSync(pid: number = process.pid): { containers: number; networks: number } {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`pid ${pid} is not allowed; allowed: a positive integer`);
  const filter = `label=${ownerPidLabel}=${pid}`;
  const containers = docker(["ps", "-aq", "--filter", filter]).split(/\s+/).filter((id) => dockerId.test(id));
  if (containers.length > 0) {
    // A frozen container refuses the kill on older engines: thaw first (errors for running ones are fine).
    docker(["unpause", ...containers]);
    docker(["rm", "-f", "-v", ...containers]);
  }
  const networks = docker(["network", "ls", "-q", "--filter", filter]).split(/\s+/).filter((id) => dockerId.test(id));
  if (networks.length > 0) docker(["network", "rm", ...networks]);
  return { containers: containers.length, networks: networks.length };
}

/** Installs the handlers; returns the function that removes them (idempotent). */
export function guardProcessContainers(): () => void {
  const handlers = new Map<Signal, () => void>();
  for (const signal of Object.keys(signalNumbers) as Signal[]) {
    const handler = (): void => {
      process.stderr.write(`\nkafka-harness: ${signal}: removing this process's containers...\n`);
      try {
        const removed = removeOwnedContainersSync();
        process.stderr.write(`kafka-harness: removed ${removed.containers} containers and ${removed.networks} networks\n`);
      } catch (error) {
        process.stderr.write(`kafka-harness: cleanup failed (${(error as Error).message}); run: docker ps -a --filter label=${ownerPidLabel}\n`);
      }
      process.exit(128 + signalNumbers[signal]);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
}
