// LeadResult.code and duplicateOf: fields a program reads instead of parsing `reason`.
import { describe, expect, test } from "vitest";
import { createLeadBridge, LEAD_CODES, type LeadResult } from "../src/index.js";
import { OUTCOMES } from "../src/lead.js";

describe("lead codes", () => {
  test("every code belongs to one outcome, and every outcome has a code", () => {
    expect(new Set(Object.values(LEAD_CODES))).toEqual(new Set(OUTCOMES));
  });

  test("a repeat names the input index of its first occurrence in duplicateOf", async () => {
    const seen: LeadResult[] = [];
    const report = await createLeadBridge().addLeads(
      { vendor: "nlpearl", pearlId: "p" },
      [{ phone: "+14155550100" }, { phone: "nope" }, { phone: "+14155550101" }, { phone: "+1 415 555 0100" }],
      { dryRun: true, onResult: (r) => seen.push(r) },
    );
    expect(report.results.map((r) => r.code)).toEqual(["dry_run", "invalid_field", "dry_run", "duplicate_in_call"]);
    expect(report.results[3]).toMatchObject({ outcome: "duplicate", duplicateOf: 0 });
    expect(report.results[0]?.duplicateOf).toBeUndefined();
    expect(seen.find((r) => r.index === 3)?.duplicateOf).toBe(0);
    // The reasons kept their texts.
    expect(report.results[0]?.reason).toBe("dry_run");
    expect(report.results[3]?.reason).toBe("same phone as lead 0 of this call; not sent");
  });

  test("an aborted call: unsent leads are failed with code aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const report = await createLeadBridge({ nlpearl: { accountId: "acct", secretKey: "secret-key" } }).addLeads(
      { vendor: "nlpearl", pearlId: "p" },
      [{ phone: "+14155550100" }],
      { signal: controller.signal },
    );
    expect(report.results[0]).toMatchObject({ outcome: "failed", code: "aborted", reason: "aborted" });
  });
});
