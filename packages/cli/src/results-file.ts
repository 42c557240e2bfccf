import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import type { LeadWarning, Outcome } from "leadbridge";
import { InputError, UsageError } from "./errors.js";
import { openOutput } from "./files.js";

/**
 * The results file (`leadbridge import --results <path>`): one record per input row, in row order, read
 * back by `leadbridge verify`. `.csv` (a header row) or `.jsonl`/`.ndjson` (one JSON object a line).
 * Never a credential: only the row's outcome and the lead's identity.
 */
export const RESULT_FIELDS = [
  "row",
  "outcome",
  "code",
  "reason",
  "vendor",
  "destination",
  "vendorLeadId",
  "email",
  "phone",
  "linkedinUrl",
  "warnings",
] as const;

export interface ResultRow {
  /** The row's number as the report and the summary give it: the line where it starts (a CSV's header is line 1). */
  row: number;
  outcome: Outcome;
  /** The facade's `LeadCode`, or one of the CLI's codes (`earlier_run`, `not_read`, ...). */
  code: string;
  /** Empty for a plain `added`. */
  reason: string;
  vendor: string;
  /** The id of the campaign, list or pearl the lead went (or was to go) to. */
  destination: string;
  /** The vendor's id for the lead, when its answer gave one (Instantly). */
  vendorLeadId: string;
  /** The lead's email, phone and LinkedIn URL as the input had them. */
  email: string;
  phone: string;
  linkedinUrl: string;
  warnings: LeadWarning[];
}

export type ResultsFormat = "csv" | "jsonl";

export function resultsFormat(path: string, flag = "--results"): ResultsFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  throw new UsageError(`${flag} ${path}: the results format is chosen by extension: use .csv or .jsonl.`);
}

/** Whether a file's first bytes are a results file's (so that LeadBridge may overwrite it). */
export const isResultsFile = (head: string) =>
  head.startsWith(`${RESULT_FIELDS.join(",")}\n`) || head.startsWith('{"row":');

export interface ResultsFileWriter {
  readonly path: string;
  /** Records written so far. */
  written: number;
  /** The first write error: the file is complete up to it. */
  error?: UsageError;
  write(row: ResultRow): void;
  /** Flushes and closes the file (a CSV file with no row still has its header). */
  close(): Promise<void>;
}

/** Records written to the file together: one write per chunk, not per row (a million rows stay quick). */
const CHUNK_ROWS = 512;

/**
 * Opens `path` (created owner-only; an existing file only if LeadBridge wrote it, or with `force`) and
 * returns a writer of results in the format of its extension. CSV cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`...) get a leading `'` (`+14155550100` stays text); `readResultsFile` removes it.
 */
export function writeResultsFile(
  path: string,
  options: { flag?: string; force?: boolean; onError?: (error: UsageError) => void } = {},
): ResultsFileWriter {
  const flag = options.flag ?? "--results";
  const format = resultsFormat(path, flag);
  const fd = openOutput({ flag, path, isOurs: isResultsFile }, { force: options.force });
  const file: WriteStream = createWriteStream(path, { fd });
  if (format === "csv") file.write(`${RESULT_FIELDS.join(",")}\n`);
  let chunk: ResultRow[] = [];
  const flush = () => {
    if (chunk.length && !writer.error) file.write(format === "csv" ? csvText(chunk) : jsonLines(chunk));
    chunk = [];
  };
  const writer: ResultsFileWriter = {
    path,
    written: 0,
    write(row) {
      if (writer.error) return;
      writer.written++;
      chunk.push(row);
      if (chunk.length >= CHUNK_ROWS) flush();
    },
    close: () => (closing ??= end()),
  };
  let closing: Promise<void> | undefined;
  const end = async () => {
    flush();
    file.end();
    if (!file.closed) await once(file, "close").catch(() => undefined);
  };
  file.on("error", (error) => {
    if (writer.error) return;
    writer.error = new UsageError(
      `Cannot write the results file ${path}: ${error.message}. The import stopped.`,
      `Free some space or choose another ${flag} path, then run the same command again to resume.`,
    );
    options.onError?.(writer.error);
  });
  return writer;
}

/** A results file's records, in file order; a record that is not one is an error naming its line. */
export async function* readResultsFile(path: string): AsyncGenerator<ResultRow> {
  try {
    yield* readRecords(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new InputError(`Cannot read the results file ${path}: ${(error as Error).message}`);
  }
}

async function* readRecords(path: string): AsyncGenerator<ResultRow> {
  const format = resultsFormat(path, "the results file");
  if (format === "jsonl") {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new InputError(`${path}:${line}: not valid JSON: ${(error as Error).message}`);
      }
      yield toResultRow(value as Record<string, unknown>, `${path}:${line}`, false);
    }
    return;
  }
  const records = createReadStream(path).pipe(parse({ columns: true, bom: true, info: true }));
  for await (const { record, info } of records as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield toResultRow(record, `${path}:${info.lines}`, true);
  }
}

function toResultRow(value: Record<string, unknown>, where: string, csv: boolean): ResultRow {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`${where}: not a results record`);
  }
  const text = (field: string) => {
    const cell = value[field];
    if (cell === undefined || cell === null) return "";
    const s = String(cell);
    return csv ? unescapeFormula(s) : s;
  };
  const row = Number(value.row);
  if (!Number.isInteger(row) || row < 1)
    throw new InputError(
      `${where}: "row" must be a row number, got ${value.row === undefined ? "nothing" : String(value.row)}`,
    );
  if (!text("outcome")) throw new InputError(`${where}: no "outcome": is this a results file (import --results)?`);
  if ((text("outcome") === "added" || text("outcome") === "unknown") && !(text("vendor") && text("destination")))
    throw new InputError(`${where}: ${text("outcome")} but names no vendor and destination to read it back from`);
  const warnings = csv
    ? parseWarnings(text("warnings"))
    : Array.isArray(value.warnings)
      ? (value.warnings as LeadWarning[])
      : [];
  return {
    row,
    outcome: text("outcome") as Outcome,
    code: text("code"),
    reason: text("reason"),
    vendor: text("vendor"),
    destination: text("destination"),
    vendorLeadId: text("vendorLeadId"),
    email: text("email"),
    phone: text("phone"),
    linkedinUrl: text("linkedinUrl"),
    warnings,
  };
}

function csvText(rows: ResultRow[]): string {
  const cells = rows.map((row) =>
    RESULT_FIELDS.map((field) => (field === "warnings" ? warningsText(row.warnings) : row[field])),
  );
  return stringify(cells, { escape_formulas: true });
}

function jsonLines(rows: ResultRow[]): string {
  return rows.map((row) => `${JSON.stringify(Object.fromEntries(RESULT_FIELDS.map((f) => [f, row[f]])))}\n`).join("");
}

/** `field: reason; field: reason` (CSV): the JSONL file keeps the array as it is. */
function warningsText(warnings: LeadWarning[]): string {
  return warnings.map((w) => `${w.field}: ${w.reason}`).join("; ");
}

function parseWarnings(text: string): LeadWarning[] {
  if (!text) return [];
  // A reason may hold "; " itself: a new warning starts only where a field name and ": " follow.
  return text.split(/; (?=[\w.]+: )/).map((part) => {
    const at = part.indexOf(": ");
    return { field: part.slice(0, at), code: "dropped_field", reason: part.slice(at + 2) };
  });
}

/** csv-stringify's `escape_formulas` prefixes `'` to a text cell starting with one of these. */
const FORMULA_STARTS = "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20";

function unescapeFormula(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_STARTS.includes(cell[1]!) ? cell.slice(1) : cell;
}
