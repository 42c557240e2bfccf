import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { extname } from "node:path";
import { stringify } from "csv-stringify";
import type { Outcome } from "leadbridge";
import { UsageError } from "./errors.js";
import { openOutput } from "./files.js";
import { REPORT_COLUMNS } from "./mapping.js";
import { isReport } from "./preflight.js";

export interface NotAdded {
  rowNumber: number;
  outcome: Outcome;
  reason?: string;
  /** The input row as read, so that a fixed report can be imported again as it is. */
  record: Record<string, unknown>;
  /** The record's own JSON text (JSON Lines input), written as it is: no number is rounded or turned to null. */
  raw?: string;
}

export type ReportFormat = "csv" | "jsonl";

export function reportFormat(path: string): ReportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "jsonl";
  throw new UsageError(`--report ${path}: the report format is chosen by extension: use .csv or .jsonl.`);
}

/**
 * The failure report: one row per lead that was not added, streamed to disk as outcomes arrive.
 * CSV: `row,outcome,reason` then the input's own columns, so the file can be fixed and re-imported
 * (the importer skips those three columns). JSONL: `{ row, outcome, reason, record }`.
 */
export class ReportWriter {
  written = 0;
  private readonly file: WriteStream;
  private readonly csv?: ReturnType<typeof stringify>;
  private readonly inputColumns?: string[];

  /** The first write error: the report is complete up to it, and the import stops. */
  error?: UsageError;

  constructor(
    readonly path: string,
    columns: string[] | undefined,
    options: { force?: boolean; onError?: (error: UsageError) => void } = {},
  ) {
    const fd = openOutput({ flag: "--report", path, isOurs: isReport }, { force: options.force });
    this.file = createWriteStream(path, { fd });
    this.file.on("error", (error) => {
      if (this.error) return;
      this.error = new UsageError(
        `Cannot write the report ${path}: ${error.message}. The import stopped.`,
        "Free some space or choose another --report path, then run the same command again to resume.",
      );
      options.onError?.(this.error);
    });
    if (reportFormat(path) === "csv") {
      // A report re-imported and failing again: keep its data columns, not a second row/outcome/reason.
      const data = columns?.filter((c, i) => !(i < REPORT_COLUMNS.length && c.toLowerCase() === REPORT_COLUMNS[i]));
      this.inputColumns = data;
      this.csv = stringify({
        header: true,
        columns: [...REPORT_COLUMNS, ...(data ?? ["record"])],
        // A cell starting with =, +, -, @, tab or CR would run as a formula in a spreadsheet: it gets a leading '.
        escape_formulas: true,
      });
      this.csv.pipe(this.file);
    }
  }

  write(entry: NotAdded): void {
    if (this.error) return;
    this.written++;
    if (this.csv) {
      const row: unknown[] = [entry.rowNumber, entry.outcome, entry.reason ?? ""];
      if (this.inputColumns) for (const c of this.inputColumns) row.push(cell(entry.record[c]));
      else row.push(JSON.stringify(entry.record));
      this.csv.write(row);
    } else {
      const line = { row: entry.rowNumber, outcome: entry.outcome, reason: entry.reason ?? null };
      const record = entry.raw ?? JSON.stringify(entry.record);
      this.file.write(`${JSON.stringify(line).slice(0, -1)},"record":${record}}\n`);
    }
  }

  /** Flushes and closes the file (a CSV report with no failures still has its header). */
  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.end();
    return this.closing;
  }

  private closing?: Promise<void>;

  private async end(): Promise<void> {
    if (this.csv) {
      this.csv.end();
    } else {
      this.file.end();
    }
    if (!this.file.closed) await once(this.file, "close").catch(() => undefined);
  }
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
