// A lead's way in, with the real Instantly adapter opened for a dry run (no transport, no network).
import { describe, expect, test } from "vitest";
import { instantly } from "../../src/adapters/instantly.js";
import { Ledger } from "../../src/call/ledger.js";
import { Preparer } from "../../src/call/prepare.js";
import type { LeadResult } from "../../src/lead.js";
import { Redactor } from "../../src/redact.js";

const campaignId = "00000000-0000-4000-8000-000000000001";

function preparer(maxDuplicateKeys = 1000) {
  const opened = instantly.open({ vendor: "instantly", campaignId }, undefined, {});
  const results: LeadResult[] = [];
  const ledger = new Ledger({ onResult: (result) => results.push(result) }, new Redactor());
  const prepared = new Preparer(opened as never, ledger, maxDuplicateKeys, false);
  let next = 0;
  // Indexes as the batcher gives them: the lead's place in the input.
  const prepare = (lead: unknown) => prepared.prepare(lead, next++);
  return { ledger, preparer: { prepare, prepared }, results };
}

/** What settled, in the shape the report gives it. */
const settled = (results: LeadResult[]) =>
  results.map(({ index, code, reason, duplicateOf }) => ({ index, code, reason, duplicateOf }));

describe("Preparer", () => {
  test("a valid lead: the vendor's lead; read counted, nothing settled", () => {
    const { ledger, results, preparer: p } = preparer();
    const lead = p.prepare({ email: "zoe@example.com", firstName: "Zoë" });
    expect(lead).toMatchObject({ email: "zoe@example.com", first_name: "Zoë" });
    expect(ledger.progress.read).toBe(1);
    expect(results).toEqual([]);
  });

  test("an invalid lead: settled as invalid_field with the adapter's reason, not returned", () => {
    const { results, preparer: p } = preparer();
    expect(p.prepare({ email: "not an email" })).toBeUndefined();
    const [result] = settled(results);
    expect(result).toMatchObject({ index: 0, code: "invalid_field" });
    expect(result!.reason).toMatch(/email/);
  });

  test("a lead that cannot be read (the adapter throws): unreadable_lead", () => {
    const { results, preparer: p } = preparer();
    const hostile = {
      get email(): string {
        throw new Error("getter exploded");
      },
    };
    expect(p.prepare(hostile)).toBeUndefined();
    expect(settled(results)).toEqual([
      {
        index: 0,
        code: "unreadable_lead",
        reason: "the lead could not be read: getter exploded",
        duplicateOf: undefined,
      },
    ]);
  });

  test("a repeat of an earlier lead's email (any case): duplicate_in_call naming the first", () => {
    const { results, preparer: p } = preparer();
    expect(p.prepare({ email: "a@example.com" })).toBeDefined();
    expect(p.prepare({ email: "b@example.com" })).toBeDefined();
    expect(p.prepare({ email: "A@Example.com" })).toBeUndefined();
    expect(settled(results)).toEqual([
      { index: 2, code: "duplicate_in_call", reason: "same email as lead 0 of this call; not sent", duplicateOf: 0 },
    ]);
  });

  test("maxDuplicateKeys 0: no duplicate check", () => {
    const { preparer: p } = preparer(0);
    expect(p.prepare({ email: "a@example.com" })).toBeDefined();
    expect(p.prepare({ email: "a@example.com" })).toBeDefined();
    expect(p.prepared.duplicateCheckFull).toBe(false);
  });

  test("a lead the batcher found over the request cap: too_large, with its size and the cap", () => {
    const { results, preparer: p } = preparer();
    p.prepared.tooLarge(7, 512, 200);
    expect(settled(results)).toEqual([
      {
        index: 7,
        code: "too_large",
        reason: "the lead is 512 bytes as JSON, over the 200-byte request cap",
        duplicateOf: undefined,
      },
    ]);
  });

  test("a repeat names the first lead by its input index, whatever settled before", () => {
    const { results, preparer: p } = preparer();
    p.prepare({ email: "bad" });
    p.prepare({ email: "c@example.com" });
    p.prepare({ email: "c@example.com" });
    expect(settled(results).map((r) => [r.index, r.duplicateOf])).toEqual([
      [0, undefined],
      [2, 1],
    ]);
  });
});
