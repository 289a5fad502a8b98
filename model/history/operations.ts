/**
 * Relations between events: every completion belongs to one earlier invocation of the same process
 * (a send's completion to the open send with the same payload, since a producer may pipeline several
 * sends; other operations first-in first-out), each send payload is unique, and no process's clock
 * goes backwards. Violations are bad input, reported with the line and field, never anomalies.
 */
import type { History, HistoryEvent, SendValue } from "./event.js";
import { HistoryFormatError, lineOfEvent } from "./format-error.js";
import { finalReaderProcess, nemesisProcess, observerProcess } from "./shape.js";

export interface Pairing {
  /** For a completion: the index of its invocation; -1 for invocations and lone nemesis/observer events. */
  readonly invokeOf: Int32Array;
  /** For an invocation: the index of its completion; -1 while still open at the end of the history. */
  readonly completionOf: Int32Array;
  /** Every send invocation's index by its (unique) payload. */
  readonly invokeByPayload: ReadonlyMap<string, number>;
}

interface ProcessState {
  lastTime: number;
  readonly client: boolean;
  /** Open sends by payload; a Map keeps insertion order, so the first key is the oldest. */
  readonly openSends: Map<string, number>;
  /** Open non-send invocations by f, oldest first. */
  readonly openOther: Map<string, number[]>;
}

const cache = new WeakMap<History, Pairing>();

function payloadOf(event: HistoryEvent): string | undefined {
  const value = event.value as Partial<SendValue> | undefined;
  return typeof value?.value === "string" ? value.value : undefined;
}

/** Validates the relations between events and returns the pairing; cached per history object. */
export function pairOperations(history: History, file: string): Pairing {
  const cached = cache.get(history);
  if (cached !== undefined) return cached;
  const events = history.events;
  const invokeOf = new Int32Array(events.length).fill(-1);
  const completionOf = new Int32Array(events.length).fill(-1);
  const processes = new Map<string, ProcessState>();
  const sentPayloads = new Map<string, number>();
  const bad = (index: number, field: string, problem: string): never => {
    throw new HistoryFormatError(file, lineOfEvent(index), field, problem);
  };

  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (event === undefined) return bad(index, "line", "missing event");
    if (event.index !== index) bad(index, "index", `expected ${index}, got ${event.index}`);
    const process = event.process;
    let state = processes.get(process);
    if (state === undefined) {
      const known = process === nemesisProcess || process === observerProcess || process === finalReaderProcess;
      if (!known && history.header.clients[process] === undefined) {
        bad(index, "process", `process '${process}' is not described in the header's clients (nor is it nemesis, observer or final-reader)`);
      }
      state = { lastTime: event.time, client: process !== nemesisProcess && process !== observerProcess, openSends: new Map(), openOther: new Map() };
      processes.set(process, state);
    }
    if (event.time < state.lastTime) {
      bad(index, "time", `time ${event.time} goes backwards for process '${process}' (its previous event was at ${state.lastTime})`);
    }
    state.lastTime = event.time;
    if (process === observerProcess) continue;

    if (event.type === "invoke") {
      if (event.f === "send" && state.client) {
        const payload = payloadOf(event);
        if (payload === undefined) return bad(index, "value.value", "a send invocation needs its payload");
        const earlier = sentPayloads.get(payload);
        if (earlier !== undefined) {
          bad(index, "value.value", `payload '${payload}' was already sent on line ${lineOfEvent(earlier)}; every send needs a unique value`);
        }
        sentPayloads.set(payload, index);
        state.openSends.set(payload, index);
      } else {
        const queue = state.openOther.get(event.f);
        if (queue === undefined) state.openOther.set(event.f, [index]);
        else queue.push(index);
      }
      continue;
    }

    // A completion: find its invocation.
    let invoke = -1;
    if (event.f === "send" && state.client) {
      const payload = payloadOf(event);
      if (payload !== undefined) {
        invoke = state.openSends.get(payload) ?? -1;
        if (invoke < 0) bad(index, "value.value", `no open send of payload '${payload}' by process '${process}' to complete`);
        state.openSends.delete(payload);
      } else {
        const oldest = state.openSends.entries().next();
        if (oldest.done === true) return bad(index, "type", `a send completion without an open send invocation by '${process}'`);
        invoke = oldest.value[1];
        state.openSends.delete(oldest.value[0]);
      }
      const invoked = events[invoke];
      const invokedValue = invoked?.value as SendValue | undefined;
      const completedValue = event.value as Partial<SendValue> | undefined;
      if (completedValue?.topic !== undefined && invokedValue !== undefined && completedValue.topic !== invokedValue.topic) {
        bad(index, "value.topic", `completion names topic '${completedValue.topic}' but the send was invoked for '${invokedValue.topic}'`);
      }
      if (
        invokedValue?.partition !== undefined &&
        completedValue?.partition !== undefined &&
        completedValue.partition !== invokedValue.partition
      ) {
        bad(index, "value.partition", `acknowledged partition ${completedValue.partition} differs from the explicit partition ${invokedValue.partition} of the invocation`);
      }
    } else {
      const queue = state.openOther.get(event.f);
      const head = queue?.shift();
      if (head === undefined) {
        // Nemeses may log a fault as a lone completion; a client may not.
        if (process === nemesisProcess) continue;
        bad(index, "type", `'${event.type}' of '${event.f}' by '${process}' completes no open invocation`);
      } else {
        invoke = head;
      }
    }
    invokeOf[index] = invoke;
    completionOf[invoke] = index;
  }
  const pairing: Pairing = { invokeOf, completionOf, invokeByPayload: sentPayloads };
  cache.set(history, pairing);
  return pairing;
}
