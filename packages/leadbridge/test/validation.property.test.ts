// For arbitrary lead lists, junk included (empty strings, unicode, huge fields, wrong types from
// untyped callers), validation and mapping never throw, and the report invariant holds.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { amplemarket } from "../src/adapters/amplemarket.js";
import { FieldReader } from "../src/adapters/fields.js";
import { instantly } from "../src/adapters/instantly.js";
import { nlpearl } from "../src/adapters/nlpearl.js";
import { createLeadBridge, type Destination } from "../src/index.js";
import { expectAccounted } from "./helpers.js";

const junk = fc.oneof(
  fc.constant(""),
  fc.constant("   "),
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);
const plausible = {
  email: fc.oneof(fc.emailAddress(), junk),
  phone: fc.oneof(
    fc.constantFrom("+14155550100", "+442071838750", "(415) 555-0132", "0612345678", "+1 212 555 0199"),
    junk,
  ),
  firstName: fc.oneof(fc.string(), junk),
  lastName: fc.oneof(fc.string(), junk),
  companyName: junk,
  companyDomain: fc.oneof(fc.domain(), junk),
  jobTitle: junk,
  linkedinUrl: fc.oneof(
    fc.constantFrom("https://www.linkedin.com/in/ada", "linkedin.com/in/grace/", "https://linkedin.com/company/x"),
    junk,
  ),
  website: fc.oneof(fc.webUrl(), junk),
  timeZone: fc.oneof(fc.constantFrom("America/Los_Angeles", "Pacific Standard Time", "Mars/Olympus", "UTC"), junk),
  externalId: junk,
  customFields: fc.oneof(fc.dictionary(fc.string(), junk, { maxKeys: 4 }), junk),
  instantly: fc.oneof(
    fc.record({ lt_interest_status: fc.oneof(fc.integer({ min: -4, max: 4 }), junk) }, { requiredKeys: [] }),
    junk,
  ),
  nlpearl: fc.oneof(
    fc.record({ callData: fc.oneof(fc.dictionary(fc.string(), junk, { maxKeys: 3 }), junk) }, { requiredKeys: [] }),
    junk,
  ),
  amplemarket: fc.oneof(fc.dictionary(fc.string(), junk, { maxKeys: 3 }), junk),
};
const lead = fc.oneof(
  { weight: 8, arbitrary: fc.record(plausible, { requiredKeys: [] }) },
  { weight: 1, arbitrary: junk },
);

const destinations: Destination[] = [
  { vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" },
  { vendor: "instantly", listId: "019e0e3e-b690-71a9-b399-fbf55d2134c0" },
  { vendor: "amplemarket", listId: "l1", type: "email" },
  { vendor: "amplemarket", listId: "l1", type: "linkedin" },
  { vendor: "amplemarket", listId: "l1", type: "titles_and_company" },
  { vendor: "nlpearl", pearlId: "p1" },
];
const adapters = { instantly, amplemarket, nlpearl } as const;

describe("validation and mapping, property-based", () => {
  test("a dry run accounts for every lead, whatever the input, in batches under both caps", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lead, { maxLength: 60 }),
        fc.constantFrom(...destinations),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 200, max: 30_000 }),
        async (leads, destination, batchSize, maxBatchBytes) => {
          const bridge = createLeadBridge({ defaultCountry: "US" });
          const sizes: number[] = [];
          const report = await bridge.addLeads(destination, leads, {
            dryRun: true,
            batchSize,
            maxBatchBytes,
            onBatch: (b) => sizes.push(b.results.length),
          });
          expectAccounted(report, leads.length);
          for (const size of sizes) expect(size).toBeLessThanOrEqual(batchSize);
          for (const r of report.results) {
            expect(["skipped", "invalid", "duplicate"]).toContain(r.outcome);
            if (r.outcome !== "skipped") expect(r.reason).toEqual(expect.any(String));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("validate either maps to a body the vendor accepts or rejects with InvalidLead, never anything else", () => {
    fc.assert(
      fc.property(lead, fc.constantFrom(...destinations), fc.boolean(), (input, destination, strict) => {
        const adapter = adapters[destination.vendor] as (typeof adapters)["nlpearl"];
        let mapped: Record<string, unknown>;
        try {
          const opened = adapter.open(destination as never, undefined, { defaultCountry: "US" });
          mapped = opened.toVendorLead(input, new FieldReader(opened.needs, strict)) as unknown as Record<
            string,
            unknown
          >;
        } catch (error) {
          expect(error?.constructor?.name).toBe("InvalidLead");
          expect((error as { reason: string }).reason.length).toBeGreaterThan(0);
          return;
        }
        const json = JSON.parse(JSON.stringify(mapped));
        if (destination.vendor === "nlpearl") {
          expect(json.phoneNumber).toMatch(/^\+[1-9]\d{6,14}$/);
          for (const v of Object.values(json.callData ?? {})) expect(typeof v).toBe("string");
        }
        if (destination.vendor === "instantly") {
          for (const v of Object.values(json.custom_variables ?? {}))
            expect(["string", "number", "boolean"].includes(typeof v) || v === null).toBe(true);
          if ("campaignId" in destination) expect(json.email).toEqual(expect.any(String));
          if (json.phone !== undefined) expect(json.phone).toMatch(/^\+\d+$/);
        }
        if (destination.vendor === "amplemarket") {
          if (destination.type === "email") expect(json.email).toEqual(expect.any(String));
          if (destination.type === "linkedin")
            expect(json.linkedin_url).toMatch(/^https:\/\/([a-z]{2,3}\.)?linkedin\.com\/(in|pub)\/[^/]+$/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("validation, by example", () => {
  const dry = (destination: Destination, leads: unknown[], defaultCountry?: string, strict?: boolean) =>
    createLeadBridge({}).addLeads(destination, leads, { dryRun: true, defaultCountry, strict });

  test("reasons a person understands (strict: any unusable field makes the lead invalid)", async () => {
    const report = await dry(
      { vendor: "nlpearl", pearlId: "p" },
      [
        { phone: "(415) 555-0132" },
        { phone: "+1 415 555 0132", timeZone: "America/Los_Angeles" },
        { phone: "+14155550133", timeZone: "Mars/Olympus" },
        { email: "a@example.com" },
        { phone: 4155550100 },
        "a string",
        { phone: "+14155550134", customFields: { seats: 3, trial: false } },
      ],
      undefined,
      true,
    );
    expect(report.results.map((r) => [r.outcome, r.reason])).toEqual([
      [
        "invalid",
        expect.stringMatching(
          /phone "\(415\) 555-0132" is not a valid phone number \(write it with its country code.*defaultCountry/,
        ),
      ],
      ["skipped", "dry_run"],
      ["invalid", 'timeZone "Mars/Olympus" is neither an IANA time zone nor a Windows time zone ID'],
      ["invalid", "an NLPearl pearl needs a phone number"],
      ["invalid", "phone must be text, got a number"],
      ["invalid", "a lead must be an object, got a string"],
      ["skipped", "dry_run"],
    ]);
  });

  test("defaultCountry parses national numbers; duplicates by phone are reported against the first", async () => {
    const report = await dry(
      { vendor: "nlpearl", pearlId: "p" },
      [{ phone: "(415) 555-0132" }, { phone: "+14155550132" }],
      "US",
    );
    expect(report.results[1]).toMatchObject({
      outcome: "duplicate",
      reason: "same phone as lead 0 of this call; not sent",
    });
  });

  test("NLPearl: IANA zones become Windows zones; callData values are text", () => {
    const opened = nlpearl.open({ vendor: "nlpearl", pearlId: "p" }, undefined, {});
    const mapped = opened.toVendorLead(
      {
        phone: "+14155550132",
        timeZone: "America/Los_Angeles",
        firstName: "Ada",
        customFields: { seats: 3, trial: false, none: null },
      },
      new FieldReader(opened.needs),
    );
    expect(mapped).toEqual({
      phoneNumber: "+14155550132",
      timeZoneId: "Pacific Standard Time",
      callData: { firstName: "Ada", seats: "3", trial: "false" },
    });
  });

  test("Instantly: required fields per destination; custom values must be scalars; emails deduplicated case-blind", async () => {
    const campaign = await dry({ vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" }, [
      { firstName: "NoEmail" },
      { email: "Ada@Example.com", customFields: { plan: { nested: true } } },
      { email: "ada@example.com" },
      { email: "ADA@example.com" },
      { email: "not-an-email" },
    ]);
    expect(campaign.results.map((r) => r.reason)).toEqual([
      "an Instantly campaign needs an email",
      "customFields.plan must be text, a number, true/false or null, got an object",
      "dry_run",
      "same email as lead 2 of this call; not sent",
      'email "not-an-email" is not a valid email address',
    ]);
    const list = await dry({ vendor: "instantly", listId: "019e0e3e-b690-71a9-b399-fbf55d2134c0" }, [
      { firstName: "NoEmail" },
      {},
    ]);
    expect(list.results.map((r) => r.outcome)).toEqual(["skipped", "invalid"]);
  });

  test("Amplemarket: the list type decides the required field", async () => {
    const titles = await dry({ vendor: "amplemarket", listId: "l", type: "titles_and_company" }, [
      { jobTitle: "CTO", companyDomain: "example.com" },
      { jobTitle: "CTO" },
    ]);
    expect(titles.results[1]?.reason).toBe(
      "an Amplemarket titles_and_company list needs a jobTitle and a companyName or companyDomain",
    );
  });

  test("a lead larger than the request cap is invalid, not sent", async () => {
    const report = await createLeadBridge({}).addLeads(
      { vendor: "nlpearl", pearlId: "p" },
      [{ phone: "+14155550132", firstName: "x".repeat(5000) }],
      {
        dryRun: true,
        maxBatchBytes: 1000,
      },
    );
    expect(report.results[0]?.reason).toMatch(/over the 1000-byte request cap/);
  });
});
