// The Redis journal against a real redis-server, driven by addLeads and the NLPearl simulator
// (NLPearl does not deduplicate: a batch whose answer was lost must never be sent again).
import { startSimulator } from "@leadbridge/simulators";
import { dumpAll, type RedisServer, skipWithoutRedis, startRedisServer, waitUntil } from "@leadbridge/testing";
import { createLeadBridge, type Lead } from "leadbridge";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JournalConflictError, journalHooks, planResume, RedisJournal } from "../src/index.js";
import { connect } from "./helpers.js";

const noRedis = skipWithoutRedis("the Redis journal tests");
let server: RedisServer;
beforeAll(async () => {
  if (!noRedis) server = await startRedisServer();
});
afterAll(async () => {
  await server?.close();
});

const phoneOf = (row: number) => `+1415555${String(row).padStart(4, "0")}`;
function leadsFor(rows: number[]): Lead[] {
  return rows.map((row) => ({ phone: phoneOf(row), firstName: `Row${row}` }));
}

describe.skipIf(noRedis)("RedisJournal", () => {
  test("started rows are in doubt or resendable until settled; failed rows are forgotten; the key expires", async () => {
    const redis = connect(server.url);
    try {
      const journal = new RedisJournal(redis, `t1:${Date.now()}`, { ttlMs: 60_000 });
      await journal.started([0, 1, 2], false);
      await journal.started([3, 4], true);
      let snap = await journal.load();
      expect(snap.inDoubt).toEqual([0, 1, 2]);
      expect(snap.resendable).toEqual([3, 4]);
      await journal.settled([
        { row: 0, outcome: "added" },
        { row: 1, outcome: "invalid" },
        { row: 2, outcome: "unknown" },
        { row: 3, outcome: "failed" },
        { row: 4, outcome: "duplicate" },
      ]);
      snap = await journal.load();
      expect([...snap.settled]).toEqual([
        [0, "added"],
        [1, "invalid"],
        [2, "unknown"],
        [4, "duplicate"],
      ]);
      expect(snap.inDoubt).toEqual([]);
      expect(snap.resendable).toEqual([]);
      const ttl = await redis.pttl(journal.key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      const plan = planResume(snap, 0, 6);
      expect(plan.send).toEqual([3, 5]);
      expect(plan.carried.map((c) => [c.row, c.outcome])).toEqual([
        [0, "added"],
        [1, "invalid"],
        [2, "unknown"],
        [4, "duplicate"],
      ]);
    } finally {
      await redis.quit();
    }
  });

  test("two attempts of one job at once (a busy worker taken for stalled): a row is started by one only", async () => {
    const redis = connect(server.url);
    try {
      const job = `t3:${Date.now()}`;
      const first = new RedisJournal(redis, job);
      const second = new RedisJournal(redis, job);
      await first.started([0, 1, 2], false);
      await expect(second.started([2, 3], false)).rejects.toBeInstanceOf(JournalConflictError);
      // All or none: row 3 was not taken by the refused attempt.
      expect((await first.load()).inDoubt).toEqual([0, 1, 2]);
      // Resendable rows (the vendor deduplicates) may be started again by a retry.
      await first.started([5], true);
      await second.started([5], true);
      await first.settled([{ row: 5, outcome: "added" }]);
      await expect(second.started([5], true)).rejects.toThrow(/row 5 was already started or settled/);
    } finally {
      await redis.quit();
    }
  });

  test("addLeads through the hooks: a batch sent without a recorded answer is unknown on resume, never resent", async () => {
    const redis = connect(server.url);
    // Request 3 hangs: its batch is sent, its answer never comes.
    const sim = await startSimulator({
      vendor: "nlpearl",
      seed: 1,
      faults: { rules: [{ kind: "hang", schedule: [3] }] },
    });
    try {
      const outbound = sim.store.createOutbound();
      const job = `t2:${Date.now()}`;
      const rows = Array.from({ length: 50 }, (_, i) => i);
      const journal = new RedisJournal(redis, job);
      const hooks = journalHooks(journal, (index) => rows[index]!);
      const bridge = createLeadBridge({
        nlpearl: { ...sim.credentials, baseUrl: sim.url },
        retry: { timeoutMs: 30_000 },
      });
      // The "worker" dies once the hanging batch is in flight: the call is abandoned, its hooks never run again.
      const crashed = new AbortController();
      let started = 0;
      const call = bridge.addLeads({ vendor: "nlpearl", pearlId: outbound }, leadsFor(rows), {
        batchSize: 10,
        concurrency: 1,
        signal: crashed.signal,
        onResult: hooks.onResult,
        onBatch: hooks.onBatch,
        onBatchStart: async (batch) => {
          await hooks.onBatchStart!(batch);
          if (++started === 3) dead = true;
        },
      });
      let dead = false;
      call.catch(() => undefined);
      await waitUntil(
        "the worker died with its third request at NLPearl",
        () => dead && sim.store.stats().requests === 3,
      );
      // What a killed process leaves: two batches settled, the third in flight. (The abandoned call is
      // cleaned up below only so the test ends; the journal is read before that.)
      await hooks.flush();
      const snap = await new RedisJournal(redis, job).load();
      expect(snap.settled.size).toBe(20);
      expect(snap.inDoubt).toEqual(rows.slice(20, 30));

      // The retry on "another worker": acknowledged rows skipped, the in-doubt batch unknown, the rest sent.
      const plan = planResume(snap, 0, 50);
      expect(plan.send).toEqual(rows.slice(30));
      expect(plan.carried.filter((c) => c.outcome === "unknown").map((c) => c.row)).toEqual(rows.slice(20, 30));
      const again = new RedisJournal(redis, job);
      const resumed = journalHooks(again, (index) => plan.send[index]!);
      const report = await bridge.addLeads({ vendor: "nlpearl", pearlId: outbound }, leadsFor(plan.send), {
        batchSize: 10,
        ...resumed,
      });
      await resumed.flush();
      expect(report.counts.added).toBe(20);
      const sent = sim.store.leads(outbound).map((l) => l.phoneNumber);
      // Every phone reached NLPearl at most once; the hung batch's leads never did.
      expect(new Set(sent).size).toBe(sent.length);
      expect(sent.length).toBe(40);
      crashed.abort();
      await sim.close();
      await call.catch(() => undefined);
      for (const { text } of await dumpAll(redis)) expect(text).not.toMatch(/\+1415555|Row\d/);
    } finally {
      await redis.quit();
      await sim.close();
    }
  });
});
