/**
 * A small argument parser: `--name value`, `--name=value`, flags, and positionals. Unknown options
 * are refused with the closest known one (exit 2), never ignored; `-h` is `--help` wherever a command
 * takes --help.
 */
import { closestName } from "../model/index.js";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface OptionSpec {
  readonly name: string;
  /** Flags take no value. */
  readonly flag?: boolean;
  /** May be given several times; values accumulate. */
  readonly repeat?: boolean;
}

export interface ParsedArguments {
  readonly options: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/** Bound on argv length: a command line is not a data channel. */
const maxArguments = 1000;

export function parseArguments(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArguments {
  if (argv.length > maxArguments) throw new UsageError(`too many arguments (${argv.length}); at most ${maxArguments}`);
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? "";
    if (argument === "-h" && byName.get("help")?.flag === true) {
      flags.add("help");
      continue;
    }
    if (!argument.startsWith("--") || argument === "--") {
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf("=");
    const name = argument.slice(2, equals < 0 ? undefined : equals);
    const spec = byName.get(name);
    if (spec === undefined) throw new UsageError(unknownOption(name, specs));
    if (spec.flag === true) {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) value = argument.slice(equals + 1);
    else {
      value = argv[index + 1];
      index++;
    }
    if (value === undefined || (equals < 0 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    const values = options.get(name) ?? [];
    if (values.length > 0 && spec.repeat !== true) throw new UsageError(`--${name} is given twice`);
    values.push(value);
    options.set(name, values);
  }
  return { options, flags, positionals };
}

function unknownOption(name: string, specs: readonly OptionSpec[]): string {
  const closest = closestName(name, specs.map((spec) => spec.name));
  const hint = closest === undefined ? `allowed: ${specs.map((known) => `--${known.name}`).join(", ")}` : `did you mean --${closest}?`;
  return `unknown option --${name}; ${hint} (--help lists every option)`;
}

export function single(parsed: ParsedArguments, name: string): string | undefined {
  return parsed.options.get(name)?.[0];
}

/** `60s`, `5m`, `500ms`, `1h`, or a number of seconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) throw new UsageError(`${option} ${JSON.stringify(text)} is not allowed; allowed: a duration such as 500ms, 60s, 5m, 1h`);
  const amount = Number(match[1]);
  const unit = match[2] ?? "s";
  const factor = unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000;
  const milliseconds = Math.round(amount * factor);
  if (milliseconds < 1 || milliseconds > 7 * 24 * 3_600_000) throw new UsageError(`${option} ${JSON.stringify(text)} is not allowed; allowed: between 1ms and 7 days`);
  return milliseconds;
}

export function parseCount(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${option} ${JSON.stringify(text)} is not allowed; allowed: an integer in ${min}..${max}`);
  return value;
}
