import { PartitionLog } from "./partition-log.js";

/**
 * A node's disk: everything here outlives the process. What a power loss takes is decided by each
 * log's flushed offset; the controller's metadata log is treated as fsynced on every write (KRaft
 * does fsync its metadata log).
 */
export class Disk {
  private readonly logs = new Map<string, PartitionLog>();
  /** Set by a clean shutdown, cleared at start: unclean restarts leave Eligible Leader Replicas. */
  cleanShutdown = true;
  /** Opaque durable state of a controller hosted on this node. */
  controllerState: unknown = undefined;

  log(topic: string, partition: number): PartitionLog {
    const key = `${topic}-${partition}`;
    let log = this.logs.get(key);
    if (log === undefined) {
      log = new PartitionLog();
      this.logs.set(key, log);
    }
    return log;
  }

  existingLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(`${topic}-${partition}`);
  }

  allLogs(): IterableIterator<PartitionLog> {
    return this.logs.values();
  }

  powerLoss(): void {
    for (const log of this.logs.values()) log.loseUnflushed();
  }
}
