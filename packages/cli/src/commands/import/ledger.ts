import type { LeadResult, Outcome } from "leadbridge";
import { NationalPhones } from "../../country.js";
import type { ImportJournal } from "../../journal.js";
import type { ReportWriter } from "../../report.js";
import { RowNumbers } from "../../row-numbers.js";

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
const MAX_REASONS = 1000;

/**
 * The import's one account of rows: which rows are in the facade's hands (by its input index), the row
 * number of each lead handed over, the counts of this run and of earlier runs, the most common reasons and
 * the first rows not added. Every row settles here exactly once, and goes on to the report and the journal.
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
  /** Rows the import stopped before reading (counted, and reported, as failed). */
  notRead = 0;
  private readonly reasons = new Map<string, number>();
  private readonly inFlight = new Map<number, LedgerRow>();
  private readonly rows = new RowNumbers();
  private nextIndex = 0;

  constructor(private readonly out: { report?: ReportWriter; journal?: ImportJournal }) {}

  /** A row whose lead goes to the facade next: its index there is the count of leads handed over so far. */
  handOver(row: LedgerRow): void {
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
    const reason = this.rowReason(result);
    if (result.outcome !== "added" && result.code !== "dry_run") {
      this.notAdded({ ...entry, outcome: result.outcome, reason });
    }
    this.out.journal?.add({ rowNumber: entry.rowNumber, outcome: result.outcome, reason });
  }

  /** A row the CLI settles itself (a broken row, a repeat of an earlier run's): never sent. */
  settleHere(row: LedgerRow, outcome: Outcome, reason: string): void {
    this.counts[outcome]++;
    this.settledHere++;
    this.notAdded({ ...row, outcome, reason });
    this.out.journal?.add({ rowNumber: row.rowNumber, outcome, reason });
  }

  /** A row an earlier run settled (or left in doubt): counted apart, reported again, not journaled again. */
  resumedRow(row: LedgerRow, outcome: Outcome, reason?: string, inDoubt = false): void {
    this.resumed++;
    this.resumedCounts[outcome]++;
    if (inDoubt) this.inDoubtReported++;
    if (outcome !== "added") this.notAdded({ ...row, outcome, reason });
  }

  /** A row the import stopped before reading: failed, so that the summary covers the whole file. */
  unread(row: LedgerRow, reason: string): void {
    this.notRead++;
    this.counts.failed++;
    this.notAdded({ ...row, outcome: "failed", reason });
  }

  /** This run's counts and earlier runs' together. */
  total(): Counts {
    const total = zero();
    for (const outcome of OUTCOME_ORDER) total[outcome] = this.counts[outcome] + this.resumedCounts[outcome];
    return total;
  }

  /** The most common reasons, most common first. */
  topReasons(n = 5): Array<[string, number]> {
    return [...this.reasons].sort((a, b) => b[1] - a[1]).slice(0, n);
  }

  private notAdded(entry: LedgerRow & Sample): void {
    this.out.report?.write(entry);
    const { reason, outcome, rowNumber } = entry;
    if (reason !== undefined && (this.reasons.size < MAX_REASONS || this.reasons.has(reason))) {
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    }
    if (this.samples.length < MAX_SAMPLES && outcome !== "duplicate") this.samples.push({ rowNumber, outcome, reason });
  }

  /** The facade's reason as a person reading the file needs it: rows, not the call's lead indexes. */
  private rowReason(result: LeadResult): string | undefined {
    // A lead the call left unsent carries the stopping error's code as its reason.
    if (result.code === "not_sent" && result.reason === "input_error") {
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
