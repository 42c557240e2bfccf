import type { LeadResult } from "leadbridge";
import { describe, expect, it } from "vitest";
import { Ledger } from "../src/commands/import/ledger.js";
import type { Journal, JournalEntry } from "../src/journal.js";
import type { NotAdded, ReportWriter } from "../src/report.js";

/** A ledger whose report and journal are lists, and rows handed over as the input numbers them. */
function ledgerWithRows(rowNumbers: number[]) {
  const reported: NotAdded[] = [];
  const journaled: JournalEntry[] = [];
  const ledger = new Ledger({
    report: { write: (entry: NotAdded) => reported.push(entry) } as unknown as ReportWriter,
    journal: { add: (entry: JournalEntry) => journaled.push(entry) } as unknown as Journal,
  });
  for (const rowNumber of rowNumbers)
    ledger.handOver({ rowNumber, record: { email: `row${rowNumber}@example.com` } }, {});
  return { ledger, reported, journaled };
}

describe("Ledger", () => {
  it("tells a within-call duplicate by the row of the lead `duplicateOf` names", () => {
    // Rows 2, 3, 9: the header is row 1, and rows 4–8 were settled before the facade saw them.
    const { ledger, reported, journaled } = ledgerWithRows([2, 3, 9]);
    const result: LeadResult = {
      index: 2,
      outcome: "duplicate",
      code: "duplicate_in_call",
      duplicateOf: 1,
      reason: "same email as lead 1 of this call; not sent",
    };
    ledger.settle(result);
    expect(reported).toMatchObject([{ rowNumber: 9, outcome: "duplicate", reason: "same email as row 3; not sent" }]);
    expect(journaled).toEqual([{ rowNumber: 9, outcome: "duplicate", reason: "same email as row 3; not sent" }]);
    expect(ledger.counts.duplicate).toBe(1);
  });

  it("reads no index out of the prose of a result that carries a code", () => {
    const { ledger, reported } = ledgerWithRows([2, 3]);
    ledger.settle({ index: 1, outcome: "rejected", code: "rejected_by_vendor", reason: "lead 0 of this call said no" });
    expect(reported[0]?.reason).toBe("lead 0 of this call said no");
  });

  it("branches on codes: dry-run leads are counted, not reported; an input error is told for the row", () => {
    const { ledger, reported, journaled } = ledgerWithRows([2, 3]);
    ledger.settle({ index: 0, outcome: "skipped", code: "dry_run", reason: "dry_run" });
    ledger.settle({ index: 1, outcome: "failed", code: "input_failed", reason: "input_error" });
    expect(ledger.counts).toMatchObject({ skipped: 1, failed: 1 });
    expect(reported).toMatchObject([
      { rowNumber: 3, reason: "not sent: reading the input failed before this row's batch was sent" },
    ]);
    expect(journaled.map((entry) => entry.rowNumber)).toEqual([2, 3]);
  });

  it("settles each lead once: a second result for the same index is ignored, and the row is released", () => {
    const { ledger, journaled } = ledgerWithRows([2]);
    const added: LeadResult = { index: 0, outcome: "added", code: "added" };
    ledger.settle(added);
    ledger.settle(added);
    expect(ledger.counts.added).toBe(1);
    expect(journaled).toHaveLength(1);
    expect(ledger.rowOfIndex(0)).toBe(0); // no longer in flight
  });

  it("keeps earlier runs' rows apart, and totals both", () => {
    const { ledger, reported, journaled } = ledgerWithRows([]);
    ledger.resumedRow({ rowNumber: 2, record: {} }, "added");
    ledger.resumedRow({ rowNumber: 3, record: {} }, "unknown", "in doubt", true);
    ledger.settleHere({ rowNumber: 4, record: {} }, "invalid", "broken_row", "no email");
    ledger.unread({ rowNumber: 5, record: {} }, "not read");
    expect(ledger.total()).toMatchObject({ added: 1, unknown: 1, invalid: 1, failed: 1 });
    expect(ledger.counts).toMatchObject({ added: 0, invalid: 1, failed: 1 });
    expect([ledger.resumed, ledger.inDoubtReported, ledger.notRead, ledger.settledHere]).toEqual([2, 1, 1, 1]);
    expect(reported.map((entry) => entry.rowNumber)).toEqual([3, 4, 5]);
    expect(journaled.map((entry) => entry.rowNumber)).toEqual([4]); // earlier runs' rows are journaled already
    expect(ledger.samples.map((sample) => sample.rowNumber)).toEqual([3, 4, 5]);
    expect(ledger.byCode()).toEqual([
      { code: "earlier_run", outcome: "added", count: 1, samples: [] },
      { code: "in_doubt_earlier_run", outcome: "unknown", count: 1, samples: ["in doubt"] },
      { code: "broken_row", outcome: "invalid", count: 1, samples: ["no email"] },
      { code: "not_read", outcome: "failed", count: 1, samples: ["not read"] },
    ]);
  });

  it("counts the fields dropped from rows by field, with samples; the rows stay out of the report", () => {
    const { ledger, reported } = ledgerWithRows([2, 3, 4]);
    const phone = (value: string) => ({
      field: "phone",
      code: "dropped_field" as const,
      reason: `phone "${value}" is not a valid phone number (write it with its country code, e.g. +1…, or set the defaultCountry option); sent without it`,
    });
    const email = {
      field: "email",
      code: "dropped_field" as const,
      reason: 'email "n/a" is not a valid email address; sent without it',
    };
    ledger.settle({ index: 0, outcome: "added", code: "added", warnings: [phone("ext. 204")] });
    ledger.settle({ index: 1, outcome: "added", code: "added", warnings: [phone("12345"), email] });
    ledger.settle({ index: 2, outcome: "added", code: "added" });
    expect(reported).toEqual([]);
    const dropped = ledger.droppedFields();
    expect(dropped.rows).toBe(2);
    expect(dropped.total).toBe(3);
    expect(dropped.byField.map((g) => [g.field, g.count])).toEqual([
      ["phone", 2],
      ["email", 1],
    ]);
    expect(dropped.byField.reduce((sum, g) => sum + g.count, 0)).toBe(dropped.total);
    // The facade's hint names its option; the CLI's names the flag, and counts the phones it would have kept.
    expect(dropped.byField[0]!.samples[0]).toContain("or pass --default-country");
    expect(ledger.nationalPhones.dropped).toBe(2);
    expect(ledger.nationalPhones.rows).toBe(0);
  });
});
