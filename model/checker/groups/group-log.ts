/**
 * What the one pass over the events keeps for the consumer-group rules (C1-C8): per group consumer,
 * the indexes of its group events (subscribe, rebalance calls, polls, processing, commits, close) and
 * of the nemesis events that crashed it, and the coordinator's observations. The events stay in the
 * history; the judges read them back by index once the pass is over (groups/group-model.ts). Exists
 * only when the header has a group consumer, so producer-only histories pay nothing.
 */
import type { CommitMode, HistoryEvent, HistoryHeader, NemesisValue } from "../../history/event.js";
import { effectiveConsumer } from "../../config/effective.js";

/** A group consumer as its header entry describes it. */
export interface MemberProfile {
  readonly process: string;
  readonly group: string;
  readonly commitMode: CommitMode;
  readonly autoOffsetReset: string;
  /** Cooperative rebalancing (KIP-429): only when every configured assignor is cooperative-sticky. */
  readonly cooperative: boolean;
  /** group.instance.id: a static member keeps its identity across restarts. */
  readonly instance: string | null;
  /**
   * The classic group protocol (generations per group). KIP-848's `group.protocol=consumer` fences by
   * each member's own epoch: its generations are not compared across members (C1, stale commits).
   */
  readonly classic: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Its group events and the nemesis events that crashed it, in history order. */
  readonly events: number[];
}

/** Nemesis faults that end a consumer's session (it records nothing until restarted). */
export const crashFaults: ReadonlySet<string> = new Set(["kill", "power-loss", "stop"]);

/**
 * Java's protocol choice: the rebalance protocol is the highest one every configured assignor supports,
 * so the default "range, cooperative-sticky" list rebalances eagerly.
 */
function isCooperative(strategies: string): boolean {
  const names = strategies.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name.length > 0);
  return names.length > 0 && names.every((name) => name.includes("cooperativesticky") || name.includes("cooperative-sticky"));
}

function numberOf(value: unknown, fallback: number): number {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : fallback;
}

export class GroupLog {
  readonly members = new Map<string, MemberProfile>();
  /** Observer `group-generation` and `offset-committed` event indexes, in history order. */
  readonly generations: number[] = [];
  readonly stored: number[] = [];

  private constructor(header: HistoryHeader) {
    for (const [process, client] of Object.entries(header.clients)) {
      if (client.role !== "consumer" || client.commitMode === undefined) continue;
      const consumer = effectiveConsumer(client.config, `clients.${process}.config`);
      if (consumer.groupId === null) continue;
      const instance = client.config["group.instance.id"];
      this.members.set(process, {
        process,
        group: consumer.groupId,
        commitMode: client.commitMode,
        autoOffsetReset: consumer.autoOffsetReset,
        cooperative: isCooperative(String(client.config["partition.assignment.strategy"] ?? "range,cooperative-sticky")),
        instance: typeof instance === "string" ? instance : null,
        classic: client.config["group.protocol"] !== "consumer",
        sessionTimeoutMs: numberOf(client.config["session.timeout.ms"], 45_000),
        heartbeatIntervalMs: numberOf(client.config["heartbeat.interval.ms"], 3_000),
        events: [],
      });
    }
  }

  /** The log of a history with group consumers; null for one without (nothing to collect). */
  static of(header: HistoryHeader): GroupLog | null {
    const log = new GroupLog(header);
    return log.members.size === 0 ? null : log;
  }

  memberOf(process: string): MemberProfile | undefined {
    return this.members.get(process);
  }

  /** A group event of a process (ignored for processes that are not group consumers). */
  note(event: HistoryEvent): void {
    this.members.get(event.process)?.events.push(event.index);
  }

  onObserver(event: HistoryEvent): void {
    if (event.f === "group-generation") this.generations.push(event.index);
    else if (event.f === "offset-committed") this.stored.push(event.index);
  }

  /** A fault's completion (or lone event) naming a group consumer: a crash or a restart of it. */
  onNemesis(event: HistoryEvent, invoke: HistoryEvent | undefined): void {
    if (event.type === "invoke" || !(crashFaults.has(event.f) || event.f === "restart")) return;
    const nodes = (event.value as NemesisValue | undefined)?.nodes ?? (invoke?.value as NemesisValue | undefined)?.nodes ?? [];
    for (const node of nodes) this.members.get(node)?.events.push(event.index);
  }
}
