// Issue 13's three export shapes (HubSpot, Apollo, Salesforce; fixtures/crm, written by make.mjs) imported
// into each vendor's sandbox with the built CLI, with no --map: the outcomes are the ones the generator
// planted (fixtures/crm/expected.json), derived from what it wrote, never from running LeadBridge.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CAMPAIGN, run } from "./helpers.js";

interface Expected {
  added: number;
  invalid: number;
  duplicate: number;
  warnings: number;
  droppedByField: Record<string, number>;
}
interface Fixture {
  file: string;
  rows: number;
  expected: Record<string, Expected>;
}

const root = new URL("../../../", import.meta.url);
const { fixtures } = JSON.parse(readFileSync(new URL("fixtures/crm/expected.json", root), "utf8")) as {
  fixtures: Record<string, Fixture>;
};

/** Where each expected.json vendor key imports to, as a person would type it. */
const DESTINATIONS: Record<string, string[]> = {
  instantly: ["--to", "instantly", "--campaign", CAMPAIGN],
  nlpearl: ["--to", "nlpearl", "--pearl", "pearl-1"],
  amplemarket: ["--to", "amplemarket", "--list", "list-1", "--type", "email"],
  "amplemarket-linkedin": ["--to", "amplemarket", "--list", "list-2", "--type", "linkedin"],
};

const cases = Object.entries(fixtures).flatMap(([name, fixture]) =>
  Object.entries(fixture.expected).map(([vendor, expected]) => ({ name, fixture, vendor, expected })),
);

describe("CRM exports import with the outcomes their generator planted (issue 13)", () => {
  it("every fixture has ~500 rows and an expectation for each vendor", () => {
    expect(Object.keys(fixtures).sort()).toEqual(["apollo", "hubspot", "salesforce"]);
    for (const fixture of Object.values(fixtures)) {
      expect(fixture.rows).toBe(500);
      expect(Object.keys(fixture.expected)).toEqual(expect.arrayContaining(["instantly", "nlpearl", "amplemarket"]));
    }
  });

  it.each(cases)("$name → $vendor", async ({ fixture, vendor, expected }) => {
    const file = fileURLToPath(new URL(fixture.file, root));
    const r = await run(["import", file, ...DESTINATIONS[vendor]!, "--default-country", "US", "--sandbox", "--json"]);
    expect(r.code, r.stderr).toBe(1); // every export has rows a person expects to be refused
    const json = JSON.parse(r.stdout) as {
      total: number;
      counts: Record<string, number>;
      stored: number;
      droppedFields: { rows: number; total: number; byField: Array<{ field: string; count: number }> };
    };
    expect(json.total).toBe(fixture.rows);
    expect(json.counts).toEqual({
      added: expected.added,
      duplicate: expected.duplicate,
      invalid: expected.invalid,
      skipped: 0,
      rejected: 0,
      failed: 0,
      unknown: 0,
    });
    expect(json.stored).toBe(expected.added);
    expect(json.droppedFields.rows).toBe(expected.warnings);
    expect(Object.fromEntries(json.droppedFields.byField.map((g) => [g.field, g.count]))).toEqual(
      expected.droppedByField,
    );
  });

  // No --map: each export's columns are recognised as a person would map them (checked on a dry run's notice).
  it.each([
    [
      "hubspot",
      "externalId ← Record ID, firstName ← First Name, lastName ← Last Name, email ← Email, phone ← Phone Number, companyName ← Company Name, jobTitle ← Job Title",
    ],
    ["apollo", "email ← Email, phone ← Mobile Phone, else Corporate Phone, linkedinUrl ← Person Linkedin Url"],
    ["salesforce", "companyName ← Company / Account, email ← Email, phone ← Phone, else Mobile"],
  ])("%s: columns recognised without --map", async (name, columns) => {
    const file = fileURLToPath(new URL(fixtures[name]!.file, root));
    const r = await run(["import", file, ...DESTINATIONS.nlpearl!, "--default-country", "US", "--dry-run"]);
    expect(r.stderr).toMatch(/^Columns: .*$/m);
    expect(r.stderr.match(/^Columns: .*$/m)![0]).toContain(columns);
  });
});
