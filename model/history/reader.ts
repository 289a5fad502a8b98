/**
 * An incremental JSON Lines reader: lines go in one at a time (from a string or from a file read in
 * chunks, so a file's whole text never has to sit in memory beside its events), each is parsed,
 * shape-checked and paired at once, and `finish` returns the validated history. Line 1 is the
 * header; blank lines are allowed only at the end (a trailing newline).
 */
import type { History, HistoryEvent, HistoryHeader } from "./event.js";
import { HistoryFormatError } from "./format-error.js";
import { validateHeaderConfiguration } from "./header.js";
import { OperationPairer, rememberPairing } from "./operations.js";
import { topicPartitionCounts, transactionalClientsOf, validateEventShape, validateHeaderShape, type TopicPartitionCounts, type TransactionalClients } from "./shape.js";
import { markValidated } from "./validate.js";
import { groupClientsOf, type GroupClients } from "./group-shape.js";

const openBrace = 0x7b;
const closeBrace = 0x7d;

function parseLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HistoryFormatError(file, line, "line", `not valid JSON (${reason})`);
  }
}

export class HistoryReader {
  private lineNumber = 0;
  private header: HistoryHeader | null = null;
  /** Line 1 when it is blank: an error only if a non-blank line follows (else the file is empty). */
  private blankHeader: string | null = null;
  /** The first blank line not yet known to be trailing (0: none). */
  private pendingBlankLine = 0;
  private topics: TopicPartitionCounts = new Map();
  private groups: GroupClients = new Map();
  private transactional: TransactionalClients = new Map();
  private readonly events: HistoryEvent[] = [];
  private pairer: OperationPairer | null = null;
  /** One context object for every line: field readers only read it when they throw. */
  private readonly context = { file: "", line: 0 };

  constructor(private readonly file: string) {
    this.context.file = file;
  }

  /** One line of the file, without its "\n". */
  line(text: string): void {
    const line = ++this.lineNumber;
    if (line === 1) {
      if (text.trim() === "") {
        this.blankHeader = text;
        return;
      }
      this.readHeader(text);
      return;
    }
    // Well-formed lines start with "{" and end with "}": trimming them would change nothing.
    const length = text.length;
    const framed = length > 1 && text.charCodeAt(0) === openBrace && text.charCodeAt(length - 1) === closeBrace;
    const raw = framed ? text : text.trim();
    if (raw === "") {
      if (this.pendingBlankLine === 0) this.pendingBlankLine = line;
      return;
    }
    if (this.blankHeader !== null) this.readHeader(this.blankHeader);
    if (this.pendingBlankLine !== 0) throw new HistoryFormatError(this.file, this.pendingBlankLine, "line", "blank line inside the history");
    const pairer = this.pairer as OperationPairer;
    const context = this.context;
    context.line = line;
    const event = validateEventShape(context, this.topics, parseLine(raw, this.file, line), line - 2, this.groups, this.transactional);
    this.events.push(event);
    // A relation problem waits in the pairer: a later line's shape error is reported first.
    pairer.add(event);
  }

  private readHeader(text: string): void {
    const header = validateHeaderShape({ file: this.file, line: 1 }, parseLine(text, this.file, 1));
    validateHeaderConfiguration(header, this.file);
    this.header = header;
    this.blankHeader = null;
    this.topics = topicPartitionCounts(header);
    this.groups = groupClientsOf(header);
    this.transactional = transactionalClientsOf(header);
    this.pairer = new OperationPairer(header, this.events, this.file);
  }

  /** The validated history; throws the first problem found. */
  finish(): History {
    if (this.header === null || this.pairer === null) {
      throw new HistoryFormatError(this.file, 1, "header", "the file is empty; the first line must be the history header");
    }
    const history: History = { header: this.header, events: this.events };
    rememberPairing(history, this.pairer.finish());
    markValidated(history);
    return history;
  }
}
