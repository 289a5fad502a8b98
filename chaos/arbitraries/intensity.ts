/**
 * Fault intensity: one knob from 0 (no faults) to 1 (many long faults). Named levels for the CLI.
 * It bounds the number of fault episodes and how long each lasts.
 */
import type { ScenarioProblem } from "../problem.js";

export const intensityLevels = { none: 0, low: 0.25, medium: 0.5, high: 0.9 } as const;

export function parseIntensity(text: string): number | ScenarioProblem {
  const named = (intensityLevels as Record<string, number>)[text];
  if (named !== undefined) return named;
  const number = Number(text);
  if (text.trim() !== "" && Number.isFinite(number) && number >= 0 && number <= 1) return number;
  return { field: "--intensity", value: text, allowed: "none, low, medium, high, or a number in 0..1" };
}

export interface IntensityBounds {
  readonly maxEpisodes: number;
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
}

export function intensityBounds(intensity: number): IntensityBounds {
  if (!(intensity >= 0 && intensity <= 1)) throw new RangeError(`intensity ${intensity} is outside 0..1`);
  return {
    maxEpisodes: intensity === 0 ? 0 : 1 + Math.round(intensity * 6),
    minDurationMs: 200,
    maxDurationMs: 600 + Math.round(intensity * 5400),
  };
}
