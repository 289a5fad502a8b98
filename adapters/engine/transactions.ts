/**
 * Drives the scenario's transactional producers (clients with `transactional.id`) on the simulation,
 * as an application using the Java client's transaction API would: initTransactions once per producer
 * instance, then per transaction step begin, send each record, wait `endAfterMs`, commit or abort.
 *
 * A producer that learns its end failed (fenced by a newer instance, a send failed, the coordinator
 * timed out) is closed and replaced by a new instance of the same client, which initialises again
 * before its next transaction: what an application does after ProducerFencedException or an unknown
 * commit outcome. That re-initialisation is itself a fencing (of the dead instance), as in Kafka.
 *
 * Transactions of one client run one after another; steps that arrive while one is open wait in a
 * bounded queue (the application's backlog), and steps beyond the bound are dropped and counted.
 */
import type { SendValue, TransactionInitValue } from "../../model/index.js";
import type { Simulation, TransactionalProducer } from "../../engine/api.js";
import type { ClientSpec, TransactionStep } from "../../chaos/scenario.js";

/** How the driver records operations: through the client driver, so abandoned ones end as info. */
export interface OperationLog {
  begin(process: string, f: string, value: unknown): number;
  complete(id: number, type: "ok" | "fail" | "info", value: unknown, error?: string): boolean;
}

/** Transaction steps one client may have waiting; more is a scenario mistake, not a workload. */
export const transactionBacklogBound = 64;

interface TransactionalClient {
  readonly spec: ClientSpec;
  readonly transactionalId: string;
  producer: TransactionalProducer;
  /** Whether this producer instance's initTransactions succeeded. */
  initialised: boolean;
  /** A transaction (or its initialisation) is in progress. */
  busy: boolean;
  readonly backlog: TransactionStep[];
}

export class TransactionDriver {
  private readonly clients = new Map<string, TransactionalClient>();
  /** Transaction steps dropped because the client's backlog was full. */
  droppedTransactions = 0;
  /** Transaction steps not run because the producer instance could not initialise. */
  transactionsWithoutInit = 0;
  private closed = false;

  constructor(
    private readonly simulation: Simulation,
    private readonly operations: OperationLog,
  ) {}

  has(client: string): boolean {
    return this.clients.has(client);
  }

  create(spec: ClientSpec): void {
    const transactionalId = spec.config["transactional.id"];
    if (typeof transactionalId !== "string") throw new Error(`client ${spec.id} has no transactional.id`);
    this.clients.set(spec.id, { spec, transactionalId, producer: this.simulation.transactionalProducer(spec.id, spec.config), initialised: false, busy: false, backlog: [] });
  }

  apply(step: TransactionStep): void {
    const client = this.clientOf(step.client);
    if (client.busy) {
      if (client.backlog.length >= transactionBacklogBound) this.droppedTransactions++;
      else client.backlog.push(step);
      return;
    }
    this.run(client, step);
  }

  private clientOf(id: string): TransactionalClient {
    const client = this.clients.get(id);
    if (client === undefined) throw new Error(`no transactional producer ${id}`);
    return client;
  }

  private run(client: TransactionalClient, step: TransactionStep): void {
    client.busy = true;
    if (client.initialised) {
      this.transact(client, step);
      return;
    }
    const process = client.spec.id;
    const producer = client.producer;
    const id = this.operations.begin(process, "txn-init", { transactionalId: client.transactionalId });
    producer.initTransactions((result) => {
      if (client.producer !== producer || this.closed) return;
      if (result.type === "ok") {
        const value: TransactionInitValue = { transactionalId: client.transactionalId, producerId: result.producerId, epoch: result.epoch };
        this.operations.complete(id, "ok", value);
        client.initialised = true;
        this.transact(client, step);
        return;
      }
      this.operations.complete(id, result.type, { transactionalId: client.transactionalId }, result.error);
      this.transactionsWithoutInit++;
      // This instance cannot transact; the next step tries with a new one.
      this.replaceProducer(client);
      this.next(client);
    });
  }

  private transact(client: TransactionalClient, step: TransactionStep): void {
    const process = client.spec.id;
    const producer = client.producer;
    const transactionalId = client.transactionalId;
    const begin = this.operations.begin(process, "txn-begin", { transactionalId });
    producer.beginTransaction();
    this.operations.complete(begin, "ok", undefined);
    for (const record of step.sends) {
      const value: SendValue = { topic: record.topic, key: record.key, value: record.value, ...(record.partition === undefined ? {} : { partition: record.partition }) };
      const id = this.operations.begin(process, "send", value);
      producer.send({ ...value }, (result) => {
        if (result.type === "ok") this.operations.complete(id, "ok", { ...value, partition: result.partition, offset: result.offset });
        else this.operations.complete(id, result.type, result.partition === undefined ? value : { ...value, partition: result.partition }, result.error);
      });
    }
    const end = (): void => {
      if (client.producer !== producer || this.closed) return;
      const f = step.end === "commit" ? "txn-commit" : "txn-abort";
      const id = this.operations.begin(process, f, { transactionalId });
      const done = (result: { type: "ok" } | { type: "fail" | "info"; error: string }): void => {
        if (client.producer !== producer || this.closed) return;
        if (result.type === "ok") this.operations.complete(id, "ok", undefined);
        else {
          this.operations.complete(id, result.type, undefined, result.error);
          this.replaceProducer(client);
        }
        this.next(client);
      };
      if (step.end === "commit") producer.commitTransaction(done);
      else producer.abortTransaction(done);
    };
    const endAfterMs = step.endAfterMs ?? 0;
    if (endAfterMs === 0) end();
    else this.simulation.schedule(this.simulation.nowMs + endAfterMs, end);
  }

  /** A new instance of the client's producer; the old one is abandoned (its late answers are ignored). */
  private replaceProducer(client: TransactionalClient): void {
    client.producer.close();
    client.producer = this.simulation.transactionalProducer(client.spec.id, client.spec.config);
    client.initialised = false;
  }

  private next(client: TransactionalClient): void {
    client.busy = false;
    const step = client.backlog.shift();
    if (step !== undefined) this.run(client, step);
  }

  /** Whether any client still has a transaction open or waiting. */
  get busyCount(): number {
    let count = 0;
    for (const client of this.clients.values()) if (client.busy || client.backlog.length > 0) count++;
    return count;
  }

  closeAll(): void {
    this.closed = true;
    for (const client of this.clients.values()) {
      client.backlog.length = 0;
      client.producer.close();
    }
  }
}
