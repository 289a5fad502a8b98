/**
 * Small typed readers for untrusted JSON: each returns the field or throws a HistoryFormatError that
 * names the file, line and dotted field path. Kept apart so the shape rules read like a schema.
 */
import { HistoryFormatError } from "./format-error.js";

export interface FieldContext {
  readonly file: string;
  readonly line: number;
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function fail(context: FieldContext, field: string, problem: string): never {
  throw new HistoryFormatError(context.file, context.line, field, problem);
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function objectAt(context: FieldContext, value: unknown, field: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(context, field, `expected an object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

export function arrayAt(context: FieldContext, value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(context, field, `expected an array, got ${describe(value)}`);
  return value;
}

export function stringAt(context: FieldContext, value: unknown, field: string): string {
  if (typeof value !== "string") fail(context, field, `expected a string, got ${describe(value)}`);
  return value;
}

export function nullableStringAt(context: FieldContext, value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== "string") fail(context, field, `expected a string or null, got ${describe(value)}`);
  return value;
}

export function booleanAt(context: FieldContext, value: unknown, field: string): boolean {
  if (typeof value !== "boolean") fail(context, field, `expected true or false, got ${describe(value)}`);
  return value;
}

/** A non-negative safe integer (offsets, partitions, indexes). */
export function countAt(context: FieldContext, value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    fail(context, field, `expected an integer >= 0, got ${describe(value)}`);
  }
  return value;
}

export function finiteAt(context: FieldContext, value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(context, field, `expected a finite number >= 0, got ${describe(value)}`);
  }
  return value;
}

export function oneOfAt<T extends string>(context: FieldContext, value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(context, field, `expected one of ${allowed.join(", ")}, got ${describe(value)}`);
  }
  return value as T;
}
