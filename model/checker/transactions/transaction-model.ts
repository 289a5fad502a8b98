/**
 * Transactions reconstructed from the history (T1-T4, T6), one pass over the events once the core
 * state machine is done: per transactional producer, its sessions (txn-init ok to its next txn-init or
 * crash), its transactions (txn-begin ok, the sends invoked inside, the commit or abort invocation and
 * completion), the polls of every reader with its isolation level, and the observer's markers. Records
 * are identified by payload, as the core does (the pairing numbered every send). Built only when the
 * header has a transactional producer: other histories pay nothing.
 */
import type { EventType, HistoryEvent, NemesisValue, PollValue, ReadRecord, TransactionInitValue, TransactionMarkerValue } from "../../history/event.js";
import { finalCommittedReaderProcess, nemesisProcess, observerProcess } from "../../history/shape.js";
import type { CheckerState } from "../state.js";

/** committed: commit ok. aborted: abort ok, or commit fail. unknown: anything else (never committed without a commit invocation). */
export type TransactionOutcome = "committed" | "aborted" | "unknown";

/** Faults that end a client's session (it records nothing until restarted). */
const crashFaults: ReadonlySet<string> = new Set(["kill", "power-loss", "stop"]);

export interface ProducerSession {
  readonly process: string;
  readonly transactionalId: string;
  readonly initInvoke: number;
  /** The txn-init ok (-1: it never completed ok). */
  initOk: number;
  producerId: number | null;
  epoch: number | null;
  /** Where it ended: its process's next txn-init invocation or crash (-1: it lasted to the end). */
  end: number;
  /** The txn-init ok of the later session of its transactional id that fenced it (-1: never fenced). */
  fencedBy: number;
}

export interface Transaction {
  /** Its position in `transactions`. */
  readonly number: number;
  readonly process: string;
  readonly transactionalId: string;
  readonly session: ProducerSession | null;
  /** The txn-begin ok. */
  readonly begin: number;
  /** Send ids, in invocation order. */
  readonly sends: number[];
  endKind: "commit" | "abort" | null;
  endInvoke: number;
  endCompletion: number;
  endType: EventType | null;
  /** The crash that ended the transaction before its end completed (-1: none). */
  crashed: number;
}

/** A poll's completion, by the isolation level of its process. */
export interface ReaderPoll {
  readonly index: number;
  readonly process: string;
  readonly readCommitted: boolean;
  readonly final: boolean;
}

export function outcomeOf(transaction: Transaction): TransactionOutcome {
  if (transaction.endKind === "commit") return transaction.endType === "ok" ? "committed" : transaction.endType === "fail" ? "aborted" : "unknown";
  if (transaction.endKind === "abort" && transaction.endType === "ok") return "aborted";
  return "unknown";
}

/** Subject naming a transaction in the root-cause log (its txn-begin ok). */
export function transactionSubject(transaction: Transaction): string {
  return `txn@${transaction.begin}`;
}

/** read_committed when the client config says so (the final committed reader always is); Kafka's default is read_uncommitted. */
export function readsCommitted(state: CheckerState, process: string): boolean {
  if (process === finalCommittedReaderProcess) return true;
  return state.history.header.clients[process]?.config["isolation.level"] === "read_committed";
}

export class TransactionModel {
  readonly sessions: ProducerSession[] = [];
  readonly transactions: Transaction[] = [];
  /** Per send id: the number of its transaction, -1 for a send outside any. */
  readonly transactionOfSend: Int32Array;
  readonly polls: ReaderPoll[] = [];
  /** Per partition id: marker offset -> the txn-marker event. */
  readonly markers = new Map<number, Map<number, number>>();
  readonly markerCount: number;
  /** Transactional producer processes and their transactional.id. */
  readonly producers = new Map<string, string>();

  private constructor(readonly state: CheckerState) {
    for (const [process, client] of Object.entries(state.history.header.clients)) {
      const id = client.config["transactional.id"];
      if (client.role === "producer" && typeof id === "string") this.producers.set(process, id);
    }
    this.transactionOfSend = new Int32Array(state.table.count).fill(-1);
    let markers = 0;
    const session = new Map<string, ProducerSession>();
    const open = new Map<string, Transaction>();
    const ending = new Map<number, Transaction>();
    const events = state.history.events;
    for (const event of events) {
      if (event.process === nemesisProcess) {
        this.onNemesis(event, session, open, ending);
        continue;
      }
      if (event.process === observerProcess) {
        if (event.f === "txn-marker") {
          markers++;
          const marker = event.value as TransactionMarkerValue;
          const partitionId = state.partitionId(marker.topic, marker.partition);
          let byOffset = this.markers.get(partitionId);
          if (byOffset === undefined) this.markers.set(partitionId, (byOffset = new Map()));
          if (!byOffset.has(marker.offset)) byOffset.set(marker.offset, event.index);
        }
        continue;
      }
      if (event.f === "poll" && event.type === "ok") {
        const invoke = state.pairing.invokeOf[event.index] ?? -1;
        const final = (event.value as PollValue | undefined)?.final === true || (invoke >= 0 && (events[invoke]?.value as PollValue | undefined)?.final === true);
        this.polls.push({ index: event.index, process: event.process, readCommitted: readsCommitted(state, event.process), final });
        continue;
      }
      const transactionalId = this.producers.get(event.process);
      if (transactionalId !== undefined) this.onProducer(event, transactionalId, session, open, ending);
    }
    this.markerCount = markers;
  }

  /** The model of a history with a transactional producer; null for one without. */
  static of(state: CheckerState): TransactionModel | null {
    const header = state.history.header;
    const transactional = Object.values(header.clients).some((client) => client.role === "producer" && typeof client.config["transactional.id"] === "string");
    return transactional ? new TransactionModel(state) : null;
  }

  /** Every record every poll returned, with its partition id and send id (-1: no send wrote it), in history order. */
  forEachRead(visit: (poll: ReaderPoll, record: ReadRecord, partitionId: number, sendId: number) => void): void {
    const state = this.state;
    for (const poll of this.polls) {
      const records = (state.history.events[poll.index]?.value as PollValue | undefined)?.records ?? [];
      for (const record of records) visit(poll, record, state.partitionId(record.topic, record.partition), state.sendIdOf(record.value));
    }
  }

  transactionOf(sendId: number): Transaction | null {
    const number = sendId >= 0 ? (this.transactionOfSend[sendId] ?? -1) : -1;
    return number >= 0 ? (this.transactions[number] ?? null) : null;
  }

  private onProducer(event: HistoryEvent, transactionalId: string, session: Map<string, ProducerSession>, open: Map<string, Transaction>, ending: Map<number, Transaction>): void {
    const process = event.process;
    const index = event.index;
    switch (event.f) {
      case "txn-init":
        if (event.type === "invoke") {
          const previous = session.get(process);
          if (previous !== undefined && previous.end < 0) previous.end = index;
          const started: ProducerSession = { process, transactionalId, initInvoke: index, initOk: -1, producerId: null, epoch: null, end: -1, fencedBy: -1 };
          this.sessions.push(started);
          session.set(process, started);
        } else if (event.type === "ok") {
          const current = session.get(process);
          if (current === undefined) return;
          const value = event.value as TransactionInitValue | undefined;
          current.initOk = index;
          current.producerId = value?.producerId ?? null;
          current.epoch = value?.epoch ?? null;
          this.fenceEarlierSessions(current);
        }
        return;
      case "txn-begin":
        if (event.type === "ok") {
          const transaction: Transaction = {
            number: this.transactions.length,
            process,
            transactionalId,
            session: session.get(process) ?? null,
            begin: index,
            sends: [],
            endKind: null,
            endInvoke: -1,
            endCompletion: -1,
            endType: null,
            crashed: -1,
          };
          this.transactions.push(transaction);
          open.set(process, transaction);
        }
        return;
      case "send": {
        const transaction = open.get(process);
        const id = this.state.pairing.sendOf[index] ?? -1;
        if (event.type !== "invoke" || transaction === undefined || id < 0) return;
        transaction.sends.push(id);
        this.transactionOfSend[id] = transaction.number;
        return;
      }
      case "txn-commit":
      case "txn-abort": {
        if (event.type === "invoke") {
          const transaction = open.get(process);
          if (transaction === undefined) return;
          open.delete(process);
          transaction.endKind = event.f === "txn-commit" ? "commit" : "abort";
          transaction.endInvoke = index;
          ending.set(index, transaction);
          return;
        }
        const invoke = this.state.pairing.invokeOf[index] ?? -1;
        const transaction = ending.get(invoke);
        if (transaction === undefined) return;
        ending.delete(invoke);
        transaction.endCompletion = index;
        transaction.endType = event.type;
        return;
      }
      default:
        return;
    }
  }

  /**
   * A session's txn-init ok fences every live session of the same transactional id whose own init
   * completed earlier (with both epochs known for one producer id: only a lower epoch is fenced).
   */
  private fenceEarlierSessions(current: ProducerSession): void {
    for (const other of this.sessions) {
      if (other === current || other.transactionalId !== current.transactionalId || other.initOk < 0 || other.initOk > current.initOk || other.fencedBy >= 0) continue;
      if (other.end >= 0 && other.end < current.initOk) continue;
      if (other.producerId !== null && other.producerId === current.producerId && other.epoch !== null && current.epoch !== null && other.epoch >= current.epoch) continue;
      other.fencedBy = current.initOk;
    }
  }

  /** A crash of a transactional producer ends its session and its open transaction (its end never completes). */
  private onNemesis(event: HistoryEvent, session: Map<string, ProducerSession>, open: Map<string, Transaction>, ending: Map<number, Transaction>): void {
    if (event.type === "invoke" || !crashFaults.has(event.f)) return;
    const invoke = this.state.pairing.invokeOf[event.index] ?? -1;
    const value = (event.value as NemesisValue | undefined)?.nodes ?? (invoke >= 0 ? (this.state.history.events[invoke]?.value as NemesisValue | undefined)?.nodes : undefined) ?? [];
    for (const node of value) {
      if (!this.producers.has(node)) continue;
      const current = session.get(node);
      if (current !== undefined && current.end < 0) current.end = event.index;
      const transaction = open.get(node);
      if (transaction !== undefined) transaction.crashed = event.index;
      open.delete(node);
      for (const [endInvoke, pending] of ending) {
        if (pending.process !== node) continue;
        pending.crashed = event.index;
        ending.delete(endInvoke);
      }
    }
  }
}
