// The results file `import --results` writes (one record per input row: docs in the CLI README), read
// back record by record: CSV with a header row, or JSON Lines, by the file's extension.
import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { CsvError, parse } from "csv-parse";
import { InputError, UsageError } from "./errors.js";

/** The results file's fields, in order. */
export const RESULTS_FIELDS = [
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

/** One record of a results file. Text fields are `""` when they do not apply. */
export type ResultsRecord = { row: number; warnings: unknown } & Record<
  Exclude<(typeof RESULTS_FIELDS)[number], "row" | "warnings">,
  string
>;

export type ResultsFormat = "csv" | "jsonl";

/** The format of a results file, by its extension; `flag` words the error. */
export function resultsFormat(path: string, flag = "the results file"): ResultsFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  throw new UsageError(`${flag} ${path}: the format is chosen by extension: use .csv, .jsonl or .ndjson.`);
}

/** The records of a results file, one at a time, in file order. A malformed record is an InputError naming it. */
export async function* readResultsFile(path: string): AsyncGenerator<ResultsRecord, void, undefined> {
  const format = resultsFormat(path);
  const stream = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) => reject(new InputError(`Cannot read ${path}: ${error.message}`)));
  });
  await opened;
  if (format === "jsonl") {
    let line = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new InputError(`${path} line ${line} is not JSON: ${(error as Error).message}`);
      }
      yield recordOf(value, `${path} line ${line}`);
    }
    return;
  }
  const parser = stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }));
  try {
    for await (const value of parser) yield recordOf(unescaped(value), `${path} line ${parser.info.lines}`);
  } catch (error) {
    if (error instanceof CsvError) throw new InputError(`${path} is not a readable CSV file: ${error.message}`);
    throw error;
  }
}

/** A cell csv-stringify's `escape_formulas` wrote: a ' before =, +, -, @, tab or CR (a phone's +). */
const ESCAPED_FORMULA = /^'[=+\-@\t\r]/;

function unescaped(record: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(record)) if (ESCAPED_FORMULA.test(value)) record[key] = value.slice(1);
  return record;
}

/** A record checked to have the fields `verify` needs; `where` names it in errors. */
function recordOf(value: unknown, where: string): ResultsRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InputError(`${where} is not an object with the results file's fields (${RESULTS_FIELDS.join(", ")}).`);
  const fields = value as Record<string, unknown>;
  const text = (name: string) => {
    const v = fields[name];
    return v === undefined || v === null ? "" : String(v);
  };
  const row = Number(fields.row);
  if (!Number.isInteger(row) || row < 1)
    throw new InputError(`${where}: "row" must be a row number, got ${text("row") || "nothing"}.`);
  if (text("outcome") === "")
    throw new InputError(`${where} has no "outcome": is this a results file (import --results)?`);
  if ((text("outcome") === "added" || text("outcome") === "unknown") && !(text("vendor") && text("destination")))
    throw new InputError(`${where} is ${text("outcome")} but names no vendor and destination to read it back from.`);
  const record = { row, warnings: fields.warnings ?? "" } as ResultsRecord;
  for (const name of RESULTS_FIELDS) if (name !== "row" && name !== "warnings") record[name] = text(name);
  return record;
}
