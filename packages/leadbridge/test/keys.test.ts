import { describe, expect, test } from "vitest";
import { createLeadBridge, type Destination, duplicateKeys, type Lead } from "../src/index.js";

// duplicateKeys must agree with the check addLeads runs: two leads share a key exactly when the second
// is reported `duplicate` (a dry run sends nothing).
const cases: Array<[string, Destination, Lead, Lead, boolean]> = [
  [
    "email, case and spaces",
    { vendor: "instantly", campaignId: "0b6f1a5e-2c7d-4e8f-9a1b-3c4d5e6f7a8b" },
    { email: "A@x.co" },
    { email: " a@X.co" },
    true,
  ],
  [
    "different emails",
    { vendor: "instantly", campaignId: "0b6f1a5e-2c7d-4e8f-9a1b-3c4d5e6f7a8b" },
    { email: "a@x.co" },
    { email: "b@x.co" },
    false,
  ],
  [
    "a national phone with the default country",
    { vendor: "nlpearl", pearlId: "p" },
    { phone: "+1 415 555 0100" },
    { phone: "(415) 555-0100" },
    true,
  ],
  [
    "LinkedIn without www on an Amplemarket linkedin list",
    { vendor: "amplemarket", listId: "l", type: "linkedin" },
    { linkedinUrl: "https://www.linkedin.com/in/jane" },
    { linkedinUrl: "https://linkedin.com/in/jane/" },
    true,
  ],
  [
    "same LinkedIn on an Amplemarket email list is not the list's identity",
    { vendor: "amplemarket", listId: "l", type: "email" },
    { email: "a@x.co", linkedinUrl: "https://linkedin.com/in/jane" },
    { email: "b@x.co", linkedinUrl: "https://linkedin.com/in/jane" },
    false,
  ],
];

describe("duplicateKeys", () => {
  test.each(cases)("%s", async (_, destination, first, second, same) => {
    const options = { defaultCountry: "US" };
    const a = duplicateKeys(destination, first, options).map((k) => `${k.kind}:${k.value}`);
    const b = duplicateKeys(destination, second, options).map((k) => `${k.kind}:${k.value}`);
    expect(a.length).toBeGreaterThan(0);
    expect(b.some((key) => a.includes(key))).toBe(same);
    const report = await createLeadBridge(options).addLeads(destination, [first, second], { dryRun: true });
    expect(report.results[1]!.outcome).toBe(same ? "duplicate" : "skipped");
  });

  test("an invalid lead has no keys", () => {
    expect(duplicateKeys({ vendor: "nlpearl", pearlId: "p" }, { phone: "555" })).toEqual([]);
  });
});
