/**
 * Bad input: a history (or its header) that breaks the contract. It names the file, the line and the
 * field so a person can fix the producer of the history; the checker never sees malformed events.
 */
export class HistoryFormatError extends Error {
  readonly file: string;
  /** 1-based line number; line 1 is the header. */
  readonly line: number;
  /** Dotted path of the offending field (`value.records[2].offset`), or `line` for the whole line. */
  readonly field: string;
  readonly problem: string;

  constructor(file: string, line: number, field: string, problem: string) {
    super(`${file}:${line}: field '${field}': ${problem}`);
    this.name = "HistoryFormatError";
    this.file = file;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }
}

/** Line number of event `index` in a history file (the header is line 1). */
export function lineOfEvent(index: number): number {
  return index + 2;
}
