/**
 * report.md of a run directory: the verdict table, every anomaly with the events that show it, and
 * the fault timeline (nemesis events and elections), so a person can read what happened.
 */
import type { History, HistoryEvent, NemesisValue, ElectionValue } from "../model/index.js";
import type { Verdict } from "../model/index.js";
import type { Scenario } from "../chaos/scenario.js";
import { formatScenarioSize, scenarioSize } from "../chaos/arbitraries/scenario.js";
import { formatTime, formatVerdictTable, nemesisProcess, observerProcess } from "../model/index.js";

/** Bounds keep a report readable for a history of a million events. */
const maxAnomalies = 50;
const maxEventsPerAnomaly = 12;
const maxTimelineLines = 400;

function eventLine(event: HistoryEvent): string {
  const value = event.value === undefined ? "" : ` ${JSON.stringify(event.value)}`;
  const error = event.error === undefined ? "" : ` error=${event.error}`;
  return `#${event.index} t=${formatTime(event.time)} ${event.process} ${event.type} ${event.f}${value}${error}`;
}

export function faultTimeline(history: History): string[] {
  const lines: string[] = [];
  for (const event of history.events) {
    if (lines.length >= maxTimelineLines) {
      lines.push("... (timeline truncated)");
      break;
    }
    if (event.process === nemesisProcess && event.type !== "invoke") {
      const value = (event.value ?? {}) as NemesisValue;
      lines.push(`- t=${formatTime(event.time)} ${event.f}: ${value.description ?? ""}${value.nodes && value.nodes.length > 0 ? ` (nodes ${value.nodes.join(", ")})` : ""}`);
    } else if (event.process === observerProcess && event.f === "leader-elected") {
      const value = event.value as ElectionValue;
      lines.push(`- t=${formatTime(event.time)} ${value.unclean ? "UNCLEAN " : ""}election: ${value.topic}/${value.partition} leader broker-${value.leader} epoch ${value.epoch}`);
    }
  }
  return lines;
}

export interface ReportContext {
  readonly target: string;
  readonly plantedBugs: readonly string[];
  readonly replayCommand?: string;
  readonly fastCheck?: { readonly seed: number; readonly path?: string };
}

export function formatReport(scenario: Scenario, history: History, verdict: Verdict, context: ReportContext): string {
  const out: string[] = [];
  out.push(`# ${scenario.name}`, "");
  out.push(`- target: ${context.target}${context.plantedBugs.length > 0 ? ` with planted bugs: ${context.plantedBugs.join(", ")}` : ""}`);
  out.push(`- scenario seed: ${scenario.seed}; size: ${formatScenarioSize(scenarioSize(scenario))}`);
  if (context.fastCheck !== undefined) out.push(`- fast-check seed ${context.fastCheck.seed}, path ${JSON.stringify(context.fastCheck.path ?? "")}`);
  if (context.replayCommand !== undefined) out.push(`- replay: \`${context.replayCommand}\``);
  out.push(`- verdict: ${verdict.valid ? "every promised guarantee holds" : "a promised guarantee is VIOLATED"}`, "");
  out.push("## Verdict", "", "```", formatVerdictTable(verdict), "```", "");
  out.push("## Anomalies", "");
  let shown = 0;
  for (const guarantee of verdict.guarantees) {
    for (const anomaly of guarantee.anomalies) {
      if (shown >= maxAnomalies) break;
      shown++;
      out.push(`### ${anomaly.guarantee} ${anomaly.kind}${anomaly.allowed ? " (allowed by this configuration)" : " (VIOLATION)"}`, "", anomaly.message);
      if (anomaly.explanation !== undefined) out.push("", `Explanation: ${anomaly.explanation}`);
      out.push("", "```");
      for (const index of anomaly.events.slice(0, maxEventsPerAnomaly)) {
        const event = history.events[index];
        if (event !== undefined) out.push(eventLine(event));
      }
      if (anomaly.events.length > maxEventsPerAnomaly) out.push(`... ${anomaly.events.length - maxEventsPerAnomaly} more events`);
      out.push("```", "");
    }
  }
  if (shown === 0) out.push("None.", "");
  out.push("## Fault timeline", "", ...faultTimeline(history), "");
  return `${out.join("\n")}\n`;
}
