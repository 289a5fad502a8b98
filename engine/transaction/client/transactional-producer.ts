/**
 * A transactional producer: the Java client's TransactionManager over the engine's producer. It finds
 * its transaction coordinator, gets its producer id and epoch from InitProducerId (fencing every older
 * producer of the transactional id), adds each partition to the open transaction before the sender may
 * send to it, and ends the transaction with EndTxn after every send of it completed.
 *
 * As in the Java client: a send that failed makes the transaction abortable (commit fails, only abort
 * is allowed); a fenced producer (PRODUCER_FENCED / INVALID_PRODUCER_EPOCH) is fatal; a commit that
 * could not be confirmed within max.block.ms has an unknown outcome (info): the coordinator may still
 * complete it. Calls out of order throw EngineUsageError.
 */
import { EngineUsageError, type SendResult, type EngineOffset, type TransactionInitResult, type TransactionResult, type TransactionalProducer } from "../../api.js";
import type { EngineContext } from "../../context.js";
import { brokerNodeName } from "../../context.js";
import type { SimulatedNode } from "../../network/node.js";
import type { ErrorCode } from "../../protocol/errors.js";
import type { Message } from "../../protocol/messages.js";
import { assert } from "../../simulation/assert.js";
import { ProducerClient } from "../../client/producer.js";
import type { ProducerSettings } from "../../client/producer-settings.js";

type State = "uninitialised" | "initialising" | "ready" | "in-transaction" | "ending" | "abortable" | "fatal" | "closed";

type Answer = { readonly type: "ok"; readonly message: Message } | { readonly type: "error"; readonly error: ErrorCode } | { readonly type: "timeout" };

/** Errors after which the same request is sent again (to a coordinator found again where it says so). */
const retriable: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["NOT_COORDINATOR", "COORDINATOR_NOT_AVAILABLE", "COORDINATOR_LOAD_IN_PROGRESS", "CONCURRENT_TRANSACTIONS", "REQUEST_TIMED_OUT"]);
const fencedErrors: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH"]);
/** Attempts of one call before it is a runaway: max.block.ms bounds it long before at any sane backoff. */
const maxAttempts = 100_000;

export class TransactionalProducerClient implements TransactionalProducer {
  readonly transactionalId: string;
  private readonly producer: ProducerClient;
  private state: State = "uninitialised";
  private coordinator: number | null = null;
  private readonly requests = new Map<number, (message: Message | null) => void>();
  private requestCounter = 0;
  private producerId = -1;
  private producerEpoch = -1;
  /** Partitions of the open transaction the coordinator confirmed, and those asked for but not yet. */
  private readonly added = new Set<string>();
  private readonly toAdd = new Map<string, { topic: string; partition: number }>();
  private adding = false;
  private outstandingSends = 0;
  /** The first failed send of the open transaction (the transaction can only abort). */
  private sendFailure: string | null = null;
  private fatalError: string | null = null;
  private readonly whenSendsDone: (() => void)[] = [];
  /** The call in progress (init, commit or abort), answered info if the producer is closed first. */
  private pending: ((result: { type: "info"; error: string }) => void) | null = null;

  constructor(
    readonly id: string,
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly settings: ProducerSettings,
  ) {
    assert(settings.transactionalId !== null, `${id}: a transactional producer needs transactional.id`);
    this.transactionalId = settings.transactionalId;
    this.producer = new ProducerClient(id, node, context, settings, { partitionAdded: (topic, partition) => this.partitionAdded(topic, partition) });
  }

  get closed(): boolean {
    return this.state === "closed";
  }

  private get now(): number {
    return this.context.scheduler.nowMs;
  }

  handle(message: Message): void {
    if (this.state === "closed") return;
    const requestId = "requestId" in message ? message.requestId : -1;
    const answer = this.requests.get(requestId);
    if (answer !== undefined) {
      this.requests.delete(requestId);
      answer(message);
      return;
    }
    this.producer.handle(message);
  }

  // ---------------------------------------------------------------- the application's calls

  initTransactions(done: (result: TransactionInitResult) => void): void {
    this.expect(["uninitialised"], "initTransactions");
    this.state = "initialising";
    this.pending = done;
    const deadline = this.now + this.settings.maxBlockMs;
    this.callCoordinator(
      (requestId) => ({ kind: "transaction-init", requestId, transactionalId: this.transactionalId, transactionTimeoutMs: this.settings.transactionTimeoutMs }),
      deadline,
      (answer) => {
        this.pending = null;
        if (answer.type === "ok" && answer.message.kind === "transaction-init-response") {
          this.producerId = answer.message.producerId;
          this.producerEpoch = answer.message.producerEpoch;
          this.producer.setIdentity(this.producerId, this.producerEpoch);
          this.state = "ready";
          this.context.trace.record(this.now, this.node.name, `transactions initialised: producer ${this.producerId} epoch ${this.producerEpoch}`);
          return done({ type: "ok", producerId: this.producerId, epoch: this.producerEpoch });
        }
        this.state = "uninitialised";
        if (answer.type === "timeout") return done({ type: "info", error: `TimeoutException: initTransactions not completed within max.block.ms ${this.settings.maxBlockMs}` });
        done({ type: "fail", error: answer.type === "error" ? answer.error : "unexpected answer" });
      },
    );
  }

  beginTransaction(): void {
    this.expect(["ready"], "beginTransaction");
    this.state = "in-transaction";
    this.added.clear();
    this.toAdd.clear();
    this.sendFailure = null;
  }

  send(record: { topic: string; key: string | null; value: string; partition?: number }, done: (result: SendResult) => void): void {
    this.expect(["in-transaction", "abortable"], "send");
    if (this.state === "abortable") return done({ type: "fail", error: `KafkaException: the transaction is aborting after a failed send (${this.sendFailure ?? "unknown"})` });
    this.outstandingSends++;
    this.producer.send(record, (result) => {
      this.outstandingSends--;
      if (result.type !== "ok" && this.sendFailure === null) this.sendFailure = result.error;
      done(result);
      if (this.outstandingSends === 0) for (const waiter of this.whenSendsDone.splice(0, this.whenSendsDone.length)) waiter();
    });
  }

  sendOffsetsToTransaction(_offsets: readonly EngineOffset[], group: string, _done: (result: TransactionResult) => void): void {
    // Refused at once rather than half-done: T5 (consume-transform-produce) is not modelled yet.
    throw new EngineUsageError(`producer ${this.id}: sendOffsetsToTransaction (group ${group}) is not modelled by the engine yet`);
  }

  commitTransaction(done: (result: TransactionResult) => void): void {
    this.expect(["in-transaction", "abortable"], "commitTransaction");
    if (this.state === "abortable") return done({ type: "fail", error: `KafkaException: cannot commit, a send of the transaction failed (${this.sendFailure ?? "unknown"}); abort it` });
    this.end(true, done);
  }

  abortTransaction(done: (result: TransactionResult) => void): void {
    this.expect(["in-transaction", "abortable"], "abortTransaction");
    // Sends still queued never go out: Java fails them with TransactionAbortedException.
    this.producer.failQueued("TransactionAbortedException: the transaction is being aborted");
    this.end(false, done);
  }

  close(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.producer.close();
    this.requests.clear();
    const pending = this.pending;
    this.pending = null;
    pending?.({ type: "info", error: "producer closed before the call completed" });
  }

  // ---------------------------------------------------------------- ending a transaction

  private end(commit: boolean, done: (result: TransactionResult) => void): void {
    this.state = "ending";
    this.pending = done;
    const finish = (result: TransactionResult, next: State): void => {
      if (this.state === "closed") return;
      this.pending = null;
      this.state = next;
      done(result);
    };
    this.afterSends(() => {
      if (this.state === "closed") return;
      if (this.fatalError !== null) return finish({ type: "fail", error: this.fatalError }, "fatal");
      if (commit && this.sendFailure !== null) return finish({ type: "fail", error: `KafkaException: cannot commit, a send of the transaction failed (${this.sendFailure}); abort it` }, "abortable");
      // Nothing reached a partition: the coordinator never heard of the transaction (the Java client ends it locally).
      if (this.added.size === 0 && !this.adding) return finish({ type: "ok" }, "ready");
      const deadline = this.now + this.settings.maxBlockMs;
      this.callCoordinator(
        (requestId) => ({ kind: "end-transaction", requestId, transactionalId: this.transactionalId, producerId: this.producerId, producerEpoch: this.producerEpoch, commit }),
        deadline,
        (answer) => {
          if (answer.type === "ok") return finish({ type: "ok" }, "ready");
          if (answer.type === "timeout") return finish({ type: "info", error: `TimeoutException: ${commit ? "commit" : "abort"} not confirmed within max.block.ms ${this.settings.maxBlockMs}` }, "fatal");
          if (fencedErrors.has(answer.error)) return finish({ type: "fail", error: answer.error }, "fatal");
          finish({ type: "fail", error: answer.error }, commit ? "abortable" : "fatal");
        },
      );
    });
  }

  private afterSends(action: () => void): void {
    if (this.outstandingSends === 0) action();
    else this.whenSendsDone.push(action);
  }

  // ---------------------------------------------------------------- partitions of the transaction

  /** The sender's gate: true once the coordinator added the partition; otherwise asks for it. */
  private partitionAdded(topic: string, partition: number): boolean {
    const key = `${topic}-${partition}`;
    if (this.added.has(key)) return true;
    if (this.state !== "in-transaction" && this.state !== "ending") return false;
    this.toAdd.set(key, { topic, partition });
    this.addPartitions();
    return false;
  }

  private addPartitions(): void {
    if (this.adding || this.toAdd.size === 0) return;
    this.adding = true;
    const partitions = [...this.toAdd.values()];
    this.toAdd.clear();
    const deadline = this.now + this.settings.deliveryTimeoutMs;
    this.callCoordinator(
      (requestId) => ({ kind: "add-partitions-to-transaction", requestId, transactionalId: this.transactionalId, producerId: this.producerId, producerEpoch: this.producerEpoch, partitions }),
      deadline,
      (answer) => {
        this.adding = false;
        if (this.state === "closed") return;
        if (answer.type === "ok") {
          for (const partition of partitions) this.added.add(`${partition.topic}-${partition.partition}`);
          this.producer.wakeNow();
          this.addPartitions();
          return;
        }
        const error = answer.type === "timeout" ? "TimeoutException: AddPartitionsToTxn not confirmed" : answer.error;
        if (answer.type === "error" && fencedErrors.has(answer.error)) this.fatalError = answer.error;
        this.context.trace.record(this.now, this.node.name, `add partitions failed: ${error}`);
        this.producer.failQueued(error);
      },
    );
  }

  // ---------------------------------------------------------------- talking to the coordinator

  private expect(states: readonly State[], call: string): void {
    if (!states.includes(this.state)) throw new EngineUsageError(`producer ${this.id}: ${call}() is not allowed in state ${this.state}; allowed in: ${states.join(", ")}`);
  }

  /** Sends the request to the coordinator, finding it first, retrying retriable answers until the deadline. */
  private callCoordinator(make: (requestId: number) => Message, deadlineMs: number, done: (answer: Answer) => void, attempt = 0): void {
    if (this.state === "closed") return;
    if (this.now >= deadlineMs) return done({ type: "timeout" });
    assert(attempt < maxAttempts, `${this.id}: ${maxAttempts} attempts of one transaction call`);
    const again = (): void => this.node.timer(this.settings.retryBackoffMs, () => this.callCoordinator(make, deadlineMs, done, attempt + 1));
    if (this.coordinator === null) {
      const brokers = this.context.brokerIds;
      const broker = brokers[this.context.random.integerBetween(0, brokers.length - 1)]!;
      this.request(broker, (requestId) => ({ kind: "find-transaction-coordinator", requestId, transactionalId: this.transactionalId }), (message) => {
        if (message?.kind === "find-transaction-coordinator-response" && message.error === null) {
          this.coordinator = message.brokerId;
          return this.callCoordinator(make, deadlineMs, done, attempt + 1);
        }
        again();
      });
      return;
    }
    this.request(this.coordinator, make, (message) => {
      if (message === null) {
        this.coordinator = null;
        return again();
      }
      const error = "error" in message ? (message.error as ErrorCode | null) : null;
      if (error === null) return done({ type: "ok", message });
      if (!retriable.has(error)) return done({ type: "error", error });
      if (error === "NOT_COORDINATOR" || error === "COORDINATOR_NOT_AVAILABLE") this.coordinator = null;
      again();
    });
  }

  private request(brokerId: number, make: (requestId: number) => Message, answer: (message: Message | null) => void): void {
    // Its own range of request ids: the producer inside answers its produce requests by theirs.
    const requestId = ++this.requestCounter + 1_000_000_000;
    this.requests.set(requestId, answer);
    this.context.network.send(this.node, brokerNodeName(brokerId), make(requestId));
    this.node.timer(this.settings.requestTimeoutMs, () => {
      const waiting = this.requests.get(requestId);
      if (waiting === undefined) return;
      this.requests.delete(requestId);
      waiting(null);
    });
  }
}
