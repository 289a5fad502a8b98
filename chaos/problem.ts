/** A refusal of bad input: which field, which value, and what would have been allowed. */
export interface ScenarioProblem {
  /** Path into the scenario: `steps[3].client`, `topics[0].partitions`. */
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

export function formatProblem(problem: ScenarioProblem): string {
  return `${problem.field}: ${JSON.stringify(problem.value) ?? String(problem.value)} is not allowed; allowed: ${problem.allowed}`;
}

/** Thrown when a scenario or option is refused before anything runs (the CLI exits 2 on it). */
export class ScenarioError extends Error {
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    super(`invalid scenario:\n${problems.map((problem) => `  - ${formatProblem(problem)}`).join("\n")}`);
    this.name = "ScenarioError";
    this.problems = problems;
  }
}
