/**
 * Relations between events: every completion belongs to one earlier invocation of the same process
 * (a send's completion to the open send with the same payload, since a producer may pipeline several
 * sends; a commit's to the open commit with the same value, since asynchronous commits complete in any
 * order; other operations first-in first-out), each send payload is unique, and no process's clock
 * goes backwards. Lone events: nemesis completions, the rebalance listener's `assigned` / `revoked` /
 * `lost`, and automatic commits reported only on completion. A nemesis crash naming a client (a group
 * consumer's kill) abandons that client's open non-send operations: they never complete. Violations are bad input, reported with the line and field, never anomalies.
 *
 * The pairer takes events one at a time so the reader can pair while it parses (one pass over a file,
 * while each event is still in the processor's cache); `pairOperations` runs it over a whole history.
 */
import type { CommitValue, History, HistoryEvent, HistoryHeader, NemesisValue, SendValue } from "./event.js";
import { HistoryFormatError, lineOfEvent } from "./format-error.js";
import { PayloadIndex } from "./payload-index.js";
import { finalCommittedReaderProcess, finalReaderProcess, nemesisProcess, observerProcess } from "./shape.js";
import { rebalanceFunctions } from "./group-shape.js";

/** Faults that kill a client named in their nodes (its open operations never complete). */
const crashFaults: ReadonlySet<string> = new Set(["kill", "power-loss", "stop"]);

export interface Pairing {
  /** For a completion: the index of its invocation; -1 for invocations and lone nemesis/observer events. */
  readonly invokeOf: Int32Array;
  /**
   * Send numbers: client send invocations numbered 0, 1, ... in history order. For a send invocation
   * and for its completion, the send's number; -1 for every other event. (The checker's send ids.)
   */
  readonly sendOf: Int32Array;
  /** Every send's number by its (unique) payload; `payloads` lists them by send number. */
  readonly sendByPayload: PayloadIndex;
  /** Each send's invocation index, by send number. */
  readonly invokeOfSend: Int32Array;
}

interface ProcessState {
  lastTime: number;
  readonly client: boolean;
  /** Distinguishes processes in the per-send rows. */
  readonly number: number;
  /**
   * This process's sends (numbers), oldest first, from `sendsHead` on. A send completed by payload
   * stays in place and is skipped when the head reaches it, so a completion costs one hash lookup
   * (in the payload map every send enters anyway) instead of a per-process map of open sends.
   */
  sends: number[];
  sendsHead: number;
  /** Open non-send invocations by f, oldest first. */
  readonly openOther: Map<string, number[]>;
  /** A producer with transactional.id (its sends must sit inside a transaction). */
  readonly transactional: boolean;
  /** Transactions: -1 none open; else the index of the open transaction's txn-begin ok. */
  openTransaction: number;
}

/** Below this many passed entries a send queue is not worth compacting. */
const compactionThreshold = 4096;

/**
 * What a completion needs to know about its send, kept per send number in one Int32Array row so
 * that completing a send invoked long ago touches one cache line rather than the invocation event.
 */
const rowFields = 5;
const invokeIndexField = 0;
const processField = 1;
const topicField = 2;
/** The explicit partition of the invocation, -1 when the client left the choice to the partitioner. */
const explicitPartitionField = 3;
const completedField = 4;

const cache = new WeakMap<History, Pairing>();

function payloadOf(event: HistoryEvent): string | undefined {
  const value = event.value as Partial<SendValue> | undefined;
  return typeof value?.value === "string" ? value.value : undefined;
}

function growInt32(array: Int32Array, minimum: number): Int32Array {
  let capacity = Math.max(array.length, 1024);
  while (capacity < minimum) capacity *= 2;
  const grown = new Int32Array(capacity).fill(-1);
  grown.set(array);
  return grown;
}

/** A view of the used part (no copy: copying would allocate again what the history already paid for). */
function fitInt32(array: Int32Array, length: number): Int32Array {
  return array.length === length ? array : array.subarray(0, length);
}

/**
 * Pairs the events of one history in order. `add` returns false once the history is found bad; the
 * first problem is kept in `failure` (the caller decides when to throw it: the reader reports shape
 * errors of later lines first, as validating every shape before pairing would).
 */
export class OperationPairer {
  private invokeOf: Int32Array;
  private sendOf: Int32Array;
  private count = 0;
  private readonly processes = new Map<string, ProcessState>();
  private readonly sentPayloads: PayloadIndex;
  /** Per send number: see rowFields. */
  private sendRows: Int32Array;
  private sends = 0;
  /** Topic names numbered on first sight, so a row compares topics as integers. */
  private readonly topicNumbers = new Map<string, number>();
  /** The previous event's process: consecutive events often share one, which saves a hash lookup. */
  private lastProcess = "";
  private lastState: ProcessState | undefined;
  failure: HistoryFormatError | null = null;

  constructor(
    private readonly header: HistoryHeader,
    /** The history's events so far; the pairer reads earlier invocations from it. */
    private readonly events: readonly HistoryEvent[],
    private readonly file: string,
    expectedEvents = 0,
  ) {
    this.invokeOf = new Int32Array(expectedEvents).fill(-1);
    this.sendOf = new Int32Array(expectedEvents).fill(-1);
    // Sends are about half of the events in practice; the rows and the index grow if there are more.
    this.sendRows = new Int32Array(Math.ceil(expectedEvents / 2) * rowFields);
    this.sentPayloads = new PayloadIndex(Math.ceil(expectedEvents / 2));
  }

  private topicNumber(topic: string): number {
    let number = this.topicNumbers.get(topic);
    if (number === undefined) {
      number = this.topicNumbers.size;
      this.topicNumbers.set(topic, number);
    }
    return number;
  }

  private fail(index: number, field: string, problem: string): false {
    this.failure = new HistoryFormatError(this.file, lineOfEvent(index), field, problem);
    return false;
  }

  private stateOf(event: HistoryEvent, index: number): ProcessState | undefined {
    const process = event.process;
    if (process === this.lastProcess && this.lastState !== undefined) return this.lastState;
    let state = this.processes.get(process);
    if (state === undefined) {
      const known = process === nemesisProcess || process === observerProcess || process === finalReaderProcess || process === finalCommittedReaderProcess;
      if (!known && this.header.clients[process] === undefined) {
        this.fail(index, "process", `process '${process}' is not described in the header's clients (nor is it nemesis, observer or final-reader)`);
        return undefined;
      }
      state = {
        lastTime: event.time,
        client: process !== nemesisProcess && process !== observerProcess,
        number: this.processes.size,
        sends: [],
        sendsHead: 0,
        openOther: new Map(),
        transactional: typeof this.header.clients[process]?.config["transactional.id"] === "string",
        openTransaction: -1,
      };
      this.processes.set(process, state);
    }
    this.lastProcess = process;
    this.lastState = state;
    return state;
  }

  /** Skips the completed sends at the head of a process's queue; compacts the queue now and then. */
  private advanceSends(state: ProcessState): void {
    const sends = state.sends;
    const rows = this.sendRows;
    let head = state.sendsHead;
    while (head < sends.length && rows[(sends[head] as number) * rowFields + completedField] === 1) head++;
    if (head > compactionThreshold && head * 2 > sends.length) {
      state.sends = sends.slice(head);
      head = 0;
    }
    state.sendsHead = head;
  }

  /** Pairs the next event (its index must be the number of events added so far). */
  add(event: HistoryEvent): boolean {
    if (this.failure !== null) return false;
    const index = this.count;
    if (event.index !== index) return this.fail(index, "index", `expected ${index}, got ${event.index}`);
    if (index >= this.invokeOf.length) {
      this.invokeOf = growInt32(this.invokeOf, index + 1);
      this.sendOf = growInt32(this.sendOf, index + 1);
    }
    this.count++;
    const state = this.stateOf(event, index);
    if (state === undefined) return false;
    if (event.time < state.lastTime) {
      return this.fail(index, "time", `time ${event.time} goes backwards for process '${event.process}' (its previous event was at ${state.lastTime})`);
    }
    state.lastTime = event.time;
    if (event.process === observerProcess) return true;
    const send = event.f === "send" && state.client;
    if (state.transactional && !this.transactionOrder(event, index, state, send)) return false;
    if (event.type === "invoke") return send ? this.invokeSend(event, index, state) : this.invokeOther(event, index, state);
    if (send) return this.completeSend(event, index, state);
    if (!this.completeOther(event, index, state)) return false;
    if (event.process === nemesisProcess && crashFaults.has(event.f)) this.abandonOpenOperations(event, index);
    return true;
  }

  /**
   * A transactional producer's sends sit between a txn-begin ok and the next txn-commit/txn-abort
   * invocation (they belong to that transaction); a begin needs none open, an end needs one open.
   */
  private transactionOrder(event: HistoryEvent, index: number, state: ProcessState, send: boolean): boolean {
    const f = event.f;
    if (send) {
      if (event.type === "invoke" && state.openTransaction < 0) return this.fail(index, "f", `a send of transactional producer '${event.process}' outside a transaction (between a txn-begin ok and its txn-commit or txn-abort invocation)`);
      return true;
    }
    if (f === "txn-begin") {
      if (event.type === "invoke" && state.openTransaction >= 0) return this.fail(index, "f", `txn-begin by '${event.process}' while the transaction begun on line ${lineOfEvent(state.openTransaction)} is open`);
      if (event.type === "ok") state.openTransaction = index;
      return true;
    }
    if ((f === "txn-commit" || f === "txn-abort") && event.type === "invoke") {
      if (state.openTransaction < 0) return this.fail(index, "f", `${f} by '${event.process}' with no transaction open (no txn-begin ok before it)`);
      state.openTransaction = -1;
    }
    return true;
  }

  /**
   * A crash of a client (a group consumer killed by the nemesis) ends its open operations: they never
   * complete, and the restarted client's next completion must not close an invocation of the dead one.
   */
  private abandonOpenOperations(event: HistoryEvent, index: number): void {
    const invoke = this.invokeOf[index] as number;
    const nodes = (event.value as NemesisValue | undefined)?.nodes ?? (invoke >= 0 ? (this.events[invoke]?.value as NemesisValue | undefined)?.nodes : undefined) ?? [];
    for (const node of nodes) {
      const crashed = this.processes.get(node);
      if (crashed !== undefined && crashed.client) {
        crashed.openOther.clear();
        // A crashed producer's transaction never ends (it can never have committed); its next session begins anew.
        crashed.openTransaction = -1;
      }
    }
  }

  /** A send invocation: a new send number, its row, and its payload in the index (payloads are unique). */
  private invokeSend(event: HistoryEvent, index: number, state: ProcessState): boolean {
    const payload = payloadOf(event);
    if (payload === undefined) return this.fail(index, "value.value", "a send invocation needs its payload");
    const send = this.sends;
    const earlierSend = this.sentPayloads.add(payload);
    if (earlierSend >= 0) {
      const earlier = this.sendRows[earlierSend * rowFields + invokeIndexField] as number;
      return this.fail(index, "value.value", `payload '${payload}' was already sent on line ${lineOfEvent(earlier)}; every send needs a unique value`);
    }
    this.sends++;
    if ((send + 1) * rowFields > this.sendRows.length) this.sendRows = growInt32(this.sendRows, (send + 1) * rowFields);
    const value = event.value as SendValue;
    const row = send * rowFields;
    const rows = this.sendRows;
    rows[row + invokeIndexField] = index;
    rows[row + processField] = state.number;
    rows[row + topicField] = this.topicNumber(value.topic);
    rows[row + explicitPartitionField] = value.partition ?? -1;
    rows[row + completedField] = 0;
    this.sendOf[index] = send;
    state.sends.push(send);
    return true;
  }

  /** Any other invocation: queued per function, first in, first out. */
  private invokeOther(event: HistoryEvent, index: number, state: ProcessState): boolean {
    const queue = state.openOther.get(event.f);
    if (queue === undefined) state.openOther.set(event.f, [index]);
    else queue.push(index);
    return true;
  }

  /** A send completion pairs by payload (pipelined sends complete in any order), else with the oldest open send. */
  private completeSend(event: HistoryEvent, index: number, state: ProcessState): boolean {
    const rows = this.sendRows;
    const payload = payloadOf(event);
    let send: number;
    if (payload !== undefined) {
      // Acks mostly come back in send order, and the head of the queue is the oldest open send
      // (every completion advances it): comparing its payload spares a lookup in the table of all.
      const oldest = state.sendsHead < state.sends.length ? (state.sends[state.sendsHead] as number) : -1;
      const candidate = oldest >= 0 && this.sentPayloads.payloads[oldest] === payload ? oldest : this.sentPayloads.get(payload);
      if (candidate < 0 || rows[candidate * rowFields + completedField] === 1 || rows[candidate * rowFields + processField] !== state.number) {
        return this.fail(index, "value.value", `no open send of payload '${payload}' by process '${event.process}' to complete`);
      }
      send = candidate;
    } else {
      this.advanceSends(state);
      if (state.sendsHead >= state.sends.length) return this.fail(index, "type", `a send completion without an open send invocation by '${event.process}'`);
      send = state.sends[state.sendsHead] as number;
    }
    const row = send * rowFields;
    const invoke = rows[row + invokeIndexField] as number;
    const completedValue = event.value as Partial<SendValue> | undefined;
    if (completedValue?.topic !== undefined && this.topicNumber(completedValue.topic) !== rows[row + topicField]) {
      const invokedTopic = (this.events[invoke]?.value as SendValue).topic;
      return this.fail(index, "value.topic", `completion names topic '${completedValue.topic}' but the send was invoked for '${invokedTopic}'`);
    }
    const explicitPartition = rows[row + explicitPartitionField] as number;
    if (explicitPartition >= 0 && completedValue?.partition !== undefined && completedValue.partition !== explicitPartition) {
      return this.fail(index, "value.partition", `acknowledged partition ${completedValue.partition} differs from the explicit partition ${explicitPartition} of the invocation`);
    }
    rows[row + completedField] = 1;
    this.invokeOf[index] = invoke;
    this.sendOf[index] = send;
    this.advanceSends(state);
    return true;
  }

  /** Any other completion closes the oldest open invocation of the same function by the same process. */
  private completeOther(event: HistoryEvent, index: number, state: ProcessState): boolean {
    // The rebalance listener's calls are lone observations of the member (shape.ts: type info).
    if (rebalanceFunctions.has(event.f)) return true;
    if (event.f === "commit" && event.value !== undefined) return this.completeCommit(event, index, state);
    const head = state.openOther.get(event.f)?.shift();
    if (head === undefined) {
      // Nemeses may log a fault as a lone completion; a client may not.
      if (event.process === nemesisProcess) return true;
      return this.fail(index, "type", `'${event.type}' of '${event.f}' by '${event.process}' completes no open invocation`);
    }
    this.invokeOf[index] = head;
    return true;
  }

  /**
   * A commit completion carrying its value closes the oldest open commit of the same value (the shape
   * rules checked both values); an automatic commit with no open invocation is a lone completion.
   */
  private completeCommit(event: HistoryEvent, index: number, state: ProcessState): boolean {
    const value = event.value as CommitValue;
    const key = commitKey(value);
    const queue = state.openOther.get("commit");
    if (queue !== undefined) {
      for (let position = 0; position < queue.length; position++) {
        const invoke = queue[position] as number;
        if (commitKey(this.events[invoke]?.value as CommitValue) !== key) continue;
        queue.splice(position, 1);
        this.invokeOf[index] = invoke;
        return true;
      }
    }
    if (value.mode === "auto") return true;
    const open = queue === undefined || queue.length === 0 ? "no commit is open" : `the open commits (lines ${queue.map(lineOfEvent).join(", ")}) carry other values`;
    return this.fail(index, "value", `'${event.type}' of 'commit' by '${event.process}' completes no open commit of these offsets: ${open} (a completion carries its invocation's value; only an automatic commit may be a lone completion)`);
  }

  /** The pairing of every event added; only for a history found good. */
  finish(): Pairing {
    if (this.failure !== null) throw this.failure;
    const count = this.count;
    const invokeOfSend = new Int32Array(this.sends);
    for (let send = 0; send < this.sends; send++) invokeOfSend[send] = this.sendRows[send * rowFields + invokeIndexField] as number;
    return {
      invokeOf: fitInt32(this.invokeOf, count),
      sendOf: fitInt32(this.sendOf, count),
      sendByPayload: this.sentPayloads,
      invokeOfSend,
    };
  }
}

/** A commit's identity for pairing: who committed what, under which generation. */
function commitKey(value: CommitValue): string {
  let key = `${value.mode}\u0000${value.group}\u0000${value.generation}\u0000${value.member}`;
  for (const entry of value.offsets) key += `\u0000${entry.topic}\u0001${entry.partition}\u0001${entry.offset}`;
  return key;
}

/** Remembers a pairing computed while reading, so checkHistory does not pair the history again. */
export function rememberPairing(history: History, pairing: Pairing): void {
  cache.set(history, pairing);
}

/** Validates the relations between events and returns the pairing; cached per history object. */
export function pairOperations(history: History, file: string): Pairing {
  const cached = cache.get(history);
  if (cached !== undefined) return cached;
  const events = history.events;
  const pairer = new OperationPairer(history.header, events, file, events.length);
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (event === undefined) throw new HistoryFormatError(file, lineOfEvent(index), "line", "missing event");
    if (!pairer.add(event)) break;
  }
  const pairing = pairer.finish();
  cache.set(history, pairing);
  return pairing;
}
