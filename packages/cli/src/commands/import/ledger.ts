import type { Lead, LeadResult, Outcome } from "leadbridge";
import { NationalPhones } from "../../country.js";
import type { ImportJournal } from "../../journal.js";
import type { ReportWriter } from "../../report.js";
import { RowNumbers } from "../../row-numbers.js";
import { CodeCounts, type CodeGroup, DroppedFieldCounts, type DroppedFields, type RowCode } from "./codes.js";
import type { ResultsRecorder } from "./results.js";

export const OUTCOME_ORDER: Outcome[] = ["added", "duplicate", "skipped", "invalid", "rejected", "failed", "unknown"];

export type Counts = Record<Outcome, number>;
export const zero = (): Counts => ({
  added: 0,
  duplicate: 0,
  skipped: 0,
  invalid: 0,
  rejected: 0,
  failed: 0,
  unknown: 0,
});

/** An input row as the ledger keeps it while its lead is in the facade's hands. */
export interface LedgerRow {
  rowNumber: number;
  record: Record<string, unknown>;
  raw?: string;
}

export interface Sample {
  rowNumber: number;
  outcome: Outcome;
  reason?: string;
}

const MAX_SAMPLES = 10;
const EARLIER = "by an earlier run of this command; not sent again";

/**
 * The import's one account of rows: which rows are in the facade's hands (by its input index), the row
 * number of each lead handed over, the counts of this run and of earlier runs, every row counted by its code
 * (with a sample reason or two), and the first rows not added. Every row settles here exactly once, and goes on to the report and the journal.
 */
export class Ledger {
  /** Outcomes of rows settled in this run (by the facade or by the CLI). */
  readonly counts = zero();
  /** Outcomes of rows an earlier run settled, or left in doubt, and this one did not send. */
  readonly resumedCounts = zero();
  readonly samples: Sample[] = [];
  readonly nationalPhones = new NationalPhones();
  /** Rows settled by the CLI itself, never handed to the facade (its progress does not count them). */
  settledHere = 0;
  resumed = 0;
  /** Rows an earlier run left in doubt, reported unknown and not sent again. */
  inDoubtReported = 0;
  /** Leads a dry run found valid: the facade settles them `skipped` (code `dry_run`); the summary tells them apart. */
  wouldSend = 0;
  /** Rows the import stopped before reading (counted, and reported, as failed). */
  notRead = 0;
  private readonly codes = new CodeCounts();
  private readonly dropped = new DroppedFieldCounts();
  private readonly inFlight = new Map<number, LedgerRow>();
  private readonly rows = new RowNumbers();
  private nextIndex = 0;

  constructor(private readonly out: { report?: ReportWriter; journal?: ImportJournal; results?: ResultsRecorder }) {}

  /** A row whose lead goes to the facade next: its index there is the count of leads handed over so far. */
  handOver(row: LedgerRow, lead: Lead): void {
    this.out.results?.expect(row.rowNumber, lead);
    this.rows.push(row.rowNumber);
    this.inFlight.set(this.nextIndex++, { rowNumber: row.rowNumber, record: row.record, raw: row.raw });
  }

  /** The row number of a lead still in the facade's hands (for the journal's `sending` line). */
  rowOfIndex(index: number): number {
    return this.inFlight.get(index)?.rowNumber ?? 0;
  }

  /** A lead settled by the facade: released, counted, reported and journaled. */
  settle(result: LeadResult): void {
    const entry = this.inFlight.get(result.index);
    if (!entry) return;
    this.inFlight.delete(result.index);
    this.counts[result.outcome]++;
    if (result.code === "dry_run") this.wouldSend++;
    const lacking = this.nationalPhones.rows;
    const reason = this.rowReason(result);
    const code: RowCode = this.nationalPhones.rows > lacking ? "no_country_code" : result.code;
    this.codes.add(code, result.outcome, reason);
    this.out.results?.settle(entry.rowNumber, { outcome: result.outcome, code, reason, result });
    if (result.warnings) {
      this.dropped.add(result.warnings.map((w) => ({ field: w.field, reason: this.nationalPhones.warning(w.reason) })));
    }
    if (result.outcome !== "added" && result.code !== "dry_run") {
      this.notAdded({ ...entry, outcome: result.outcome, reason });
    }
    this.out.journal?.add({ rowNumber: entry.rowNumber, outcome: result.outcome, reason });
  }

  /** A row the CLI settles itself (a broken row, a repeat of an earlier run's): never sent. */
  settleHere(row: LedgerRow, outcome: Outcome, code: RowCode, reason: string): void {
    this.counts[outcome]++;
    this.codes.add(code, outcome, reason);
    this.settledHere++;
    this.out.results?.settle(row.rowNumber, { outcome, code, reason }, row.record);
    this.notAdded({ ...row, outcome, reason });
    this.out.journal?.add({ rowNumber: row.rowNumber, outcome, reason });
  }

  /** A row an earlier run settled (or left in doubt): counted apart, reported again, not journaled again. */
  resumedRow(row: LedgerRow, outcome: Outcome, reason?: string, inDoubt = false): void {
    this.resumed++;
    this.resumedCounts[outcome]++;
    const code = inDoubt ? "in_doubt_earlier_run" : "earlier_run";
    this.codes.add(code, outcome, reason);
    this.out.results?.settle(
      row.rowNumber,
      { outcome, code, reason: reason ?? `${outcome === "added" ? "added" : "settled"} ${EARLIER}` },
      row.record,
    );
    if (inDoubt) this.inDoubtReported++;
    if (outcome !== "added") this.notAdded({ ...row, outcome, reason });
  }

  /** A row the import stopped before reading: failed, so that the summary covers the whole file. */
  unread(row: LedgerRow, reason: string): void {
    this.notRead++;
    this.counts.failed++;
    this.codes.add("not_read", "failed", reason);
    this.out.results?.settle(row.rowNumber, { outcome: "failed", code: "not_read", reason }, row.record);
    this.notAdded({ ...row, outcome: "failed", reason });
  }

  /** This run's counts and earlier runs' together. */
  total(): Counts {
    const total = zero();
    for (const outcome of OUTCOME_ORDER) total[outcome] = this.counts[outcome] + this.resumedCounts[outcome];
    return total;
  }

  /** Every row by code (this run's and earlier runs'), largest group first: the counts add up to the total. */
  byCode(): CodeGroup[] {
    return this.codes.list();
  }

  /** Fields dropped from rows as unusable (the row went on without them), by field. */
  droppedFields(): DroppedFields {
    return this.dropped.list();
  }

  private notAdded(entry: LedgerRow & Sample): void {
    this.out.report?.write(entry);
    const { reason, outcome, rowNumber } = entry;
    if (this.samples.length < MAX_SAMPLES && outcome !== "duplicate") this.samples.push({ rowNumber, outcome, reason });
  }

  /** The facade's reason as a person reading the file needs it: rows, not the call's lead indexes. */
  private rowReason(result: LeadResult): string | undefined {
    if (result.code === "input_failed") {
      return "not sent: reading the input failed before this row's batch was sent";
    }
    if (result.reason === undefined) return undefined;
    const reason = this.nationalPhones.reason(result.reason);
    if (result.duplicateOf === undefined) return reason;
    return reason.replace(
      `lead ${result.duplicateOf} of this call`,
      `row ${this.rows.rowOf(result.duplicateOf) ?? "?"}`,
    );
  }
}
