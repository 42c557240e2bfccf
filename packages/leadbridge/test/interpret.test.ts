// Each adapter's reading of an answer, as a table: status and body in, per-lead codes out. Against the
// per-call object `open` returns, with no server: interpretation is pure.
import { describe, expect, test } from "vitest";
import type { OpenAdapter, VendorAnswer } from "../src/adapters/adapter.js";
import { amplemarket } from "../src/adapters/amplemarket.js";
import { instantly } from "../src/adapters/instantly.js";
import { nlpearl } from "../src/adapters/nlpearl.js";
import { LEAD_CODES } from "../src/lead.js";

interface Row {
  name: string;
  status: number;
  data?: unknown;
  error?: unknown;
  size: number;
  afterUnknownOutcome?: boolean;
  codes: string[];
  reason?: RegExp;
  warnings?: number;
  closes?: boolean;
}

const answer = (row: Row): VendorAnswer => ({
  status: row.status,
  data: row.data,
  error: row.error,
  headers: new Headers(),
});

function check(open: () => OpenAdapter<unknown>, rows: Row[]) {
  test.each(rows)("$name", (row) => {
    const result = open().interpret(answer(row), row.size, {
      afterUnknownOutcome: row.afterUnknownOutcome ?? false,
      label: "batch 0",
    });
    expect(result.outcomes.map((o) => o.code)).toEqual(row.codes);
    for (const o of result.outcomes) expect(Object.keys(LEAD_CODES)).toContain(o.code);
    if (row.reason) for (const o of result.outcomes) expect(o.reason).toMatch(row.reason);
    expect(result.warnings?.length ?? 0).toBe(row.warnings ?? 0);
    expect(result.closeDestination !== undefined).toBe(row.closes ?? false);
  });
}

const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";
const summary = (fields: Record<string, unknown>) => ({ total_sent: 3, ...fields });

describe("Instantly", () => {
  check(
    () => instantly.open({ vendor: "instantly", campaignId: CAMPAIGN }, undefined, {}),
    [
      {
        name: "every lead created, with ids",
        status: 200,
        data: summary({ leads_uploaded: 3, created_leads: [0, 1, 2].map((index) => ({ index, id: `id-${index}` })) }),
        size: 3,
        codes: ["added", "added", "added"],
      },
      {
        name: "one created, two already in the campaign",
        status: 200,
        data: summary({ leads_uploaded: 1, created_leads: [{ index: 1, id: "x" }], duplicated_leads: 2 }),
        size: 3,
        codes: ["vendor_duplicate", "added", "vendor_duplicate"],
      },
      {
        name: "skipped by a skip_if_in option",
        status: 200,
        data: summary({ leads_uploaded: 0, created_leads: [], skipped_count: 3 }),
        size: 3,
        codes: ["skipped_by_option", "skipped_by_option", "skipped_by_option"],
      },
      {
        name: "blocklisted",
        status: 200,
        data: summary({ leads_uploaded: 0, created_leads: [], in_blocklist: 3 }),
        size: 3,
        codes: ["blocklisted", "blocklisted", "blocklisted"],
      },
      {
        name: "invalid emails",
        status: 200,
        data: summary({ leads_uploaded: 0, created_leads: [], invalid_email_count: 3 }),
        size: 3,
        codes: ["invalid_by_vendor", "invalid_by_vendor", "invalid_by_vendor"],
      },
      {
        name: "mixed counts without saying which lead had which",
        status: 200,
        data: summary({ leads_uploaded: 0, created_leads: [], duplicated_leads: 1, in_blocklist: 2 }),
        size: 3,
        codes: ["not_added", "not_added", "not_added"],
        reason: /1 duplicate, 2 blocklisted/,
      },
      {
        name: "counts that do not add up",
        status: 200,
        data: summary({ leads_uploaded: 0, created_leads: [], duplicated_leads: 1 }),
        size: 3,
        codes: ["not_added", "not_added", "not_added"],
        warnings: 1,
      },
      {
        name: "uploaded count above the listed leads",
        status: 200,
        data: summary({ leads_uploaded: 2, created_leads: [{ index: 0, id: "x" }] }),
        size: 3,
        codes: ["added", "ambiguous_answer", "ambiguous_answer"],
        warnings: 1,
      },
      { name: "no summary", status: 200, data: null, size: 2, codes: ["ambiguous_answer", "ambiguous_answer"] },
      {
        name: "a 400 refuses the batch",
        status: 400,
        error: { message: "bad body" },
        size: 2,
        codes: ["rejected_by_vendor", "rejected_by_vendor"],
        reason: /Instantly refused the batch \(400\): bad body/,
      },
      {
        name: "after a lost answer, a duplicate says the lost attempt may have added it",
        status: 200,
        data: summary({ leads_uploaded: 0, created_leads: [], duplicated_leads: 3 }),
        size: 3,
        afterUnknownOutcome: true,
        codes: ["vendor_duplicate", "vendor_duplicate", "vendor_duplicate"],
        reason: /whose answer was lost/,
      },
    ],
  );
});

describe("Amplemarket", () => {
  check(
    () => amplemarket.open({ vendor: "amplemarket", listId: "l", type: "email" }, undefined, {}),
    [
      {
        name: "all added",
        status: 202,
        data: { total: 2, total_added_to_lead_list: 2 },
        size: 2,
        codes: ["added", "added"],
      },
      {
        name: "none added: already in the list",
        status: 202,
        data: { total: 2, total_added_to_lead_list: 0 },
        size: 2,
        codes: ["vendor_duplicate", "vendor_duplicate"],
      },
      {
        name: "some added, without saying which",
        status: 202,
        data: { total: 2, total_added_to_lead_list: 1 },
        size: 2,
        codes: ["ambiguous_answer", "ambiguous_answer"],
      },
      { name: "no counts", status: 202, data: {}, size: 1, codes: ["ambiguous_answer"] },
      {
        name: "409: the list is full, and closes",
        status: 409,
        size: 2,
        codes: ["list_full", "list_full"],
        reason: /^list_full$/,
        closes: true,
      },
      {
        name: "409 after a lost answer: unknown",
        status: 409,
        size: 1,
        afterUnknownOutcome: true,
        codes: ["unknown_outcome"],
        closes: true,
      },
      {
        name: "400 names a lead by pointer; the others were refused with it",
        status: 400,
        error: { _errors: [{ detail: "bad email", source: { pointer: "/leads/1/email" } }] },
        size: 3,
        codes: ["rejected_by_vendor", "invalid_by_vendor", "rejected_by_vendor"],
      },
      {
        name: "422 refuses the batch",
        status: 422,
        error: { message: "nope" },
        size: 1,
        codes: ["rejected_by_vendor"],
      },
    ],
  );
});

describe("NLPearl", () => {
  check(
    () => nlpearl.open({ vendor: "nlpearl", pearlId: "p" }, undefined, {}),
    [
      { name: "true: all added", status: 200, data: true, size: 2, codes: ["added", "added"] },
      {
        name: "true after a lost answer: added, maybe twice",
        status: 200,
        data: true,
        size: 1,
        afterUnknownOutcome: true,
        codes: ["added_maybe_twice"],
      },
      { name: "anything but true", status: 200, data: false, size: 1, codes: ["ambiguous_answer"] },
      {
        name: "400 naming a lead: it is invalid, the others unknown",
        status: 400,
        error: { errors: { "leads[0].phoneNumber": ["bad phone"] } },
        size: 2,
        codes: ["invalid_by_vendor", "ambiguous_answer"],
      },
      {
        name: "400 naming no lead refuses the batch",
        status: 400,
        error: { errors: { body: ["unreadable"] } },
        size: 2,
        codes: ["rejected_by_vendor", "rejected_by_vendor"],
      },
      { name: "422 refuses the batch", status: 422, size: 1, codes: ["rejected_by_vendor"] },
    ],
  );
});
