/**
 * Fault episodes as fast-check arbitraries: a fault, and the steps that undo it (restart, resume, heal)
 * after a duration. Episodes are drawn as elements of the workload's own operation list (workload.ts),
 * so a fault keeps its place between the same sends when shrinking removes other operations, and
 * removing a fault is one shrink step like removing a send.
 *
 * Indices (broker, client, partition) are drawn as plain naturals and reduced modulo the real counts
 * when the scenario is built, so every combination shrinks independently.
 */
import fc from "fast-check";
import type { Fault, FaultKind } from "../fault.js";
import { intensityBounds } from "./intensity.js";

export type EpisodeShape =
  | { readonly kind: "kill" | "power-loss" | "stop" | "pause" | "isolate"; readonly broker: number }
  | { readonly kind: "kill-leader" | "isolate-leader"; readonly partition: number }
  | { readonly kind: "split"; readonly broker: number }
  | { readonly kind: "one-way"; readonly broker: number; readonly towardClient: boolean; readonly client: number; readonly inbound: boolean }
  | { readonly kind: "bridge"; readonly broker: number }
  | { readonly kind: "cut-client"; readonly broker: number; readonly client: number }
  /** Group episodes: crash a group consumer (restarted after the episode), freeze it (a zombie), kill its group's coordinator. */
  | { readonly kind: "kill-consumer" | "pause-consumer"; readonly consumer: number }
  | { readonly kind: "kill-coordinator"; readonly group: number };

/** Episode kinds about consumer groups; drawn only when the scenario has group consumers. */
export type GroupEpisodeKind = "kill-consumer" | "pause-consumer" | "kill-coordinator";

export const groupEpisodeKinds: readonly GroupEpisodeKind[] = ["kill-consumer", "pause-consumer", "kill-coordinator"];

/** The fault kinds a target must support for a group episode to be drawn. */
export const faultKindsOfGroupEpisode: Readonly<Record<GroupEpisodeKind, readonly FaultKind[]>> = {
  "kill-consumer": ["kill", "restart"],
  "pause-consumer": ["pause", "resume"],
  "kill-coordinator": ["kill-coordinator", "restart"],
};

export interface FaultEpisode {
  readonly durationMs: number;
  readonly shape: EpisodeShape;
}

/** Every fault kind an episode can start; the undo steps (restart, resume, heal) come with them. */
export const episodeKinds: readonly FaultKind[] = [
  "kill",
  "power-loss",
  "stop",
  "pause",
  "isolate",
  "kill-leader",
  "isolate-leader",
  "split",
  "one-way",
  "bridge",
  "cut-client",
];

/** What a schedule needs from a target: the fault kinds it may use besides the episode's own. */
export const undoKinds: readonly FaultKind[] = ["restart", "resume", "heal"];

function shapeArbitrary(kind: FaultKind | GroupEpisodeKind): fc.Arbitrary<EpisodeShape> | null {
  const node = fc.nat({ max: 8 });
  switch (kind) {
    case "kill-consumer":
    case "pause-consumer":
      return fc.record({ kind: fc.constant(kind), consumer: fc.nat({ max: 31 }) });
    case "kill-coordinator":
      return fc.record({ kind: fc.constant(kind), group: fc.nat({ max: 3 }) });
    case "kill":
    case "power-loss":
    case "stop":
    case "pause":
    case "isolate":
      return fc.record({ kind: fc.constant(kind), broker: node });
    case "kill-leader":
    case "isolate-leader":
      return fc.record({ kind: fc.constant(kind), partition: fc.nat({ max: 63 }) });
    case "split":
      return fc.record({ kind: fc.constant(kind), broker: node });
    case "one-way":
      return fc.record({ kind: fc.constant(kind), broker: node, towardClient: fc.boolean(), client: fc.nat({ max: 31 }), inbound: fc.boolean() });
    case "bridge":
      return fc.record({ kind: fc.constant(kind), broker: node });
    case "cut-client":
      return fc.record({ kind: fc.constant(kind), broker: node, client: fc.nat({ max: 31 }) });
    default:
      return null;
  }
}

export interface FaultScheduleOptions {
  readonly intensity: number;
  /** Kinds episodes may start with; undo kinds are implied. Default: every episode kind but power-loss. */
  readonly kinds?: readonly FaultKind[];
  /** Group episode kinds, for scenarios with group consumers (none by default). */
  readonly groupKinds?: readonly GroupEpisodeKind[];
}

export const defaultEpisodeKinds: readonly FaultKind[] = episodeKinds.filter((kind) => kind !== "power-loss");

/** One episode, or null when the intensity is 0 or no kind is allowed. */
export function episodeArbitrary(options: FaultScheduleOptions): fc.Arbitrary<FaultEpisode> | null {
  const bounds = intensityBounds(options.intensity);
  const kinds = (options.kinds ?? defaultEpisodeKinds).filter((kind) => episodeKinds.includes(kind));
  const shapes = [...kinds, ...(options.groupKinds ?? [])].map(shapeArbitrary).filter((shape): shape is fc.Arbitrary<EpisodeShape> => shape !== null);
  if (bounds.maxEpisodes === 0 || shapes.length === 0) return null;
  return fc.record({
    durationMs: fc.integer({ min: bounds.minDurationMs, max: bounds.maxDurationMs }),
    shape: fc.oneof(...shapes),
  });
}

export interface EpisodeContext {
  readonly brokers: number;
  readonly partitions: number;
  readonly topic: string;
  readonly clients: readonly string[];
  /** Whether one client's link may be cut alone (a one-way fault toward a client); see Target.singleClientLinks. */
  readonly singleClientLinks: boolean;
  /** Group consumers (which kill-consumer and pause-consumer name) and their groups (kill-coordinator). */
  readonly groupConsumers?: readonly string[];
  readonly groups?: readonly string[];
}

function brokerName(index: number, context: EpisodeContext): string {
  return `broker-${(index % context.brokers) + 1}`;
}

/** The fault that starts an episode and the ones that end it, with names resolved for this cluster. */
export function episodeFaults(shape: EpisodeShape, context: EpisodeContext): { start: Fault; end: Fault[] } | null {
  const brokers = Array.from({ length: context.brokers }, (_, index) => `broker-${index + 1}`);
  switch (shape.kind) {
    case "kill":
    case "power-loss":
    case "stop": {
      const node = brokerName(shape.broker, context);
      return { start: { kind: shape.kind, node }, end: [{ kind: "restart", node }] };
    }
    case "pause": {
      const node = brokerName(shape.broker, context);
      return { start: { kind: "pause", node }, end: [{ kind: "resume", node }] };
    }
    case "isolate":
      return { start: { kind: "isolate", node: brokerName(shape.broker, context) }, end: [{ kind: "heal" }] };
    case "kill-leader":
      // The victim is only known when the fault runs, so the episode ends by restarting every broker:
      // restarting a running broker has no effect (the history says so).
      return {
        start: { kind: "kill-leader", topic: context.topic, partition: shape.partition % context.partitions },
        end: brokers.map((node): Fault => ({ kind: "restart", node })),
      };
    case "isolate-leader":
      return { start: { kind: "isolate-leader", topic: context.topic, partition: shape.partition % context.partitions }, end: [{ kind: "heal" }] };
    case "split": {
      if (context.brokers < 2) return null;
      return { start: { kind: "split", minority: [brokerName(shape.broker, context)] }, end: [{ kind: "heal" }] };
    }
    case "one-way": {
      const node = brokerName(shape.broker, context);
      const client = context.clients[shape.client % Math.max(1, context.clients.length)];
      const others = shape.towardClient && client !== undefined && context.singleClientLinks ? [client] : brokers.filter((broker) => broker !== node);
      if (others.length === 0) return null;
      const start: Fault = shape.inbound ? { kind: "one-way", from: others, to: [node] } : { kind: "one-way", from: [node], to: others };
      return { start, end: [{ kind: "heal" }] };
    }
    case "bridge": {
      if (context.brokers < 3) return null;
      const bridge = brokerName(shape.broker, context);
      const rest = brokers.filter((broker) => broker !== bridge);
      const half = Math.ceil(rest.length / 2);
      return { start: { kind: "bridge", bridge, left: rest.slice(0, half), right: rest.slice(half) }, end: [{ kind: "heal" }] };
    }
    case "cut-client": {
      const client = context.clients[shape.client % Math.max(1, context.clients.length)];
      if (client === undefined) return null;
      return { start: { kind: "cut-client", client, node: brokerName(shape.broker, context) }, end: [{ kind: "heal" }] };
    }
    case "kill-consumer":
    case "pause-consumer": {
      const consumers = context.groupConsumers ?? [];
      const node = consumers[shape.consumer % Math.max(1, consumers.length)];
      if (node === undefined) return null;
      return shape.kind === "kill-consumer" ? { start: { kind: "kill", node }, end: [{ kind: "restart", node }] } : { start: { kind: "pause", node }, end: [{ kind: "resume", node }] };
    }
    case "kill-coordinator": {
      const groups = context.groups ?? [];
      const group = groups[shape.group % Math.max(1, groups.length)];
      if (group === undefined) return null;
      // As with kill-leader, the victim is known only when the fault runs: every broker is restarted after.
      return { start: { kind: "kill-coordinator", group }, end: brokers.map((node): Fault => ({ kind: "restart", node })) };
    }
  }
}
