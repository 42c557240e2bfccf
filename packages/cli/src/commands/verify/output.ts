// What `leadbridge verify` writes: each row with what the read found (`--out`, `--json`), and the summary.
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { stringify } from "csv-stringify";
import type { Outcome, VerifyResult } from "leadbridge";
import { UsageError } from "../../errors.js";
import { openOutput } from "../../files.js";
import { RESULT_FIELDS, type ResultRow, resultsFormat } from "../../results-file.js";

/** The row as the results file had it, settled (an unknown found present is `added`), and what was found. */
export type VerifiedRow = ResultRow & {
  verified: string;
  verifyReason: string;
  /** NLPearl: the lead's status and its last call's status (NLPearl's numbers), where the API gives them. */
  leadStatus: string;
  lastCallStatus: string;
};

export const VERIFIED_FIELDS = [...RESULT_FIELDS, "verified", "verifyReason", "leadStatus", "lastCallStatus"] as const;

export function verifiedRow(result: VerifyResult<{ outcome: Outcome; record: ResultRow }>): VerifiedRow {
  const { record } = result.lead;
  const settled = result.outcome !== record.outcome;
  return {
    ...record,
    outcome: result.outcome as Outcome,
    // Settled to added: the import's code and reason (the lost answer) no longer apply.
    code: settled ? "added" : record.code,
    reason: settled ? "" : record.reason,
    vendorLeadId: record.vendorLeadId || (result.vendorLeadId ?? ""),
    verified: result.verified,
    verifyReason: result.reason ?? "",
    leadStatus: result.nlpearl?.status === undefined ? "" : String(result.nlpearl.status),
    lastCallStatus: result.nlpearl?.lastCall?.status === undefined ? "" : String(result.nlpearl.lastCall.status),
  };
}

/** A file starting with the header (CSV) or a record (JSONL) of a verify output. */
function isOurs(head: string): boolean {
  return head.startsWith(`${RESULT_FIELDS.join(",")},verified`) || /^\{"row":\d+,"outcome":/.test(head);
}

/** `--out`: the rows in the results file's format (by extension), with the verify fields after the others. */
export class VerifiedWriter {
  private readonly file: WriteStream;
  private readonly csv?: ReturnType<typeof stringify>;
  private failure?: Error;

  constructor(
    readonly path: string,
    force: boolean,
  ) {
    const format = resultsFormat(path, "--out");
    this.file = createWriteStream(path, { fd: openOutput({ flag: "--out", path, isOurs }, { force }) });
    this.file.on("error", (error) => {
      this.failure ??= error;
    });
    if (format === "csv") {
      this.csv = stringify({ header: true, columns: [...VERIFIED_FIELDS], escape_formulas: true });
      this.csv.pipe(this.file);
    }
  }

  async write(row: VerifiedRow): Promise<void> {
    if (this.failure) throw new UsageError(`Cannot write --out ${this.path}: ${this.failure.message}`);
    if (this.csv) {
      const warnings = Array.isArray(row.warnings)
        ? row.warnings.map((w) => `${w?.field}: ${w?.reason}`).join("; ")
        : String(row.warnings ?? "");
      const ok = this.csv.write(VERIFIED_FIELDS.map((f) => (f === "warnings" ? warnings : row[f])));
      if (!ok) await once(this.csv, "drain");
    } else if (!this.file.write(`${JSON.stringify(row)}\n`)) {
      await once(this.file, "drain");
    }
  }

  async close(): Promise<void> {
    if (this.csv) this.csv.end();
    else this.file.end();
    if (!this.file.closed) await once(this.file, "close").catch(() => undefined);
    if (this.failure) throw new UsageError(`Cannot write --out ${this.path}: ${this.failure.message}`);
  }
}

export interface VerifyTally {
  rows: number;
  present: number;
  missing: number;
  cannotCheck: number;
  notChecked: number;
  /** Unknowns the read settled: found (now `added`) or not found. */
  unknownsAdded: number;
  unknownsMissing: number;
  /** Why leads could not be checked, with how many each. */
  cannotCheckReasons: Record<string, number>;
}

export function emptyTally(): VerifyTally {
  return {
    rows: 0,
    present: 0,
    missing: 0,
    cannotCheck: 0,
    notChecked: 0,
    unknownsAdded: 0,
    unknownsMissing: 0,
    cannotCheckReasons: {},
  };
}

export function count(tally: VerifyTally, row: VerifiedRow, wasUnknown: boolean): void {
  tally.rows++;
  if (row.verified === "present") tally.present++;
  else if (row.verified === "missing") tally.missing++;
  else if (row.verified === "cannot_check") {
    tally.cannotCheck++;
    tally.cannotCheckReasons[row.verifyReason] = (tally.cannotCheckReasons[row.verifyReason] ?? 0) + 1;
  } else tally.notChecked++;
  if (wasUnknown && row.verified === "present") tally.unknownsAdded++;
  if (wasUnknown && row.verified === "missing") tally.unknownsMissing++;
}

/** The summary a person reads. */
export function summaryText(tally: VerifyTally, file: string, where: string[]): string {
  const n = (value: number) => value.toLocaleString("en-US").padStart(7);
  const lines = [
    `Verified ${file} against ${where.join(", ") || "no destination"}: ${tally.rows.toLocaleString("en-US")} rows`,
    `${n(tally.present)}  present`,
    `${n(tally.missing)}  missing`,
    `${n(tally.cannotCheck)}  cannot check`,
    ...Object.entries(tally.cannotCheckReasons).map(
      ([reason, k]) => `           ${k.toLocaleString("en-US")} × ${reason}`,
    ),
    `${n(tally.notChecked)}  not checked (the import did not report them added or unknown)`,
    `Unknowns settled: ${tally.unknownsAdded.toLocaleString("en-US")} became added, ${tally.unknownsMissing.toLocaleString("en-US")} missing.`,
  ];
  return `${lines.join("\n")}\n`;
}
