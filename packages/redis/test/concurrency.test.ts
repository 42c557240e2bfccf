// The adaptive in-flight limit shared through a real redis-server: two bridges, each with its own Redis
// connection and its own redisPacing (they share nothing but Redis, as two worker processes do), against one
// Instantly simulator. Observed through the simulator's in-flight counter and the shared state, never time.
import { createHash } from "node:crypto";
import { startSimulator } from "@leadbridge/simulators";
import { type RedisServer, skipWithoutRedis, startRedisServer, waitUntil } from "@leadbridge/testing";
import { createLeadBridge, type Report } from "leadbridge";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { digest } from "../src/connection.js";
import { RedisConcurrency, redisPacing, type SharedConcurrency } from "../src/index.js";
import { connect, manyLeads } from "./helpers.js";

const noRedis = skipWithoutRedis("the shared concurrency tests");
let server: RedisServer;
beforeAll(async () => {
  if (!noRedis) server = await startRedisServer();
});
afterAll(async () => {
  await server?.close();
});

/** The key redisPacing gives an Instantly account (a digest of base URL and credential hash). */
function accountKey(baseUrl: string, apiKey: string): string {
  const credentialHash = createHash("sha256").update(`leadbridge-credential\0${apiKey}`).digest("hex");
  return `leadbridge:pace:instantly:${digest(baseUrl, credentialHash)}`;
}

describe.skipIf(noRedis)("the adaptive in-flight limit shared through Redis", () => {
  test("two bridges on two connections: the in-flight sum stays within the one shared limit, which falls for both when the capacity is exceeded", async () => {
    const sim = await startSimulator({ vendor: "instantly", seed: 5, latency: { fixedMs: 100 } });
    const [a, b, c] = [connect(server.url), connect(server.url), connect(server.url)];
    try {
      const campaignId = sim.store.createCampaign();
      const probe = new RedisConcurrency(c, accountKey(sim.url, sim.credentials.apiKey));
      const BATCHES = 160; // per bridge
      const SQUEEZE_AT = 80; // batches settled across both
      let settled = 0;
      const before: number[] = [];
      const after: number[] = [];
      const shared: Array<SharedConcurrency & { squeezed: boolean }> = [];
      const byBridge = [0, 0];
      let squeezed: Promise<Response> | undefined;
      const run = (redis: typeof a, i: number) =>
        createLeadBridge({
          instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: redisPacing(redis) },
          retry: { maxAttempts: 1 }, // one 429 would fail the call
        }).addLeads({ vendor: "instantly", campaignId }, manyLeads(BATCHES * 5, i * BATCHES * 5), {
          batchSize: 5,
          onBatch() {
            byBridge[i]!++;
            const n = settled++;
            const { inFlight } = sim.store.stats();
            const isSqueezed = squeezed !== undefined;
            void probe.snapshot().then((s) => shared.push({ ...s, squeezed: isSqueezed }));
            if (!isSqueezed) before.push(inFlight);
            // A hundred answers to notice, and not the last batches (they drain the pool whatever the limit).
            else if (n >= SQUEEZE_AT + 100 && n < 2 * BATCHES - 60) after.push(inFlight);
            if (n === SQUEEZE_AT) {
              squeezed = fetch(`${sim.url}/__simulator/latency`, {
                method: "PUT",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ fixedMs: 100, capacity: 2 }),
              });
            }
          },
        });
      const reports: Report[] = await Promise.all([run(a, 0), run(b, 1)]);
      expect((await squeezed)?.status).toBe(200);
      expect(reports.map((r) => r.counts.added)).toEqual([BATCHES * 5, BATCHES * 5]);
      const stats = sim.store.stats();
      expect(stats.rateLimited).toBe(0);
      await waitUntil("every snapshot read", async () => shared.length === settled);
      // One limit for both: it grew past the old fixed 4, and the simulator never saw more in flight from
      // the two bridges together than the highest the shared limit ever was.
      const peakLimit = Math.max(...shared.map((s) => s.limit));
      expect(peakLimit).toBeGreaterThan(4);
      expect(stats.peakInFlight).toBeLessThanOrEqual(peakLimit);
      expect(Math.max(...shared.map((s) => s.inFlight))).toBeLessThanOrEqual(peakLimit);
      expect(Math.max(...before)).toBeGreaterThan(4);
      // Both bridges sent while the other did.
      expect(byBridge).toEqual([BATCHES, BATCHES]);
      // The capacity exceeded: the shared limit fell below its peak, and so did the in-flight sum.
      const lastLimit = shared.filter((s) => s.squeezed).at(-1)!.limit;
      expect(lastLimit).toBeLessThan(peakLimit);
      expect(after.length).toBeGreaterThan(20);
      expect(Math.min(...after.slice(-20))).toBeLessThan(Math.max(...before));
    } finally {
      await Promise.all([a.quit(), b.quit(), c.quit()]);
      await sim.close();
    }
  });

  test("a process killed while holding slots leaks them only until their lease", async () => {
    const [a, b] = [connect(server.url), connect(server.url)];
    try {
      const key = `test:lease:${Date.now()}`;
      const killed = new RedisConcurrency(a, key, { slotLeaseMs: 300 });
      const alive = new RedisConcurrency(b, key, { slotLeaseMs: 300 });
      await killed.acquire(); // the initial limit is 1; never released, and its renewals stop with its connection
      a.disconnect();
      expect(await alive.snapshot()).toEqual({ limit: 1, inFlight: 1 });
      const granted = await alive.acquire();
      expect((await alive.snapshot()).inFlight).toBe(1);
      granted.release();
      await waitUntil("the slot is given back", async () => (await alive.snapshot()).inFlight === 0);
    } finally {
      await b.quit();
    }
  });

  test("a live holder's slot is renewed: it outlasts its lease", async () => {
    const [a, b] = [connect(server.url), connect(server.url)];
    try {
      const key = `test:renew:${Date.now()}`;
      const holder = new RedisConcurrency(a, key, { slotLeaseMs: 300 });
      const other = new RedisConcurrency(b, key, { slotLeaseMs: 300 });
      const held = await holder.acquire();
      const [member] = await b.zrange(`${key}:inflight`, "0", "0");
      const first = Number(await b.zscore(`${key}:inflight`, member!));
      // Renewed: its deadline moves on while it is held, and nobody else gets the one slot meanwhile.
      await waitUntil("a renewal", async () => Number(await b.zscore(`${key}:inflight`, member!)) > first + 100);
      expect((await other.snapshot()).inFlight).toBe(1);
      held.release();
      (await other.acquire()).release();
    } finally {
      await Promise.all([a.quit(), b.quit()]);
    }
  });
});
