// Chaos: the built CLI SIGKILLed at random points, again and again, its journal's last line torn at
// random, and resumed each time, against each vendor's simulator. Kill points are observable states
// (journal lines written, leads stored), drawn from a seeded generator, never timers: the runs are the
// same on a fast or a loaded machine. In the end every row is stored exactly once (Instantly,
// Amplemarket: they deduplicate, so in-doubt rows are resent) or at most once (NLPearl: in-doubt rows are
// reported `unknown`, never resent).
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import type { Vendor } from "@leadbridge/simulators";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, journalRecords, readCsv, run, tempDir, waitUntil } from "./helpers.js";
import { keyOf, leadsCsv, vendorUnderTest } from "./vendors.js";

const ROWS = 300;
const KILLS = 8;
const SEED = Number(process.env.CHAOS_SEED ?? 17);

const tmp = tempDir();
afterAll(() => tmp.remove());

/** mulberry32: a small seeded generator, so a failing run can be replayed with CHAOS_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const journalLines = (path: string) => journalRecords(path).length;

describe.each(["instantly", "amplemarket", "nlpearl"] as const)("chaos: %s", (vendor: Vendor) => {
  it(`${KILLS} SIGKILLs at random points and torn journal lines, then a resume: no row sent twice`, async () => {
    // Every request takes a little while at the vendor, so that kills land with batches in flight.
    const v = await vendorUnderTest(vendor, [{ kind: "delay", probability: 1, delayMs: 15 }]);
    try {
      const rand = random(SEED + vendor.length);
      const file = tmp.path(`${vendor}.csv`);
      leadsCsv(file, ROWS);
      const journal = tmp.path(`${vendor}.journal.jsonl`);
      const report = tmp.path(`${vendor}-report.csv`);
      const args = ["import", file, ...v.flags, "--journal", journal, "--report", report];
      const batching = ["--batch-size", "10", "--concurrency", "2"];
      let kills = 0;
      let tears = 0;
      for (let round = 0; round < KILLS; round++) {
        const byLines = rand(2) === 0;
        const target = byLines ? journalLines(journal) + 1 + rand(8) : v.stored().length + 1 + rand(60);
        const child = spawn(process.execPath, [BIN, ...args, ...batching, "--quiet"], {
          env: cleanEnv(v.env),
          stdio: "ignore",
        });
        let exited = false;
        const exit = new Promise((resolve) => child.once("exit", resolve)).then(() => (exited = true));
        await waitUntil(`${byLines ? "journal lines" : "stored leads"} reach ${target}`, () => {
          if (exited) return true;
          return byLines ? journalLines(journal) >= target : v.stored().length >= target;
        });
        if (exited) break; // it finished before the kill point
        child.kill("SIGKILL");
        await exit;
        kills++;
        // Half the time, as if the kill came while a line of settled rows was being written: the last line
        // is cut short when it is one, else a settled line's first bytes are left after it. (A torn
        // "sending" line would mean that batch never left, which a test cannot arrange for a request the
        // kernel may still deliver.)
        if (rand(2) === 0) {
          const text = readFileSync(journal, "utf8");
          const start = text.lastIndexOf("\n", text.length - 2) + 1;
          const last = text.slice(start);
          if (last.startsWith('{"rows"')) writeFileSync(journal, text.slice(0, start + 1 + rand(last.length - 2)));
          else appendFileSync(journal, '{"rows":[[12,'.slice(0, 1 + rand(12)));
          tears++;
        }
      }
      const final = await run([...args, ...batching, "--json"], { env: v.env });
      const summary = JSON.parse(final.stdout);
      const stored = v.stored();
      const keys = Array.from({ length: ROWS }, (_, i) => keyOf(vendor, i));
      // No row is stored twice: for NLPearl, a second phone call.
      expect(stored.length - new Set(stored).size).toBe(0);
      expect(new Set(stored).size).toBeLessThanOrEqual(ROWS);
      expect(summary.total).toBe(ROWS);
      expect(summary.counts.failed).toBe(0);
      const unknownRows = new Set(
        readCsv(readFileSync(report, "utf8"))
          .filter((row) => row.outcome === "unknown")
          .map((row) => Number(row.row)),
      );
      if (vendor === "nlpearl") {
        // Never sent twice; every row stored or reported unknown (in doubt), and nothing reported added is missing.
        for (const [i, key] of keys.entries()) {
          if (!stored.includes(key))
            expect(unknownRows.has(i + 2), `row ${i + 2} is neither stored nor unknown`).toBe(true);
        }
        expect(summary.counts.added + summary.counts.unknown).toBe(ROWS);
        if (summary.counts.unknown > 0) expect(summary.warnings.join(" ")).toContain("--resend-unknown");
      } else {
        // Every row stored exactly once.
        expect([...stored].sort()).toEqual([...keys].sort());
        expect(summary.counts.added + summary.counts.duplicate + summary.counts.unknown).toBe(ROWS);
      }
      console.log(
        `${vendor}: seed ${SEED}, ${kills} kills, ${tears} torn lines, ${v.sim.store.stats().requests} requests; final ${JSON.stringify(summary.counts)}`,
      );
      expect(kills).toBeGreaterThan(0);
    } finally {
      await v.close();
    }
  });
});
