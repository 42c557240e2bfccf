// Resume after the process is killed: the simulator runs in this test process (an in-process
// sandbox would die with the CLI), and the CLI is pointed at it through its environment.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type FaultRule, type Simulator, startSimulator } from "@leadbridge/simulators";
import { afterEach, describe, expect, it } from "vitest";
import {
  BIN,
  CAMPAIGN,
  cleanEnv,
  importArgs,
  journalRecords,
  readCsv,
  run,
  SAMPLE,
  tempDir,
  waitUntil,
} from "./helpers.js";

const VALID = 284; // leads of examples/leads.csv that Instantly adds (the rest are invalid or duplicates)
const BATCH = 10;

let sim: Simulator<"instantly"> | undefined;
const tmp = tempDir();
afterEach(async () => {
  await sim?.close();
  tmp.remove();
});

/** The 4th request is held (never answered, or answered late), so that the import is still going when the test stops it. */
async function simulator(held: FaultRule) {
  sim = await startSimulator({
    vendor: "instantly",
    rateLimits: false,
    faults: {
      rules: [
        { ...held, schedule: [4] },
        { kind: "delay", probability: 1, delayMs: 100 },
      ],
    },
  });
  sim.store.createCampaign(CAMPAIGN);
  return sim;
}

function envFor(s: Simulator<"instantly">) {
  return { INSTANTLY_API_KEY: s.credentials.apiKey, LEADBRIDGE_INSTANTLY_BASE_URL: s.url };
}

const args = (report: string) =>
  importArgs(SAMPLE, "--batch-size", String(BATCH), "--concurrency", "1", "--report", report, "--progress", "lines");

/** Resolves once the journal at `path` has settled `rows` rows (observable state, not time). */
const waitForSettled = (path: string, rows: number) =>
  waitUntil(
    `${path} has ${rows} settled rows`,
    () =>
      journalRecords(path)
        .flatMap((r) => r.rows ?? [])
        .reduce((n, [first, last]) => n + last - first + 1, 0) >= rows,
  );

function storedEmails(s: Simulator<"instantly">): string[] {
  return s.store.leads({ campaignId: CAMPAIGN }).map((lead) => String(lead.email).toLowerCase());
}

describe("resume", () => {
  it("after SIGKILL mid-import, the same command finishes the job: no lead stored twice, all stored", async () => {
    const s = await simulator({ kind: "hang" }); // batches 1-3 are answered, the 4th never is
    const report = tmp.path("report.csv");
    const journal = tmp.path("report.journal.jsonl");

    const child = spawn(process.execPath, [BIN, ...args(report)], { env: cleanEnv(envFor(s)), stdio: "ignore" });
    await waitForSettled(journal, 2 * BATCH); // two acknowledged batches' worth
    // Killed while the 4th batch hangs: mid-import, whatever the machine's speed (and the next run's
    // requests, counted on from 5, are answered).
    await waitUntil("the 4th request hangs at the simulator", () => s.store.stats().faults.hang === 1);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const requestsBefore = s.store.stats().requests;
    const storedBefore = storedEmails(s).length;
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(VALID); // killed mid-import

    const again = await run([...args(report), "--json"], { env: envFor(s) });
    const summary = JSON.parse(again.stdout);
    const emails = storedEmails(s);
    expect(new Set(emails).size).toBe(emails.length); // nothing stored twice
    expect(emails).toHaveLength(VALID); // everything stored in the end
    expect(summary).toMatchObject({ total: 300, counts: { invalid: 10 }, complete: true });
    // The batch in flight at the kill may have been stored without its answer reaching the journal:
    // sent again, the vendor calls those leads duplicates (that is the one resend a kill can cause).
    expect(summary.counts.added + summary.counts.duplicate).toBe(VALID + 6);
    expect(summary.counts.added).toBeGreaterThanOrEqual(VALID - BATCH);
    expect(summary.resumed).toBeGreaterThanOrEqual(2 * BATCH);
    // Journaled batches were not sent again: at most the one batch in flight at the kill is resent.
    const batches = Math.ceil(VALID / BATCH);
    expect(s.store.stats().requests).toBeLessThanOrEqual(batches + 1);
    expect(s.store.stats().requests - requestsBefore).toBeLessThan(batches);
    // The final report covers the whole file, the first run's rows included.
    expect(readCsv(readFileSync(report, "utf8"))).toHaveLength(300 - summary.counts.added);
    expect(again.code).toBe(1);
  });

  it("Ctrl-C stops cleanly, writes journal and report, says how to resume, exits 130", async () => {
    // Ctrl-C waits for the batch in flight: the 4th is answered, late.
    const s = await simulator({ kind: "delay", delayMs: 5000 });
    const report = tmp.path("int.csv");
    const journal = tmp.path("int.journal.jsonl");
    const child = spawn(process.execPath, [BIN, ...args(report)], {
      env: cleanEnv(envFor(s)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    await waitForSettled(journal, BATCH);
    const held = () => s.store.stats().requests === 4 && s.store.stats().inFlight === 1;
    await waitUntil("the 4th request is held at the simulator", held);
    child.kill("SIGINT");
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(130);
    expect(stderr).toContain("Stopping:");
    expect(stdout).toContain("Resume: run the same command again");
    expect(stdout).toContain(`leadbridge import ${SAMPLE} --to instantly --campaign ${CAMPAIGN}`);
    const storedAtStop = storedEmails(s).length;
    expect(storedAtStop).toBeLessThan(VALID);
    // Every stored lead is in the journal: nothing the vendor acknowledged is lost.
    const journaled = journalRecords(journal).filter((r) => r.rows);
    const rows = journaled.flatMap((b) => (b.rows ?? []).map(([a, z]) => z - a + 1));
    const notAdded = journaled.flatMap((b) => b.not ?? []).length;
    expect(rows.reduce((a: number, b: number) => a + b, 0) - notAdded).toBe(storedAtStop);

    const again = await run([...args(report), "--json"], { env: envFor(s) });
    // Ctrl-C let the batch in flight settle and journaled it: nothing is sent twice.
    expect(JSON.parse(again.stdout)).toMatchObject({ counts: { added: VALID, duplicate: 6 }, complete: true });
    expect(storedEmails(s)).toHaveLength(VALID);
  });
});
