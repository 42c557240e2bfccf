// A lead's way in, with the real Instantly adapter opened for a dry run (no transport, no network).
import { describe, expect, test } from "vitest";
import { instantly } from "../../src/adapters/instantly.js";
import { Ledger } from "../../src/call/ledger.js";
import { Preparer } from "../../src/call/prepare.js";
import type { LeadResult } from "../../src/lead.js";
import { Redactor } from "../../src/redact.js";

const campaignId = "00000000-0000-4000-8000-000000000001";

function preparer(maxDuplicateKeys = 1000, maxBatchBytes = 10_000) {
  const opened = instantly.open({ vendor: "instantly", campaignId }, undefined, {});
  const results: LeadResult[] = [];
  const ledger = new Ledger({ onResult: (result) => results.push(result) }, new Redactor());
  const preparer = new Preparer(opened as never, ledger, maxDuplicateKeys, maxBatchBytes, false);
  return { ledger, preparer, envelope: opened.envelope, results };
}

/** What settled, in the shape the report gives it. */
const settled = (results: LeadResult[]) =>
  results.map(({ index, code, reason, duplicateOf }) => ({ index, code, reason, duplicateOf }));

describe("Preparer", () => {
  test("the overhead is the envelope's UTF-8 bytes", () => {
    const { preparer: p, envelope } = preparer();
    expect(envelope.prefix).toContain(campaignId);
    expect(p.overhead).toBe(Buffer.byteLength(envelope.prefix + envelope.suffix));
  });

  test("a valid lead: its index, the vendor's JSON and that JSON's UTF-8 bytes; nothing settled", () => {
    const { ledger, results, preparer: p } = preparer();
    const lead = p.prepare({ email: "zoe@example.com", firstName: "Zoë" });
    expect(lead).toBeDefined();
    expect(lead!.index).toBe(0);
    expect(JSON.parse(lead!.json)).toMatchObject({ email: "zoe@example.com", first_name: "Zoë" });
    expect(lead!.bytes).toBe(Buffer.byteLength(lead!.json));
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
    expect(p.duplicateCheckFull).toBe(false);
  });

  test("a lead over the request cap with the envelope: too_large, with its size", () => {
    const { results, preparer: p } = preparer(1000, 200);
    const lead = { email: "a@example.com", firstName: "é".repeat(150) };
    expect(p.prepare(lead)).toBeUndefined();
    const [result] = settled(results);
    expect(result).toMatchObject({ index: 0, code: "too_large" });
    expect(result!.reason).toMatch(/^the lead is \d+ bytes as JSON, over the 200-byte request cap$/);
  });

  test("indexes follow the input, whatever settled before", () => {
    const { preparer: p } = preparer();
    p.prepare({ email: "bad" });
    expect(p.prepare({ email: "c@example.com" })!.index).toBe(1);
  });
});
