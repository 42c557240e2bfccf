// Issue 13 item 1 through the built CLI against the simulators: a field the destination does not need,
// when unusable, is dropped with a warning and the row is added without it; --strict keeps the old
// behaviour (the row is invalid). The summary counts the dropped fields by field, in text and --json.
import { writeFileSync } from "node:fs";
import { type Simulator, startSimulator } from "@leadbridge/simulators";
import { afterAll, describe, expect, it } from "vitest";
import { run, tempDir } from "./helpers.js";
import { CAMPAIGN, LIST, PEARL } from "./vendors.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

function csv(name: string, lines: string[]): string {
  const file = tmp.path(name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

interface Dropped {
  rows: number;
  total: number;
  byField: Array<{ field: string; count: number; samples: string[] }>;
}

async function instantly() {
  const sim = (await startSimulator({ vendor: "instantly", rateLimits: false })) as Simulator<"instantly">;
  sim.store.createCampaign(CAMPAIGN);
  const env = { INSTANTLY_API_KEY: sim.credentials.apiKey, LEADBRIDGE_INSTANTLY_BASE_URL: sim.url };
  // --no-resume: the --strict run of the same file must not meet the first run's journal (another import).
  return { sim, env, flags: ["--to", "instantly", "--campaign", CAMPAIGN, "--no-resume"] };
}

describe("a bad optional field no longer throws away a good lead (issue 13, item 1)", () => {
  it("Instantly campaign: `ext. 204` and `12345` phones → added without a phone; --strict → invalid", async () => {
    const file = csv("instantly.csv", [
      "Email,Phone Number,First Name",
      "ada@example.com,ext. 204,Ada",
      "bob@example.com,12345,Bob",
      "cy@example.com,+1 415 555 0100,Cy",
    ]);
    const { sim, env, flags } = await instantly();
    try {
      const text = await run(["import", file, ...flags], { env });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("3 of 3 leads added");
      expect(text.stdout).toContain("Sent without an unusable field (2 rows; --strict makes them invalid instead):");
      expect(text.stdout).toMatch(/^\s+2 × phone$/m);
      expect(text.stdout).toContain('e.g. phone "ext. 204" is not a valid phone number');
      const stored = sim.store.leads({ campaignId: CAMPAIGN });
      expect(stored.map((lead) => [lead.email, lead.phone ?? null])).toEqual([
        ["ada@example.com", null],
        ["bob@example.com", null],
        ["cy@example.com", "+14155550100"],
      ]);
    } finally {
      await sim.close();
    }
    const again = await instantly();
    try {
      const strict = await run(["import", file, ...again.flags, "--strict", "--json"], { env: again.env });
      expect(strict.code).toBe(1);
      const json = JSON.parse(strict.stdout) as { counts: Record<string, number>; droppedFields: Dropped };
      expect(json.counts).toMatchObject({ added: 1, invalid: 2 });
      expect(json.droppedFields).toEqual({ rows: 0, total: 0, byField: [] });
      expect(again.sim.store.leads({ campaignId: CAMPAIGN })).toHaveLength(1);
    } finally {
      await again.sim.close();
    }
  });

  it("NLPearl: an `n/a` email → added, stored without an email; --strict → invalid", async () => {
    const file = csv("nlpearl.csv", [
      "Phone,Email,First Name",
      "+1 415 555 0100,n/a,Ada",
      "+1 415 555 0101,bob@example.com,Bob",
    ]);
    for (const strict of [false, true]) {
      const sim = (await startSimulator({ vendor: "nlpearl", rateLimits: false })) as Simulator<"nlpearl">;
      try {
        sim.store.createOutbound(PEARL);
        const env = {
          NLPEARL_ACCOUNT_ID: sim.credentials.accountId,
          NLPEARL_SECRET_KEY: sim.credentials.secretKey,
          LEADBRIDGE_NLPEARL_BASE_URL: sim.url,
        };
        const args = ["import", file, "--to", "nlpearl", "--pearl", PEARL, "--json", "--no-resume"];
        if (strict) args.push("--strict");
        const r = await run(args, { env });
        const json = JSON.parse(r.stdout) as { counts: Record<string, number>; droppedFields: Dropped };
        const stored = sim.store.leads(PEARL);
        if (strict) {
          expect(r.code).toBe(1);
          expect(json.counts).toMatchObject({ added: 1, invalid: 1 });
          expect(stored.map((lead) => lead.phoneNumber)).toEqual(["+14155550101"]);
        } else {
          expect(r.code, r.stderr).toBe(0);
          expect(json.counts).toMatchObject({ added: 2, invalid: 0 });
          expect(json.droppedFields).toEqual({
            rows: 1,
            total: 1,
            byField: [
              { field: "email", count: 1, samples: ['email "n/a" is not a valid email address; sent without it'] },
            ],
          });
          expect(stored.map((lead) => [lead.phoneNumber, lead.callData?.email ?? null])).toEqual([
            ["+14155550100", null],
            ["+14155550101", "bob@example.com"],
          ]);
        }
      } finally {
        await sim.close();
      }
    }
  });

  it("Amplemarket LinkedIn list: a bad email → added; --strict → invalid", async () => {
    const file = csv("amplemarket.csv", [
      "Person Linkedin Url,Email,Title,Company",
      "https://www.linkedin.com/in/ada,ada at example,CTO,Acme",
      "https://www.linkedin.com/in/bob,bob@example.com,CEO,Acme",
    ]);
    for (const strict of [false, true]) {
      const sim = (await startSimulator({ vendor: "amplemarket", rateLimits: false })) as Simulator<"amplemarket">;
      try {
        sim.store.createList({ type: "linkedin", id: LIST });
        const env = { AMPLEMARKET_API_KEY: sim.credentials.apiKey, LEADBRIDGE_AMPLEMARKET_BASE_URL: sim.url };
        const args = ["import", file, "--to", "amplemarket", "--list", LIST, "--type", "linkedin", "--no-resume"];
        const r = await run([...args, ...(strict ? ["--strict"] : [])], { env });
        const stored = sim.store.leads(LIST);
        if (strict) {
          expect(r.code).toBe(1);
          expect(r.stdout).toContain("1 of 2 leads added");
          expect(stored.map((lead) => lead.linkedin_url)).toEqual(["https://www.linkedin.com/in/bob"]);
        } else {
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout).toContain("2 of 2 leads added");
          expect(r.stdout).toMatch(/^\s+1 × email$/m);
          expect(stored.map((lead) => [lead.linkedin_url, lead.email ?? null])).toEqual([
            ["https://www.linkedin.com/in/ada", null],
            ["https://www.linkedin.com/in/bob", "bob@example.com"],
          ]);
        }
      } finally {
        await sim.close();
      }
    }
  });

  it("a national phone dropped for lack of --default-country is counted in its own tip", async () => {
    const file = csv("national.csv", [
      "Email,Phone",
      "ada@example.com,(415) 555-1000",
      "bob@example.com,(415) 555-1001",
    ]);
    const r = await run(["import", file, "--to", "instantly", "--campaign", CAMPAIGN, "--sandbox", "--json"]);
    const json = JSON.parse(r.stdout) as {
      counts: Record<string, number>;
      droppedFields: Dropped;
      droppedPhones: number;
    };
    expect(json.counts.added).toBe(2);
    expect(json.droppedPhones).toBe(2);
    expect(json.droppedFields.byField[0]?.samples[0]).toContain("--default-country");
    const text = await run(["import", file, "--to", "instantly", "--campaign", CAMPAIGN, "--sandbox"]);
    expect(text.stdout).toContain(
      "Tip: 2 rows were sent without their phone numbers, which had no country code: --default-country <CC> (or LEADBRIDGE_DEFAULT_COUNTRY) would have kept them.",
    );
  });
});
