/**
 * Field-by-field validation of a counterexample file, so a hand-edited or truncated file is refused
 * with file, field and problem ("scenario: missing") instead of a TypeError deep inside a run.
 */
import type { GuaranteeId } from "../model/index.js";
import type { PlantedBug } from "../engine/api.js";
import { guaranteeCatalogue } from "../model/index.js";
import { plantedBugs } from "../engine/planted-bugs.js";
import { allFaultKinds } from "../chaos/fault.js";
import { validateScenarioShape } from "../chaos/validate.js";
import { formatProblem } from "../chaos/problem.js";
import { didYouMean } from "../model/index.js";

/** A counterexample file the harness refuses: which file, which field, what is wrong (bad input, exit 2). */
export class CounterexampleError extends Error {
  readonly file: string;
  readonly field: string;
  readonly problem: string;

  constructor(file: string, field: string, problem: string) {
    super(`${file}: field '${field}': ${problem}`);
    this.name = "CounterexampleError";
    this.file = file;
    this.field = field;
    this.problem = problem;
  }
}

/** A file that is something else the harness writes, and the command that reads it. */
export class NotACounterexampleError extends CounterexampleError {}

type Json = Record<string, unknown>;

const guaranteeIds: readonly string[] = guaranteeCatalogue.map((entry) => entry.id);
const plantedBugIds: readonly string[] = plantedBugs.map((bug) => bug.id);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return value === undefined ? "missing" : `${JSON.stringify(value)} is not allowed`;
}

/** Collects every problem of one file rather than stopping at the first: a person fixes them in one go. */
class Problems {
  readonly list: { field: string; problem: string }[] = [];
  add(field: string, problem: string): void {
    this.list.push({ field, problem });
  }
}

function checkIdList(problems: Problems, field: string, value: unknown, known: readonly string[], what: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!Array.isArray(value)) {
    problems.add(field, `${shown(value)}; expected: a list of ${what}`);
    return;
  }
  value.forEach((item, index) => {
    if (typeof item !== "string" || !known.includes(item)) {
      const hint = typeof item === "string" ? didYouMean(item, known) : "";
      problems.add(`${field}[${index}]`, `${shown(item)}${hint === "" ? `; allowed: ${known.join(", ")}` : hint}`);
    }
  });
}

/** The parts of a scenario validateScenarioShape walks into; without them it would crash, not refuse. */
function checkScenarioSkeleton(problems: Problems, scenario: unknown): boolean {
  if (!isObject(scenario)) {
    problems.add("scenario", `${shown(scenario)}; expected: the scenario object (name, seed, cluster, topics, clients, steps, finale) that replay runs`);
    return false;
  }
  const before = problems.list.length;
  if (!isObject(scenario.cluster)) problems.add("scenario.cluster", `${shown(scenario.cluster)}; expected: an object with brokers, controllers, kafkaVersion, broker`);
  else if (!isObject(scenario.cluster.broker)) problems.add("scenario.cluster.broker", `${shown(scenario.cluster.broker)}; expected: an object of broker keys`);
  for (const list of ["topics", "clients", "steps"] as const) {
    const value = scenario[list];
    if (!Array.isArray(value)) {
      problems.add(`scenario.${list}`, `${shown(value)}; expected: a list`);
      continue;
    }
    value.forEach((item: unknown, index) => {
      if (!isObject(item)) problems.add(`scenario.${list}[${index}]`, `${shown(item)}; expected: an object`);
      else if (list !== "steps" && !isObject(item.config)) problems.add(`scenario.${list}[${index}].config`, `${shown(item.config)}; expected: an object of Kafka keys`);
      else if (list === "steps" && item.op === "fault" && !isObject(item.fault)) problems.add(`scenario.steps[${index}].fault`, `${shown(item.fault)}; expected: a fault object`);
      else if (list === "steps" && item.op === "assign" && !Array.isArray(item.partitions)) problems.add(`scenario.steps[${index}].partitions`, `${shown(item.partitions)}; expected: a list of partitions`);
    });
  }
  if (!isObject(scenario.finale)) problems.add("scenario.finale", `${shown(scenario.finale)}; expected: an object with quietMs`);
  return problems.list.length === before;
}

export interface CheckedCounterexample {
  readonly plantedBugs: readonly PlantedBug[];
  readonly violated: readonly GuaranteeId[];
}

/** Throws CounterexampleError naming the first problem (and how many more there are). */
export function validateCounterexampleFields(file: string, value: unknown): void {
  const problems = new Problems();
  if (!isObject(value)) throw new CounterexampleError(file, "(file)", `${shown(value)}; expected: a JSON object with kind "kafka-harness-counterexample"`);
  if (value.kind === "kafka-harness-history") {
    throw new NotACounterexampleError(file, "kind", "this is a history, not a counterexample: use `kafka-harness check <file>`");
  }
  if (value.kind !== "kafka-harness-counterexample" || value.version !== 1) {
    const field = value.kind !== "kafka-harness-counterexample" ? "kind" : "version";
    throw new CounterexampleError(file, field, `${shown(value[field])}; kind must be "kafka-harness-counterexample" with version 1`);
  }
  if (typeof value.description !== "string") problems.add("description", `${shown(value.description)}; expected: a string`);
  if (value.target !== "engine" && value.target !== "kafka") problems.add("target", `${shown(value.target)}; allowed: engine, kafka`);
  checkIdList(problems, "plantedBugs", value.plantedBugs, plantedBugIds, "planted bug names", false);
  checkIdList(problems, "violated", value.violated, guaranteeIds, "guarantee ids", false);
  checkIdList(problems, "allowed", value.allowed, guaranteeIds, "guarantee ids", true);
  if (value.fastCheck !== undefined) {
    const fastCheck = value.fastCheck;
    if (!isObject(fastCheck)) problems.add("fastCheck", `${shown(fastCheck)}; expected: { seed, path? }`);
    else {
      if (typeof fastCheck.seed !== "number" || !Number.isInteger(fastCheck.seed)) problems.add("fastCheck.seed", `${shown(fastCheck.seed)}; expected: an integer`);
      if (fastCheck.path !== undefined && typeof fastCheck.path !== "string") problems.add("fastCheck.path", `${shown(fastCheck.path)}; expected: a string such as "3:1:0"`);
    }
  }
  if (value.openIssue !== undefined && typeof value.openIssue !== "string") problems.add("openIssue", `${shown(value.openIssue)}; expected: a string`);
  if (value.historySha256 !== undefined && (typeof value.historySha256 !== "string" || !/^[0-9a-f]{64}$/.test(value.historySha256))) {
    problems.add("historySha256", `${shown(value.historySha256)}; expected: 64 lowercase hex digits`);
  }
  if (checkScenarioSkeleton(problems, value.scenario)) {
    const scenario = value.scenario as unknown as Parameters<typeof validateScenarioShape>[0];
    for (const problem of validateScenarioShape(scenario, new Set(allFaultKinds))) problems.add(`scenario.${problem.field}`, formatProblem(problem).slice(problem.field.length + 2));
  }
  const [first, ...rest] = problems.list;
  // Every problem on its own line: a person fixes them in one go.
  const more = rest.map((problem) => `\n  ${file}: field '${problem.field}': ${problem.problem}`).join("");
  if (first !== undefined) throw new CounterexampleError(file, first.field, `${first.problem}${more}`);
}
