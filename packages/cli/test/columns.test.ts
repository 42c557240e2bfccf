// Issue 13 items 3 and 8, through the built CLI against simulators in this process: phone fallbacks
// (Apollo's Mobile Phone / Corporate Phone) and custom fields named with --map custom.<name>.
import { writeFileSync } from "node:fs";
import type { Simulator } from "@leadbridge/simulators";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { run, tempDir } from "./helpers.js";
import { CAMPAIGN, LIST, PEARL, type VendorUnderTest, vendorUnderTest } from "./vendors.js";

const tmp = tempDir();
afterAll(() => tmp.remove());
let v: VendorUnderTest | undefined;
let runs = 0;
/** A fresh report (and so journal) per run: runs with other flags are other imports of the same file. */
const report = () => ["--report", tmp.path(`report-${++runs}.csv`)];
afterEach(async () => {
  await v?.close();
  v = undefined;
});

// Apollo's export: two phone columns, either may be empty.
const apollo = tmp.path("apollo.csv");
writeFileSync(
  apollo,
  [
    "First Name,Last Name,Email,Mobile Phone,Corporate Phone,Lifecycle Stage",
    "Ann,Mobile,ann@example.com,+1 415 555 0101,+1 415 555 0901,lead",
    "Bo,Corporate,bo@example.com,,+1 415 555 0902,customer",
    "Cy,None,cy@example.com,,,",
  ].join("\n"),
);

describe("phone fallbacks (NLPearl simulator)", () => {
  it("recognises Mobile Phone then Corporate Phone with no --map: the first non-empty is sent", async () => {
    v = await vendorUnderTest("nlpearl");
    const r = await run(["import", apollo, ...v.flags, ...report()], { env: v.env });
    expect(r.stderr).toContain("phone ← Mobile Phone, else Corporate Phone");
    expect(r.stdout).toContain("2 of 3 leads added");
    expect(v.stored()).toEqual(["+14155550101", "+14155550902"]);
    // Only the row with neither. The summary groups by code since issue 13 item 4 (was "1 × an NLPearl pearl needs…").
    expect(r.stdout).toMatch(/1 × invalid_field \(invalid\)\n\s+e\.g\. an NLPearl pearl needs a phone number\n/);
  });

  it('--map phone="Corporate Phone,Mobile Phone" sets the order', async () => {
    v = await vendorUnderTest("nlpearl");
    const r = await run(["import", apollo, ...v.flags, ...report(), "--map", "phone=Corporate Phone,Mobile Phone"], {
      env: v.env,
    });
    expect(r.stdout).toContain("2 of 3 leads added");
    expect(v.stored()).toEqual(["+14155550901", "+14155550902"]);
  });
});

describe("--map custom.<name> names a custom field, as each vendor receives it", () => {
  const map = ["--map", "custom.lifecycle_stage=Lifecycle Stage"];

  it("Instantly: a custom variable under the given name", async () => {
    v = await vendorUnderTest("instantly");
    const r = await run(["import", apollo, ...v.flags, ...map, ...report()], { env: v.env });
    expect(r.code).toBe(0);
    const store = (v.sim as Simulator<"instantly">).store;
    const leads = store.leads({ campaignId: CAMPAIGN });
    expect(leads.map((lead) => lead.custom_variables)).toEqual([
      { lifecycle_stage: "lead" },
      { lifecycle_stage: "customer" },
      undefined,
    ]);
    // Without the --map, the raw header name is used.
    const raw = await run(["import", apollo, ...v.flags, ...report()], { env: v.env });
    expect(raw.stderr).toContain("Custom fields: Lifecycle Stage");
  });

  it("NLPearl: a callData entry under the given name", async () => {
    v = await vendorUnderTest("nlpearl");
    const r = await run(["import", apollo, ...v.flags, ...map, ...report()], { env: v.env });
    expect(r.stdout).toContain("2 of 3 leads added");
    const leads = (v.sim as Simulator<"nlpearl">).store.leads(PEARL);
    expect(leads.map((lead) => lead.callData?.lifecycle_stage)).toEqual(["lead", "customer"]);
    expect(leads.every((lead) => !("Lifecycle Stage" in (lead.callData ?? {})))).toBe(true);
  });

  it("Amplemarket: not sent (the facade sends no custom fields to a lead list)", async () => {
    v = await vendorUnderTest("amplemarket");
    const r = await run(["import", apollo, ...v.flags, ...map, ...report()], { env: v.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("! Amplemarket lead lists take no custom fields: lifecycle_stage is not sent.");
    const leads = (v.sim as Simulator<"amplemarket">).store.leads(LIST);
    expect(leads).toHaveLength(3);
    for (const lead of leads) expect(Object.keys(lead)).not.toContain("lifecycle_stage");
  });
});
