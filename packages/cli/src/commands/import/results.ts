import { once } from "node:events";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Destination, Lead, LeadResult } from "leadbridge";
import type { UsageError } from "../../errors.js";
import { type ResultRow, type ResultsFileWriter, writeResultsFile } from "../../results-file.js";
import { destinationKind } from "../../vendors.js";
import type { Io } from "../context.js";
import type { RowCode } from "./codes.js";
import type { ImportPlan } from "./flags.js";

/**
 * `--results <path>` and `--json-rows`: every row's outcome, in row order. The rows of `--json-rows` go
 * through a private temporary JSON Lines file, printed inside the summary's JSON at the end.
 */
export class ImportResults {
  readonly recorder: ResultsRecorder;
  readonly file?: ResultsFileWriter;
  private readonly rows?: ResultsFileWriter;
  private readonly rowsDir?: string;

  private constructor(plan: ImportPlan, toLead: (record: Record<string, unknown>) => Lead, onError: () => void) {
    const { flags } = plan;
    const force = flags.force === true;
    if (flags.results) this.file = writeResultsFile(flags.results, { force, onError });
    if (flags.jsonRows) {
      this.rowsDir = mkdtempSync(join(tmpdir(), "leadbridge-rows-"));
      this.rows = writeResultsFile(join(this.rowsDir, "rows.jsonl"), { flag: "--json-rows", onError });
    }
    const sinks = [this.file, this.rows].filter((sink) => sink !== undefined);
    this.recorder = new ResultsRecorder(sinks, plan.destination, toLead);
  }

  /** Results for this import, or nothing when neither flag asks for them. */
  static open(plan: ImportPlan, toLead: (record: Record<string, unknown>) => Lead, onError: () => void) {
    return plan.flags.results || plan.flags.jsonRows ? new ImportResults(plan, toLead, onError) : undefined;
  }

  /** The first write error of either file. */
  get error(): UsageError | undefined {
    return this.file?.error ?? this.rows?.error;
  }

  /** Every row written (a row still pending is written as unknown) and the files flushed. */
  async finish(): Promise<void> {
    this.recorder.end();
    await Promise.all([this.file?.close(), this.rows?.close()]);
  }

  /** The summary's JSON with the rows last. */
  async printJson(summaryJson: string, io: Io): Promise<void> {
    await this.finish();
    await printJsonRows(summaryJson, this.rows!.path, io);
  }

  async close(): Promise<void> {
    await this.finish();
    if (this.rowsDir) rmSync(this.rowsDir, { recursive: true, force: true });
  }
}

type Identity = Pick<ResultRow, "email" | "phone" | "linkedinUrl">;
/** What the ledger knows of a settled row; the recorder adds the vendor, destination and identity. */
export type Settled = Pick<ResultRow, "outcome"> & {
  code: RowCode;
  reason?: string;
  result?: Pick<LeadResult, "vendorLeadId" | "warnings" | "destinationId">;
};

const NO_OUTCOME = "LeadBridge recorded no outcome for this row";

/**
 * Every row's outcome to the results file(s), in row (reading) order as outcomes settle. A row handed
 * to the facade takes its place when read; rows settled after it wait until it settles. So only the
 * rows behind the oldest unsettled lead are held: about the leads in flight.
 */
export class ResultsRecorder {
  /** Rows in reading order from the oldest unsettled one: a settled record, or the identity of a pending row. */
  private slots: Array<ResultRow | Identity> = [];
  private readonly pending = new Map<number, number>();
  /** Absolute position of `slots[0]`. */
  private base = 0;
  private head = 0;
  private readonly vendor: string;
  private readonly destinationId: string;

  constructor(
    private readonly sinks: ResultsFileWriter[],
    destination: Destination,
    private readonly toLead: (record: Record<string, unknown>) => Lead,
  ) {
    this.vendor = destination.vendor;
    const values = destination as unknown as Record<string, unknown>;
    this.destinationId = String(values[destinationKind(destination).fields[0]!.option] ?? "");
  }

  /** A row handed to the facade: its place in the file is kept until it settles. */
  expect(rowNumber: number, lead: Lead): void {
    this.pending.set(rowNumber, this.base + this.slots.length);
    this.slots.push(identity(lead));
  }

  /** A row's outcome: written now if no earlier row is pending, else when they have settled. */
  settle(rowNumber: number, settled: Settled, record?: Record<string, unknown>): void {
    const at = this.pending.get(rowNumber);
    const known = at === undefined ? this.identityOf(record) : (this.slots[at - this.base] as Identity);
    const row: ResultRow = {
      row: rowNumber,
      outcome: settled.outcome,
      code: settled.code,
      reason: settled.reason ?? "",
      vendor: this.vendor,
      destination: settled.result?.destinationId ?? this.destinationId,
      vendorLeadId: settled.result?.vendorLeadId ?? "",
      ...known,
      warnings: settled.result?.warnings ?? [],
    };
    if (at !== undefined) {
      this.pending.delete(rowNumber);
      this.slots[at - this.base] = row;
    } else if (this.head === this.slots.length) {
      this.emit(row);
      return;
    } else {
      this.slots.push(row);
    }
    this.flush();
  }

  /** Writes what is left; a row that never settled (a bug) is written as unknown, never left out. */
  end(): void {
    for (const [rowNumber] of this.pending) {
      this.settle(rowNumber, { outcome: "unknown", code: "unknown_outcome", reason: NO_OUTCOME });
    }
    this.flush();
  }

  private flush(): void {
    while (this.head < this.slots.length && "row" in this.slots[this.head]!) {
      this.emit(this.slots[this.head++] as ResultRow);
    }
    if (this.head === this.slots.length) {
      this.base += this.head;
      this.slots = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.base += this.head;
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  private emit(row: ResultRow): void {
    for (const sink of this.sinks) sink.write(row);
  }

  private identityOf(record: Record<string, unknown> | undefined): Identity {
    try {
      return identity(record ? this.toLead(record) : {});
    } catch {
      return identity({}); // a broken row may not map: it is still listed
    }
  }
}

function identity(lead: Lead): Identity {
  const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
  return { email: text(lead.email), phone: text(lead.phone), linkedinUrl: text(lead.linkedinUrl) };
}

/**
 * `--json-rows`: the summary's JSON document with a `rows` array last, streamed from the rows' file
 * (JSON Lines), so that a large import's rows are never held in memory at once.
 */
async function printJsonRows(summaryJson: string, rowsPath: string, io: Io): Promise<void> {
  const write = async (text: string) => {
    if (!io.stdout.write(text)) await once(io.stdout, "drain");
  };
  await write(`${summaryJson.replace(/\n}$/, "")},\n  "rows": [`);
  let first = true;
  const lines = createInterface({ input: createReadStream(rowsPath), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line) continue;
    await write(`${first ? "" : ","}\n    ${line}`);
    first = false;
  }
  await write(`${first ? "" : "\n  "}]\n}\n`);
}
