/** Hand-made transactional histories: producers txn-0/txn-1 (one transactional.id each unless shared), readers by isolation level. */
import type { ConfigMap } from "../index.js";
import { HistoryBuilder, record } from "../simulate/builder.js";

export interface TransactionSetup {
  /** txn-1 shares txn-0's transactional.id (T6). */
  readonly shared?: boolean;
  readonly partitions?: number;
  readonly client?: { readonly name: string; readonly version: string };
  /** Without committed-0 and final-committed-reader: no read_committed reader (T1-T3 not promised). */
  readonly uncommittedOnly?: boolean;
}

export const readCommitted: ConfigMap = { "isolation.level": "read_committed" };

export function transactionSetup(options: TransactionSetup = {}): HistoryBuilder {
  return new HistoryBuilder({
    ...(options.client === undefined ? {} : { client: options.client }),
    topics: [{ name: "t", partitions: options.partitions ?? 2, replicationFactor: 3, config: { "min.insync.replicas": 2 } }],
    clients: {
      "txn-0": { role: "producer", config: { "transactional.id": "tx-0" } },
      "txn-1": { role: "producer", config: { "transactional.id": options.shared === true ? "tx-0" : "tx-1" } },
      "uncommitted-0": { role: "consumer", config: {} },
      "final-reader": { role: "reader", config: {} },
      ...(options.uncommittedOnly === true ? {} : { "committed-0": { role: "consumer", config: readCommitted }, "final-committed-reader": { role: "reader", config: readCommitted } }),
    },
  });
}

export function transactionalIdOf(builder: HistoryBuilder, process: string): string {
  return String(builder.header.clients[process]?.config["transactional.id"]);
}

export function init(builder: HistoryBuilder, process: string, epoch = 0): number {
  const transactionalId = transactionalIdOf(builder, process);
  builder.event(process, "invoke", "txn-init", { transactionalId });
  return builder.event(process, "ok", "txn-init", { transactionalId, producerId: 7, epoch });
}

export function begin(builder: HistoryBuilder, process: string): number {
  builder.event(process, "invoke", "txn-begin", { transactionalId: transactionalIdOf(builder, process) });
  return builder.event(process, "ok", "txn-begin");
}

/** Invokes the end; returns the invocation's index. Complete it with `finish`. */
export function end(builder: HistoryBuilder, process: string, f: "txn-commit" | "txn-abort"): number {
  return builder.event(process, "invoke", f, { transactionalId: transactionalIdOf(builder, process) });
}

export function finish(builder: HistoryBuilder, process: string, f: "txn-commit" | "txn-abort", type: "ok" | "fail" | "info" = "ok"): number {
  return builder.event(process, type, f);
}

/** A whole transaction: begin, the sends (value at partition/offset), end invoked and completed. */
export function transaction(builder: HistoryBuilder, process: string, sends: readonly (readonly [string, number, number])[], f: "txn-commit" | "txn-abort" = "txn-commit", type: "ok" | "fail" | "info" = "ok"): { endInvoke: number; endCompletion: number } {
  begin(builder, process);
  for (const [value, partition, offset] of sends) builder.send(process, "t", null, value, { partition, offset });
  const endInvoke = end(builder, process, f);
  return { endInvoke, endCompletion: finish(builder, process, f, type) };
}

export function marker(builder: HistoryBuilder, process: string, partition: number, offset: number, commit: boolean): number {
  return builder.event("observer", "info", "txn-marker", { transactionalId: transactionalIdOf(builder, process), producerId: 7, epoch: 0, topic: "t", partition, offset, commit });
}

/** Final reads: the read_uncommitted final-reader's (with end offsets) and the committed reader's, as [value, partition, offset]. */
export function finalReads(builder: HistoryBuilder, uncommitted: readonly (readonly [string, number, number])[], committed: readonly (readonly [string, number, number])[], endOffsets: readonly number[]): void {
  builder.poll("final-reader", uncommitted.map(([value, partition, offset]) => record("t", partition, offset, value)), true);
  builder.endOffsets(endOffsets.map((endOffset, partition) => ({ topic: "t", partition, startOffset: 0, endOffset })));
  builder.poll("final-committed-reader", committed.map(([value, partition, offset]) => record("t", partition, offset, value)), true);
}

export { record };
