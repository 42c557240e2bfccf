// Issue 13 item 6: `--results <path>` and `--json-rows`, through the built CLI against the simulators.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { type Simulator, startSimulator } from "@leadbridge/simulators";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type ResultRow, readResultsFile } from "../src/results-file.js";
import { BIN, CAMPAIGN, cleanEnv, importArgs, journalRecords, run, SAMPLE, tempDir, waitUntil } from "./helpers.js";
import { PEARL, type VendorUnderTest, vendorUnderTest } from "./vendors.js";

const ROWS = 300; // examples/leads.csv: 284 added, 10 invalid, 6 duplicates
const VALID = 284;
/** The sample's data rows are lines 2..301 (the header is line 1): the numbers the report gives too. */
const SAMPLE_ROWS = Array.from({ length: ROWS }, (_, i) => i + 2);

const tmp = tempDir();
let under: VendorUnderTest | undefined;
afterEach(async () => {
  await under?.close();
  under = undefined;
});
afterAll(() => tmp.remove());

async function rowsOf(path: string): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for await (const row of readResultsFile(path)) rows.push(row);
  return rows;
}

async function instantly() {
  under = await vendorUnderTest("instantly");
  const sim = under.sim as Simulator<"instantly">;
  return { sim, env: under.env, apiKey: sim.credentials.apiKey };
}

/** The simulator's id for each stored lead, by email. */
function storedIds(sim: Simulator<"instantly">): Map<string, string> {
  return new Map(sim.store.leads({ campaignId: CAMPAIGN }).map((lead) => [String(lead.email).toLowerCase(), lead.id]));
}

/** Every row once, in row order; added rows carry the vendor's lead id, and the destination. */
function expectEveryRow(rows: ResultRow[], sim: Simulator<"instantly">): void {
  expect(rows.map((r) => r.row)).toEqual(SAMPLE_ROWS);
  const added = rows.filter((r) => r.outcome === "added");
  expect(added).toHaveLength(VALID);
  const ids = storedIds(sim);
  expect(ids.size).toBe(VALID);
  for (const row of added) {
    expect(row.code).toBe("added");
    expect(row.vendorLeadId).toBe(ids.get(row.email.toLowerCase()));
  }
  for (const row of rows) {
    expect(row.vendor).toBe("instantly");
    expect(row.destination).toBe(CAMPAIGN);
  }
  expect(rows.filter((r) => r.outcome === "invalid")).toHaveLength(10);
  expect(rows.filter((r) => r.outcome === "duplicate")).toHaveLength(6);
  // Row 23 of the sample: a good email, phone "12345": sent without the phone, with the warning.
  expect(rows.find((r) => r.row === 23)).toMatchObject({
    outcome: "added",
    code: "added",
    email: "zoe.rossi@quillstonelabs.io",
    phone: "12345",
    warnings: [
      { field: "phone", code: "dropped_field", reason: 'phone "12345" is not a valid phone number; sent without it' },
    ],
  });
  // Row 31: an email that is not one.
  expect(rows.find((r) => r.row === 31)).toMatchObject({
    outcome: "invalid",
    code: "invalid_field",
    reason: 'email "maria.costa@" is not a valid email address',
    vendorLeadId: "",
  });
}

describe("--results: every row with its outcome, in row order (item 6)", () => {
  it("CSV: every input row exactly once; added rows carry Instantly's lead id; no credential", async () => {
    const { sim, env, apiKey } = await instantly();
    const path = tmp.path("results.csv");
    const result = await run([...importArgs(SAMPLE), "--results", path, "--journal", `${path}.journal`], { env });
    expect(result.code).toBe(1); // the sample's invalid rows
    expect(result.stdout).toContain(`Results: ${ROWS} rows`);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toBe(
      "row,outcome,code,reason,vendor,destination,vendorLeadId,email,phone,linkedinUrl,warnings",
    );
    expect(text).not.toContain(apiKey);
    // A phone starting with "+" is kept as text in a spreadsheet; the reader gives the value back.
    expect(text).toContain(",'+44 20 7946 0472,");
    const rows = await rowsOf(path);
    expectEveryRow(rows, sim);
    expect(rows[0]!.phone).toBe("+44 20 7946 0472");
    // A duplicate names the row it repeats.
    expect(rows.find((r) => r.outcome === "duplicate")).toMatchObject({
      code: "duplicate_in_call",
      reason: expect.stringMatching(/^same email as row \d+; not sent$/),
    });
  });

  it("JSONL and --json-rows: the same rows, and stdout is one valid JSON document", async () => {
    const { sim, env, apiKey } = await instantly();
    const path = tmp.path("results.jsonl");
    const args = [...importArgs(SAMPLE), "--results", path, "--json-rows", "--journal", `${path}.journal`];
    const result = await run(args, { env });
    expect(result.code).toBe(1);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(ROWS);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual([
      "row",
      "outcome",
      "code",
      "reason",
      "vendor",
      "destination",
      "vendorLeadId",
      "email",
      "phone",
      "linkedinUrl",
      "warnings",
    ]);
    const rows = await rowsOf(path);
    expectEveryRow(rows, sim);
    const json = JSON.parse(result.stdout) as { total: number; rows: ResultRow[]; results: unknown };
    expect(json.total).toBe(ROWS);
    expect(json.rows).toEqual(rows);
    expect(json.results).toEqual({ path, rows: ROWS });
    expect(result.stdout).not.toContain(apiKey);
    expect(readFileSync(path, "utf8")).not.toContain(apiKey);
  });

  it("rows the CLI settles itself (unreadable, repeated) are listed once each, with their code", async () => {
    under = await vendorUnderTest("nlpearl");
    const file = tmp.path("nlpearl.csv");
    writeFileSync(
      file,
      [
        "Phone,First Name,Email",
        "+1 415 555 2000,A,a@example.com",
        "(415) 555-1000,National,n@example.com", // no --default-country: invalid
        "+1 415 555 2001,Ragged,r@example.com,extra", // more values than the header
        "+1 415 555 2000,Again,again@example.com", // same phone as row 2
        "+1 415 555 2002,B,b@example.com",
        "",
      ].join("\n"),
    );
    const path = tmp.path("nlpearl.jsonl");
    const args = ["import", file, ...under.flags, "--results", path, "--journal", `${path}.journal`];
    const result = await run(args, { env: under.env });
    expect(result.code).toBe(1);
    const rows = await rowsOf(path);
    expect(rows.map((r) => [r.row, r.outcome, r.code])).toEqual([
      [2, "added", "added"],
      [3, "invalid", "no_country_code"],
      [4, "invalid", "broken_row"],
      [5, "duplicate", "duplicate_in_call"],
      [6, "added", "added"],
    ]);
    expect(rows[1]!.reason).toContain('phone "(415) 555-1000" is not a valid phone number');
    expect(rows[2]!.reason).not.toBe("");
    expect(rows[3]!.reason).toBe("same phone as row 2; not sent");
    expect(rows.every((r) => r.vendor === "nlpearl" && r.destination === PEARL)).toBe(true);
    expect(rows[4]).toMatchObject({ phone: "+1 415 555 2002", email: "b@example.com" });
  });

  it("a dry run lists the rows that would be sent as skipped, code dry_run", async () => {
    const path = tmp.path("dry.csv");
    const result = await run([...importArgs(SAMPLE), "--dry-run", "--results", path], { env: {} });
    expect(result.code).toBe(1);
    const rows = await rowsOf(path);
    expect(rows.map((r) => r.row)).toEqual(SAMPLE_ROWS);
    expect(rows.filter((r) => r.code === "dry_run" && r.outcome === "skipped")).toHaveLength(VALID);
    expect(rows.every((r) => r.vendorLeadId === "")).toBe(true);
  });

  it("--json-rows on an error stays {error} with exit 2", async () => {
    const result = await run([...importArgs(SAMPLE), "--json-rows"], { env: {} }); // no credentials
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: expect.objectContaining({ code: "usage" }) });
  });

  it("a file that is not LeadBridge's is not overwritten, and the extension picks the format", async () => {
    const mine = tmp.path("mine.csv");
    writeFileSync(mine, "name\nkeep me\n");
    const refused = await run([...importArgs(SAMPLE), "--sandbox", "--results", mine]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--results");
    expect(readFileSync(mine, "utf8")).toBe("name\nkeep me\n");
    const txt = await run([...importArgs(SAMPLE), "--sandbox", "--results", tmp.path("r.txt")]);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain("use .csv or .jsonl");
  });
});

describe("--results on a resumed import (item 6)", () => {
  it("rows an earlier run settled are listed once, as earlier_run; rows not read when stopped are not_read", async () => {
    // The 4th request is answered late: the first run is interrupted while it waits (and then stops).
    const sim = await startSimulator({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "delay", schedule: [4], delayMs: 5000 }] },
    });
    under = { close: () => sim.close() } as VendorUnderTest;
    sim.store.createCampaign(CAMPAIGN);
    const env = { INSTANTLY_API_KEY: sim.credentials.apiKey, LEADBRIDGE_INSTANTLY_BASE_URL: sim.url };
    const report = tmp.path("resume-report.csv");
    const journal = tmp.path("resume-report.journal.jsonl");
    const args = (results: string) => [
      ...importArgs(SAMPLE, "--batch-size", "10", "--concurrency", "1", "--report", report),
      "--results",
      results,
    ];

    const first = spawn(process.execPath, [BIN, ...args(tmp.path("first.csv"))], {
      env: cleanEnv(env),
      stdio: "ignore",
    });
    const held = () => sim.store.stats().requests === 4 && sim.store.stats().inFlight === 1;
    await waitUntil("the 4th request is held at the simulator", held);
    expect(journalRecords(journal).some((r) => r.rows)).toBe(true);
    first.kill("SIGINT");
    expect(await new Promise((r) => first.once("exit", r))).toBe(130);
    const firstRows = await rowsOf(tmp.path("first.csv"));
    expect(firstRows.map((r) => r.row)).toEqual(SAMPLE_ROWS); // the rows not read are there too
    const notRead = firstRows.filter((r) => r.code === "not_read");
    expect(notRead.length).toBeGreaterThan(0);
    expect(notRead.every((r) => r.outcome === "failed")).toBe(true);
    const addedFirst = firstRows.filter((r) => r.outcome === "added");
    expect(addedFirst.length).toBeGreaterThan(0);

    const second = await run(args(tmp.path("second.csv")), { env });
    expect(second.code).toBe(1);
    const rows = await rowsOf(tmp.path("second.csv"));
    expect(rows.map((r) => r.row)).toEqual(SAMPLE_ROWS);
    // Added by the first run: listed as added by it (never as added again), without a lead id.
    for (const earlier of addedFirst) {
      expect(rows.find((r) => r.row === earlier.row)).toMatchObject({
        outcome: "added",
        code: "earlier_run",
        reason: "added by an earlier run of this command; not sent again",
        vendorLeadId: "",
        email: earlier.email,
      });
    }
    const addedNow = rows.filter((r) => r.outcome === "added" && r.code === "added");
    expect(addedNow.length + addedFirst.length).toBe(VALID);
    const ids = storedIds(sim);
    for (const row of addedNow) expect(row.vendorLeadId).toBe(ids.get(row.email.toLowerCase()));
    expect(readFileSync(tmp.path("second.csv"), "utf8")).not.toContain(sim.credentials.apiKey);
  });
});
