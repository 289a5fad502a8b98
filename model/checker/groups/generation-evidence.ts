/**
 * Which generations of a group the members' own views describe completely (C2 without the
 * coordinator's view). A generation's assignment is the union of what its members' `assigned` calls
 * gave them (cooperative: what they owned right after the call). Without the coordinator's member
 * list, that union is the generation's whole assignment only when no member of the generation can be
 * missing from it, so a generation is evidence only when:
 * - it is complete: every session that could be a member reported it. A session that subscribed after
 *   the generation's first report cannot be one (the generation was formed before anyone got its
 *   assignment). An earlier session that did not report it must be proven out of it:
 *   - a static member whose group.instance.id another session reported the generation under;
 *   - an eager dynamic member that owned something in an older generation and showed no sign of leaving
 *     it (no `revoked`, `lost`, or poll naming another generation) before the first report: eager
 *     members revoke everything before every JoinGroup (history/event.ts), so it sent none, and the
 *     coordinator drops a dynamic member that does not rejoin when the join phase completes;
 *   - a session that ended first: closed cleanly (LeaveGroup, no group.instance.id) before a reporter
 *     subscribed, so the join phase that reporter took part in completed without it; or a reporter's
 *     poll sent more than the leaver's session.timeout.ms plus a heartbeat after it left, with no broker
 *     fault in between, still named the generation (had the leaver been a member, its expiry would have
 *     begun a rebalance the reporter would have joined by then). A crashed member may have joined
 *     before it died, so a later subscribe proves nothing for it.
 * - it is stable while handed out: between the first and the last report no member began another
 *   rebalance (a sign of leaving, a session ending or starting, a later generation reported). Member
 *   views of different processes are ordered by the recorder's clock; a generation whose hand-out
 *   overlaps another rebalance is not one whose membership that order can settle.
 * A rebalance that begins after the last report does not change what the generation assigned: a member
 * revoking everything to rejoin, or to close at the end of the run, leaves no hole in it.
 */
import { formatTime } from "../fault-timeline.js";
import type { CheckerState } from "../state.js";
import type { GenerationReport, MemberSession } from "./group-model.js";

const millisecond = 1_000_000;

export interface Reporter {
  readonly session: MemberSession;
  readonly report: GenerationReport;
}

export type GenerationEvidence =
  | { readonly generation: number; readonly complete: true; readonly reporters: readonly Reporter[] }
  | { readonly generation: number; readonly complete: false; readonly why: string };

/** The name of a session in reasons: the process, and which session when it had several. */
function nameOf(session: MemberSession, sessions: readonly MemberSession[]): string {
  const several = sessions.some((other) => other !== session && other.profile === session.profile);
  return several ? `${session.profile.process} (session ${session.number})` : session.profile.process;
}

/** Why the generation's hand-out overlapped another rebalance, or null when it did not. */
function unstable(generation: number, reporters: readonly Reporter[], sessions: readonly MemberSession[], first: number, last: number): string | null {
  for (const { session, report } of reporters) {
    const sign = session.rejoinSigns.find((candidate) => candidate.index > report.index && candidate.index < last);
    if (sign !== undefined) return `${nameOf(session, sessions)} left it (${sign.what}) before every member had reported it`;
    if (session.endIndex > report.index && session.endIndex < last) return `${nameOf(session, sessions)} ended (event ${session.endIndex}) before every member had reported it`;
  }
  for (const session of sessions) {
    const later = session.reports.find((report) => report.generation > generation && report.index < last);
    if (later !== undefined) return `${nameOf(session, sessions)} reported generation ${later.generation} (event ${later.index}) before every member had reported it`;
    if (session.startIndex > first && session.startIndex < last) return `${nameOf(session, sessions)} subscribed (event ${session.startIndex}) while it was handed out`;
  }
  return null;
}

/** An eager dynamic member that sent no JoinGroup since its assignment in an older generation. */
function neverRejoined(session: MemberSession, generation: number, first: number): boolean {
  const profile = session.profile;
  if (profile.cooperative || profile.instance !== null) return false;
  const before = session.reports.filter((report) => report.index < first);
  const latest = before[before.length - 1];
  if (latest === undefined || latest.generation >= generation || latest.partitions.length === 0) return false;
  return !session.rejoinSigns.some((sign) => sign.index > latest.index && sign.index < first);
}

/** A session that ended before the generation's first report and cannot have been a member of it. */
function leftBefore(state: CheckerState, session: MemberSession, generation: number, reporters: readonly Reporter[]): boolean {
  const profile = session.profile;
  if (session.endedBy === "close" && profile.instance === null && reporters.some((reporter) => reporter.session.startIndex > session.endIndex)) return true;
  const bound = session.endTime + (profile.sessionTimeoutMs + profile.heartbeatIntervalMs) * millisecond;
  for (const { session: reporter } of reporters) {
    for (const poll of reporter.polls) {
      if (poll.generation !== generation || poll.invokeTime <= bound) continue;
      if (state.faults.disruption(null, session.endTime, poll.invokeTime) === null) return true;
    }
  }
  return false;
}

/** Why a member of the generation may be missing from its reports, or null when none can be. */
function missingMember(state: CheckerState, generation: number, reporters: readonly Reporter[], sessions: readonly MemberSession[], first: number): string | null {
  const reporting = new Set(reporters.map((reporter) => reporter.session));
  const instances = new Set(reporters.map((reporter) => reporter.session.profile.instance).filter((instance) => instance !== null));
  for (const session of sessions) {
    if (session.startIndex >= first || reporting.has(session)) continue;
    if (session.profile.instance !== null && instances.has(session.profile.instance)) continue;
    if (neverRejoined(session, generation, first)) continue;
    const ended = session.endIndex >= 0 && session.endIndex < first;
    if (ended && leftBefore(state, session, generation, reporters)) continue;
    const name = nameOf(session, sessions);
    return ended
      ? `${name} left at t=${formatTime(session.endTime)} and may still be a member of it; it never reported it`
      : `${name} (subscribed at t=${formatTime(session.startTime)}) may be a member of it but never reported it`;
  }
  return null;
}

/** Every generation the group's members reported, ascending, each complete (with its reports) or not (with why). */
export function generationEvidence(state: CheckerState, sessions: readonly MemberSession[]): GenerationEvidence[] {
  const byGeneration = new Map<number, Reporter[]>();
  for (const session of sessions) {
    for (const report of session.reports) {
      if (report.generation < 0) continue;
      const list = byGeneration.get(report.generation);
      if (list === undefined) byGeneration.set(report.generation, [{ session, report }]);
      else list.push({ session, report });
    }
  }
  const result: GenerationEvidence[] = [];
  for (const generation of [...byGeneration.keys()].sort((left, right) => left - right)) {
    const reporters = (byGeneration.get(generation) ?? []).sort((left, right) => left.report.index - right.report.index);
    const first = reporters[0]?.report.index ?? 0;
    const last = reporters[reporters.length - 1]?.report.index ?? 0;
    const why = unstable(generation, reporters, sessions, first, last) ?? missingMember(state, generation, reporters, sessions, first);
    result.push(why === null ? { generation, complete: true, reporters } : { generation, complete: false, why });
  }
  return result;
}
