// The report's bookkeeping: each lead settles exactly once, in any order, and without kept results
// its memory follows the leads in flight rather than the input.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type LeadCode, OUTCOMES, type Outcome } from "../src/lead.js";
import { ReportBuilder, ReportInvariantError } from "../src/report.js";

/** Indices 0..n-1 settled in a shuffled order where no lead waits more than `window` places. */
const nearlyInOrder = fc
  .record({ n: fc.integer({ min: 0, max: 3000 }), window: fc.integer({ min: 1, max: 600 }), seed: fc.integer() })
  .map(({ n, window, seed }) => {
    const order = Array.from({ length: n }, (_, i) => i);
    let x = seed | 1;
    for (let i = 0; i < n; i++) {
      x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) | 1;
      const j = Math.min(n - 1, i + ((x >>> 0) % window));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  });

/** A code of each outcome: the builder settles by code, and the outcome follows. */
const CODE_OF: Record<Outcome, LeadCode> = {
  added: "added",
  duplicate: "vendor_duplicate",
  skipped: "dry_run",
  invalid: "invalid_field",
  rejected: "rejected_by_vendor",
  failed: "not_sent",
  unknown: "unknown_outcome",
};

describe("ReportBuilder", () => {
  test.each([true, false])("keepResults %s: every order settles, counts add up, results are per index", (keep) => {
    fc.assert(
      fc.property(nearlyInOrder, (order) => {
        const seen: number[] = [];
        const builder = new ReportBuilder(keep, (r) => seen.push(r.index));
        for (const i of order) builder.settle(i, CODE_OF[OUTCOMES[i % OUTCOMES.length]!], `reason ${i}`);
        const report = builder.finish(order.length, false);
        expect(seen).toEqual(order);
        expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(order.length);
        if (keep) {
          expect(report.results.map((r) => [r.index, r.outcome, r.reason])).toEqual(
            order.map((_, i) => [i, OUTCOMES[i % OUTCOMES.length], `reason ${i}`]),
          );
        } else {
          expect(report.results).toEqual([]);
        }
      }),
    );
  });

  test("kept results are built on first read and behave as a plain property: same array, in JSON and spreads, assignable", () => {
    const builder = new ReportBuilder(true);
    builder.settle(1, "invalid_field", "email is missing");
    builder.settle(0, "added", undefined, "v-0");
    const report = builder.finish(2, false);
    expect(Object.keys(report)).toEqual(["total", "counts", "results", "warnings", "dryRun"]);
    const first = report.results;
    expect(report.results).toBe(first);
    expect(first).toEqual([
      { index: 0, outcome: "added", code: "added", vendorLeadId: "v-0" },
      { index: 1, outcome: "invalid", code: "invalid_field", reason: "email is missing" },
    ]);
    expect(JSON.parse(JSON.stringify(report)).results).toEqual(first);
    expect({ ...report }.results).toBe(first);
    // A report never read is serialized the same: the property builds itself on the way.
    const unread = new ReportBuilder(true);
    unread.settle(0, "added");
    expect(JSON.parse(JSON.stringify(unread.finish(1, true)))).toEqual({
      total: 1,
      counts: expect.objectContaining({ added: 1 }),
      results: [{ index: 0, outcome: "added", code: "added" }],
      warnings: [],
      dryRun: true,
    });
    report.results = [];
    expect(report.results).toEqual([]);
  });

  test.each([true, false])("keepResults %s: a second settle of any lead is refused", (keep) => {
    fc.assert(
      fc.property(nearlyInOrder, fc.nat(), (order, pick) => {
        fc.pre(order.length > 0);
        const builder = new ReportBuilder(keep);
        for (const i of order) builder.settle(i, "added");
        const again = order[pick % order.length]!;
        expect(() => builder.settle(again, "not_sent")).toThrow(ReportInvariantError);
        expect(() => builder.settle(again, "not_sent")).toThrow(`lead ${again} settled twice`);
      }),
    );
  });

  test.each([true, false])("keepResults %s: a lead that never settled is named", (keep) => {
    fc.assert(
      fc.property(nearlyInOrder, fc.nat(), (order, pick) => {
        fc.pre(order.length > 0);
        const missing = order[pick % order.length]!;
        const builder = new ReportBuilder(keep);
        for (const i of order) if (i !== missing) builder.settle(i, "added");
        expect(() => builder.finish(order.length, false)).toThrow(
          `1 of ${order.length} leads never settled (first: ${missing})`,
        );
      }),
    );
  });

  test("without kept results, a million leads in order use a few kilobytes, not a megabyte", () => {
    const builder = new ReportBuilder(false);
    for (let i = 0; i < 1_000_000; i++) builder.settle(i, "added");
    expect(builder.finish(1_000_000, false).counts.added).toBe(1_000_000);
    // The outcome codes are the only per-lead storage.
    expect((builder as unknown as { codes: Uint8Array }).codes.length).toBeLessThanOrEqual(2048);
  });
});
