// Issue 13's summary, dry-run, Ctrl-C and results items, through the built CLI against the sandbox.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { startSimulator } from "@leadbridge/simulators";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, CAMPAIGN, cleanEnv, importArgs, journalRecords, run, SAMPLE, tempDir, waitUntil } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

/** 30 national numbers, 3 "ext. 204", 2 "555", 5 international numbers, and one ragged row. */
function nlpearlExport(): string {
  const rows = ["Phone,First Name,Email"];
  for (let i = 0; i < 30; i++) rows.push(`(415) 555-${1000 + i},P${i},p${i}@example.com`);
  for (let i = 0; i < 3; i++) rows.push(`ext. 204,E${i},e${i}@example.com`);
  for (let i = 0; i < 2; i++) rows.push(`555,F${i},f${i}@example.com`);
  for (let i = 0; i < 5; i++) rows.push(`+1 415 555 ${2000 + i},G${i},g${i}@example.com`);
  rows.push("+1 415 555 3000,Ragged,r@example.com,extra");
  const file = tmp.path(`nlpearl-${rows.length}.csv`);
  writeFileSync(file, `${rows.join("\n")}\n`);
  return file;
}

interface Group {
  code: string;
  outcome: string;
  count: number;
  samples: string[];
}

/** The text summary's "by reason" lines: [count, code, outcome]. */
function textGroups(stdout: string): Array<[number, string, string]> {
  return [...stdout.matchAll(/^\s+(\d+) × (\w+) \((\w+)\)$/gm)].map((m) => [Number(m[1]), m[2]!, m[3]!]);
}

describe("the summary groups rows by code, and the groups add up (item 4)", () => {
  it("national numbers without --default-country are one group, whatever their value", async () => {
    const file = nlpearlExport();
    const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--sandbox"];
    const text = await run(args);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("Not added, by reason (36 rows):");
    // "ext. 204" and "555" cannot be read without a country either: --default-country may save up to 35.
    expect(textGroups(text.stdout)).toEqual([
      [35, "no_country_code", "invalid"],
      [1, "broken_row", "invalid"],
    ]);
    expect(text.stdout).toContain('e.g. phone "(415) 555-1000" is not a valid phone number');
    expect(text.stdout).not.toMatch(/× .*ext\. 204/);

    const json = JSON.parse((await run([...args, "--json"])).stdout) as { total: number; reasons: Group[] };
    expect(json.reasons.reduce((sum, group) => sum + group.count, 0)).toBe(json.total);
    expect(json.reasons.map((g) => [g.code, g.count])).toEqual([
      ["no_country_code", 35],
      ["added", 5],
      ["broken_row", 1],
    ]);
    expect(json.reasons[0]!.samples).toHaveLength(2);
  });

  it("with --default-country, the unusable numbers are one group with a sample value or two", async () => {
    const file = nlpearlExport();
    const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--sandbox", "--default-country", "US"];
    const text = await run(args);
    expect(textGroups(text.stdout)).toEqual([
      [5, "invalid_field", "invalid"],
      [1, "broken_row", "invalid"],
    ]);
    expect(text.stdout).toContain('e.g. phone "ext. 204" is not a valid phone number');
    expect(text.stdout).toContain('e.g. phone "555" is not a valid phone number');
    const json = JSON.parse((await run([...args, "--json"])).stdout) as { total: number; reasons: Group[] };
    expect(json.total).toBe(41);
    expect(json.reasons.reduce((sum, group) => sum + group.count, 0)).toBe(41);
    expect(json.reasons.find((g) => g.code === "added")?.count).toBe(35);
  });
});

describe("--dry-run --json reports wouldSend, apart from skipped (item 7)", () => {
  it("the rows that would be sent are wouldSend; skipped stays for --skip-if-* flags", async () => {
    const file = nlpearlExport();
    const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--dry-run", "--default-country", "US"];
    const json = JSON.parse((await run([...args, "--json"])).stdout);
    expect(json).toMatchObject({ dryRun: true, total: 41, wouldSend: 35, counts: { skipped: 0, invalid: 6 } });
    const text = await run(args);
    expect(text.stdout).toContain("41 rows read; 35 would be sent; 6 would not.");
    expect((await run([...args, "--quiet"])).stdout).toContain("41 leads: 35 would be sent, 6 invalid.");
  });
});

describe("Ctrl-C says what was and was not done (item 5)", () => {
  it("rows read, sent, added and not yet read, and that the same command resumes", async () => {
    // In this process (an in-process sandbox would die with the CLI); the 4th request is answered late, so
    // that Ctrl-C lands mid-import however slow the machine.
    const sim = await startSimulator({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "delay", schedule: [4], delayMs: 5000 }] },
    });
    try {
      sim.store.createCampaign(CAMPAIGN);
      const report = tmp.path("sigint.csv");
      const journal = tmp.path("sigint.journal.jsonl");
      const args = importArgs(SAMPLE, "--batch-size", "10", "--concurrency", "1", "--report", report);
      const env = { INSTANTLY_API_KEY: sim.credentials.apiKey, LEADBRIDGE_INSTANTLY_BASE_URL: sim.url };
      const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
      child.stderr.resume();
      // The first acknowledged batch is on file: the import is under way.
      await waitUntil("a batch is journaled", () => journalRecords(journal).some((line) => line.rows));
      const held = () => sim.store.stats().requests === 4 && sim.store.stats().inFlight === 1;
      await waitUntil("the 4th request is held at the simulator", held);
      child.kill("SIGINT");
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(130);
      const stopped = stdout.match(
        /Interrupted after reading (\d+) rows: (\d+) sent, (\d+) added, (\d+) not yet read\./,
      );
      expect(stopped, stdout).not.toBeNull();
      const [read, sent, added, notRead] = stopped!.slice(1).map(Number) as [number, number, number, number];
      const stored = sim.store.leads({ campaignId: CAMPAIGN }).length;
      expect(added).toBe(stored);
      expect(sent).toBeGreaterThanOrEqual(added);
      expect(read).toBeGreaterThanOrEqual(sent);
      expect(read + notRead).toBe(300);
      expect(notRead).toBeGreaterThan(0);
      expect(stdout).not.toContain("every lead was added");
      expect(stdout).toContain("Resume: run the same command again");
    } finally {
      await sim.close();
    }
  });
});

describe("--json stays JSON on errors (item 6, in part)", () => {
  it('a usage error is {"error": {...}} on stdout, exit 2, with no credential in it', async () => {
    const missing = await run([...importArgs(SAMPLE), "--json"], { env: { NLPEARL_SECRET_KEY: "s3cret-value-xyz" } });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: "usage", message: expect.stringContaining("Missing INSTANTLY_API_KEY"), hint: expect.any(String) },
    });
    expect(missing.stdout).not.toContain("s3cret-value-xyz");
    const unknown = await run([...importArgs(SAMPLE, "--sandbox"), "--json", "--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: "commander.unknownOption" });
    const broken = tmp.path("empty.csv");
    writeFileSync(broken, "");
    const empty = await run([...importArgs(broken, "--sandbox"), "--json"]);
    expect(empty.code).toBe(2);
    expect(JSON.parse(empty.stdout).error.message).toContain("is empty");
  });
});
