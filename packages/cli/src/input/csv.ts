import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { InputError } from "../errors.js";
import { REPORT_COLUMNS } from "../mapping.js";
import type { InputRow } from "./index.js";

interface CsvOptions {
  name: string;
  delimiter: string;
  /** Whether the user chose the delimiter: the hint then names the one the file seems to use instead. */
  delimiterGiven: boolean;
  maxRowSize: number;
}

interface Parsed {
  record: string[];
  info: { lines: number; empty_lines: number; bytes: number };
}

/** A cell csv-stringify's `escape_formulas` wrote: a ' before =, +, -, @, tab or CR. */
const ESCAPED_FORMULA = /^'[=+\-@\t\r]/;

const CANDIDATE_DELIMITERS = [",", ";", "\t", "|"];

/** Reads the header and the first data row, then streams the rest as records keyed by column name. */
export async function readCsv(text: Readable, options: CsvOptions) {
  const parser = parse({
    delimiter: options.delimiter,
    info: true,
    // Rows with fewer values than the header are common in exports; rows with more are reported per row.
    relax_column_count: true,
    // A stray quote inside an unquoted value (`5" screen`) is data, not a reason to stop a million-row import.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: options.maxRowSize,
  });
  text.on("error", (error) => parser.destroy(error));
  text.pipe(parser);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<Parsed>;
  /** The line the last complete row ended on: a row broken past it is named from there. */
  let lastLine = 0;
  const next = async () => {
    try {
      return await records.next();
    } catch (error) {
      throw explain(error, options, lastLine);
    }
  };

  const headerRow = await next();
  if (headerRow.done || headerRow.value.record.every((cell) => cell.trim() === "")) {
    throw new InputError(`${options.name} is empty: there are no leads to import.`);
  }
  const rawHeader = headerRow.value.record;
  checkDelimiter(rawHeader, options);
  checkHeaderIsNotData(rawHeader, options.name);
  const notices: string[] = [];
  const columns = cleanHeader(rawHeader, notices);
  // LeadBridge's own report escapes formula-like cells with a leading ': read back, they are the values again.
  const fromReport = REPORT_COLUMNS.every((c, i) => columns[i]?.toLowerCase() === c);

  const first = await next();
  if (first.done) {
    throw new InputError(
      `${options.name} has a header row (${columns.length} column${columns.length === 1 ? "" : "s"}: ${preview(columns)}) but no data rows.`,
    );
  }

  lastLine = headerRow.value.info.lines;
  let lastEmpty = headerRow.value.info.empty_lines;
  const toRow = ({ record, info }: Parsed): InputRow | undefined => {
    // A row starts on the line after the previous one ended, past any blank lines skipped in between.
    const rowNumber = lastLine + 1 + (info.empty_lines - lastEmpty);
    lastLine = info.lines;
    lastEmpty = info.empty_lines;
    if (record.length === 1 && record[0]!.trim() === "" && columns.length > 1) return undefined;
    // No prototype: a "__proto__" column stays data, and a missing "constructor" reads as missing.
    const row: InputRow = { rowNumber, record: Object.create(null), offset: info.bytes };
    const count = Math.min(record.length, columns.length);
    for (let i = 0; i < count; i++) {
      const value = record[i]!;
      row.record[columns[i]!] = fromReport && ESCAPED_FORMULA.test(value) ? value.slice(1) : value;
    }
    if (record.length > columns.length && record.slice(columns.length).some((v) => v.trim() !== "")) {
      row.problem = `row has ${record.length} values but the header has ${columns.length} columns`;
    }
    return row;
  };
  const firstRow = first.value;

  return {
    columns,
    notices,
    rows: {
      async *[Symbol.asyncIterator](): AsyncGenerator<InputRow> {
        const row = toRow(firstRow);
        if (row) yield row;
        for (let item = await next(); !item.done; item = await next()) {
          const row = toRow(item.value);
          if (row) yield row;
        }
      },
    },
  };
}

/** A header read as one column that contains another delimiter is almost always the wrong delimiter. */
function checkDelimiter(header: string[], options: CsvOptions) {
  if (header.length !== 1) return;
  const cell = header[0]!;
  const counts = CANDIDATE_DELIMITERS.filter((d) => d !== options.delimiter)
    .map((d) => ({ d, n: cell.split(d).length - 1 }))
    .filter(({ n }) => n > 0)
    .sort((a, b) => b.n - a.n);
  const likely = counts[0];
  if (!likely) return;
  const shown = likely.d === "\t" ? "\\t" : likely.d;
  const flag = likely.d === "\t" ? `--delimiter '\\t'` : `--delimiter "${likely.d}"`;
  throw new InputError(
    `${options.name}: the header row has a single column "${truncate(cell, 60)}" when split on ${describe(options.delimiter)}; it looks ${describe(likely.d)}-separated ("${shown}").`,
    `Pass ${flag}${options.delimiterGiven ? " instead" : ""}.`,
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,}$/;

/** A first line holding an email or a phone number is a lead, not a header: it would be used as column names. */
function checkHeaderIsNotData(header: string[], name: string) {
  const value = header
    .map((cell) => cell.trim())
    .find((cell) => EMAIL.test(cell) || (PHONE.test(cell) && cell.replace(/\D/g, "").length >= 7));
  if (value === undefined) return;
  throw new InputError(
    `${name}: the first line looks like a lead, not a header row (it holds "${truncate(value, 60)}"). LeadBridge reads the first line as the column names.`,
    `Add a header line naming the columns, e.g. "email,first name,last name,phone", as the file's first line.`,
  );
}

function describe(delimiter: string): string {
  return { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" }[delimiter] ?? `"${delimiter}"`;
}

/** Trims names, names blank columns `column_N`, and suffixes duplicates so that no value is silently lost. */
export function cleanHeader(raw: string[], notices: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((cell, i) => {
    let name = cell.replace(/^\uFEFF/, "").trim() || `column_${i + 1}`;
    const key = name.toLowerCase();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > 1) {
      const renamed = `${name}_${count}`;
      notices.push(`Column ${i + 1} repeats the name "${name}": it is read as "${renamed}".`);
      name = renamed;
    }
    return name;
  });
}

function explain(error: unknown, options: CsvOptions, lastLine = 0): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  const after =
    lastLine > 0 && line !== undefined && line > lastLine + 1
      ? `; the last complete row ended on line ${lastLine}`
      : "";
  const where = line ? ` at line ${line}${after}` : "";
  if (error.code === "CSV_MAX_RECORD_SIZE") {
    return new InputError(
      `${options.name}: a row${where} is longer than ${formatSize(options.maxRowSize)}. This does not look like a CSV of leads (a binary file, or a wrong delimiter or quote?).`,
      "If the rows really are that long, raise the limit with --max-row-size <bytes>.",
    );
  }
  return new InputError(`${options.name}: not valid CSV${where}: ${error.message}`);
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function preview(columns: string[]): string {
  const shown = columns.slice(0, 5).join(", ");
  return columns.length > 5 ? `${shown}, ...` : shown;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
