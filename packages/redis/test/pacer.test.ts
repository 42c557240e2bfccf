// The Redis pacer against a real redis-server and the Instantly simulator at its documented limits.
// Each "process" below is a bridge with its own Redis connection and its own redisPacing: they share
// nothing but Redis, exactly as separate worker processes do.
import { startSimulator } from "@leadbridge/simulators";
import { dumpAll, type RedisServer, skipWithoutRedis, startRedisServer, waitUntil } from "@leadbridge/testing";
import {
  createLeadBridge,
  FLOOR_SAMPLES,
  type Pacer,
  RateLimitError,
  type Report,
  SlidingWindowLimiter,
} from "leadbridge";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RedisPacer, RedisUnavailableError, redisPacing } from "../src/index.js";
import { connect, manyLeads } from "./helpers.js";

const noRedis = skipWithoutRedis("the Redis pacer tests");
let server: RedisServer;
beforeAll(async () => {
  if (!noRedis) server = await startRedisServer();
});
afterAll(async () => {
  await server?.close();
});

describe.skipIf(noRedis)("redisPacing with the facade", () => {
  // 200 requests may be in flight at once: four unshared pacers would let 400 start in the first second.
  test("4 bridges on 4 connections, one Instantly workspace: zero 429s, every lead added", async () => {
    const sim = await startSimulator({ vendor: "instantly", seed: 7 });
    const clients = Array.from({ length: 4 }, () => connect(server.url));
    try {
      const campaignId = sim.store.createCampaign();
      const runs = clients.map((redis, i) => {
        // No retries: one 429 would be a failed lead and a RateLimitError.
        const bridge = createLeadBridge({
          instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: redisPacing(redis) },
          retry: { maxAttempts: 1 },
        });
        return bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(1_500, i * 1_500), {
          batchSize: 10,
          concurrency: 50,
        });
      });
      const reports: Report[] = await Promise.all(runs);
      expect(reports.map((r) => r.counts.added)).toEqual([1_500, 1_500, 1_500, 1_500]);
      const stats = sim.store.stats();
      expect(stats.requests).toBe(600);
      expect(stats.rateLimited).toBe(0);
      expect(sim.store.leadCount()).toBe(6_000);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
      await sim.close();
    }
  });

  // The control must not depend on machine speed: a window of 5 requests per 5 s, and 4 bridges that each
  // may send 5 at once. Unshared, 20 requests arrive within the window on any machine; shared, never more than 5.
  test("control, same load under a small window: shared through Redis zero 429s, one pacer per process 429s", async () => {
    const windows = [{ limit: 5, windowMs: 5_000 }];
    const load = async (pacerOf: (i: number) => Pacer) => {
      const sim = await startSimulator({ vendor: "instantly", seed: 7, rateLimits: { windows } });
      try {
        const campaignId = sim.store.createCampaign();
        const results = await Promise.all(
          [0, 1, 2, 3].map((i) =>
            createLeadBridge({
              instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: pacerOf(i) },
              retry: { maxAttempts: 1 },
            })
              .addLeads({ vendor: "instantly", campaignId }, manyLeads(2, i * 2), { batchSize: 1, concurrency: 5 })
              .catch((error: unknown) => error),
          ),
        );
        return { results, rateLimited: sim.store.stats().rateLimited, stored: sim.store.leadCount() };
      } finally {
        await sim.close();
      }
    };
    const clients = [0, 1, 2, 3].map(() => connect(server.url));
    try {
      const key = `test:control:${Date.now()}`;
      const shared = await load((i) => new RedisPacer(clients[i]!, key, windows));
      expect(shared.rateLimited).toBe(0);
      expect(shared.stored).toBe(8);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
    const unshared = await load(() => new SlidingWindowLimiter(windows));
    expect(unshared.rateLimited).toBeGreaterThan(0);
    expect(unshared.results.some((r) => r instanceof RateLimitError)).toBe(true);
  });

  test("Redis keeps no credential: keys name the vendor and a digest, and expire", async () => {
    const sim = await startSimulator({ vendor: "instantly", seed: 7 });
    const redis = connect(server.url);
    try {
      await redis.flushall();
      const campaignId = sim.store.createCampaign();
      const bridge = createLeadBridge({
        instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: redisPacing(redis) },
      });
      const report = await bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(50), { batchSize: 10 });
      expect(report.counts.added).toBe(50);
      const dump = await dumpAll(redis);
      expect(dump.length).toBeGreaterThan(0);
      for (const { key, ttlMs, text } of dump) {
        expect(key).toMatch(
          /^leadbridge:pace:instantly:[0-9a-f]{32}:(sent|floor|early|prov|concurrency|inflight|w:\d+:\d+)$/,
        );
        expect(ttlMs).toBeGreaterThan(0);
        expect(text).not.toContain(sim.credentials.apiKey);
        expect(text).not.toContain(sim.url);
        expect(text).not.toContain("example.com");
      }
    } finally {
      await redis.quit();
      await sim.close();
    }
  });
});

describe.skipIf(noRedis)("RedisPacer", () => {
  const windows = [{ limit: 2, windowMs: 300 }];

  test("a slot is held from acquire until its answer is back; the first answer (no floor yet) plus the window and margin", async () => {
    const a = connect(server.url);
    const b = connect(server.url);
    try {
      const key = `test:held:${Date.now()}`;
      const one = new RedisPacer(a, key, windows, { marginMs: 25 });
      const two = new RedisPacer(b, key, windows, { marginMs: 25 });
      const first = await one.acquire();
      await two.acquire();
      let thirdAt = 0;
      const third = one.acquire().then((permit) => {
        thirdAt = Date.now();
        return permit;
      });
      // Both slots are in flight: the third cannot start however long they take. Release the first
      // once the third has asked Redis at least once (its member count shows it waited, not granted).
      await waitUntil(
        "two slots taken and the third waiting",
        async () => (await a.zcard(`${key}:w:2:300`)) === 2 && thirdAt === 0,
      );
      const releasedAt = Date.now();
      first.release();
      (await third).release();
      expect(thirdAt - releasedAt).toBeGreaterThanOrEqual(300 + 25 - 5);
    } finally {
      await Promise.all([a.quit(), b.quit()]);
    }
  });

  test("the in-process rule: a request answered as fast as the floor frees a window after its send, not after its answer", async () => {
    const a = connect(server.url);
    try {
      const key = `test:rule:${Date.now()}`;
      const pacer = new RedisPacer(a, key, [{ limit: 50, windowMs: 1_000 }], { marginMs: 25 });
      const hold = async () => {
        const permit = await pacer.acquire();
        await new Promise((resolve) => setTimeout(resolve, 200)); // the vendor's latency (time under test)
        permit.release();
      };
      // The floor (≥ 200 ms) is trusted from FLOOR_SAMPLES round trips sent after the first answer on.
      await hold();
      await Promise.all(Array.from({ length: FLOOR_SAMPLES }, hold));
      const member = async () => (await a.zrange(`${key}:w:50:1000`, "-1", "-1", "WITHSCORES")) as [string, string];
      await hold();
      const [name] = await member();
      await waitUntil("the answer reached Redis", async () => (await a.hexists(`${key}:sent`, name)) === 0);
      const [, score] = await member();
      const [seconds, micros] = await a.time();
      const after = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      // Strict would be answer + 1,025; this frees at answer − (round trip − excess) + 1,025 ≤ answer + 825 + slack.
      expect(Number(score)).toBeLessThanOrEqual(after + 1_025 - 150);
    } finally {
      await a.quit();
    }
  });

  test("a slot is held from when the request left the process (wrote), so a floor made by slow writes does not shorten it", async () => {
    const a = connect(server.url);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)); // time under test
    const redisNow = async () => {
      const [seconds, micros] = await a.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    try {
      const key = `test:wrote:${Date.now()}`;
      const pacer = new RedisPacer(a, key, [{ limit: 50, windowMs: 1_000 }], { marginMs: 25 });
      // Round trips written 150 ms after their permit and answered 100 ms after the write: measured from the
      // permit the floor would be 250 ms; from the write it is 100 ms.
      const hold = async (beforeWrite: number) => {
        const permit = await pacer.acquire();
        await sleep(beforeWrite);
        const wroteBy = await redisNow();
        permit.wrote();
        await sleep(100);
        permit.release();
        return wroteBy;
      };
      await hold(150);
      await Promise.all(Array.from({ length: FLOOR_SAMPLES }, () => hold(150)));
      const member = async () => (await a.zrange(`${key}:w:50:1000`, "-1", "-1", "WITHSCORES")) as [string, string];
      // Written 300 ms after its permit: the vendor counted it after the write, so its slot frees a window
      // (and the margin) after the write at the earliest; from the permit it would be ~150 ms sooner.
      const wroteBy = await hold(300);
      const [name] = await member();
      await waitUntil("the answer reached Redis", async () => (await a.hexists(`${key}:sent`, name)) === 0);
      expect(Number((await member())[1])).toBeGreaterThanOrEqual(wroteBy + 1_025 - 1);
    } finally {
      await a.quit();
    }
  });

  test("until FLOOR_SAMPLES round trips are known, a round trip counts whole: the slot frees a window after the answer", async () => {
    const a = connect(server.url);
    try {
      const key = `test:untrusted:${Date.now()}`;
      const pacer = new RedisPacer(a, key, [{ limit: 5, windowMs: 1_000 }], { marginMs: 25 });
      const member = async () => (await a.zrange(`${key}:w:5:1000`, "-1", "-1", "WITHSCORES")) as [string, string];
      for (let i = 0; i < 2; i++) {
        const permit = await pacer.acquire();
        await new Promise((resolve) => setTimeout(resolve, 200)); // the vendor's latency (time under test)
        const [seconds, micros] = await a.time();
        const answered = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
        permit.release();
        const [name] = await member();
        await waitUntil("the answer reached Redis", async () => (await a.hexists(`${key}:sent`, name)) === 0);
        // The second too: one round trip is not a floor (with it, this would free ~200 ms earlier).
        expect(Number((await member())[1])).toBeGreaterThanOrEqual(answered + 1_025);
      }
    } finally {
      await a.quit();
    }
  });

  describe("the first window: a floor from its own round trips (as in-process)", () => {
    /**
     * FLOOR_SAMPLES + 5 requests granted and written at once, answered 200 ms later: the Redis times just
     * before the answers, and when every slot frees.
     */
    async function firstWindow(loopDelayMs: number) {
      const a = connect(server.url);
      const redisNow = async () => {
        const [seconds, micros] = await a.time();
        return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      };
      try {
        const key = `test:first:${loopDelayMs}:${Date.now()}`;
        const pacer = new RedisPacer(a, key, [{ limit: 30, windowMs: 1_000 }], {
          marginMs: 25,
          loopDelayMs: () => loopDelayMs,
        });
        const permits = await Promise.all(Array.from({ length: FLOOR_SAMPLES + 5 }, () => pacer.acquire()));
        for (const permit of permits) permit.wrote();
        await new Promise((resolve) => setTimeout(resolve, 200)); // the vendor's latency (time under test)
        const answered = await redisNow();
        for (const permit of permits) permit.release();
        await waitUntil("every answer reached Redis", async () => (await a.hlen(`${key}:sent`)) === 0);
        const scores = (await a.zrange(`${key}:w:30:1000`, "0", "-1", "WITHSCORES")).filter((_, i) => i % 2 === 1);
        expect(scores).toHaveLength(FLOOR_SAMPLES + 5);
        return { answered, frees: scores.map(Number) };
      } finally {
        await a.quit();
      }
    }

    test("written before the first answer, read on a calm event loop: every slot frees a window after its write", async () => {
      const { answered, frees } = await firstWindow(0);
      // Counted whole, each would free at its answer + 1,025 or later; by the floor, ~200 ms before that.
      for (const at of frees) expect(at).toBeLessThanOrEqual(answered + 1_025 - 150);
    });

    test("read on a busy event loop (a delay over two margins): every slot frees a window after its answer", async () => {
      const { answered, frees } = await firstWindow(51);
      for (const at of frees) expect(at).toBeGreaterThanOrEqual(answered + 1_025);
    });
  });

  test("on a real redis-server: two processes, arrival delay ≤ margin: no window of the vendor's counting holds more than its limit", async () => {
    const a = connect(server.url);
    const b = connect(server.url);
    try {
      const key = `test:property:${Date.now()}`;
      const window = { limit: 3, windowMs: 200 };
      const pacers = [a, b].map((r) => new RedisPacer(r, key, [window], { marginMs: 20 }));
      const arrivals: number[] = [];
      // A seeded sequence: the vendor counts each request 0–20 ms after its send and answers 100 ms after it
      // (as fast as the floor, so only the margin stands between two requests a window apart).
      let seed = 12;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      await Promise.all(
        Array.from({ length: 36 }, async (_, i) => {
          const permit = await pacers[i % 2]!.acquire();
          const [s, us] = await a.time();
          arrivals.push(Number(s) * 1000 + Number(us) / 1000 + random() * 20);
          await new Promise((resolve) => setTimeout(resolve, 100)); // the request's round trip (time under test)
          permit.release();
        }),
      );
      arrivals.sort((x, y) => x - y);
      for (let i = 0; i + window.limit < arrivals.length; i++)
        expect(arrivals[i + window.limit]! - arrivals[i]!).toBeGreaterThanOrEqual(window.windowMs);
    } finally {
      await Promise.all([a.quit(), b.quit()]);
    }
  });

  test("Retry-After pauses every process sharing the key", async () => {
    const a = connect(server.url);
    const b = connect(server.url);
    try {
      const key = `test:pause:${Date.now()}`;
      const one = new RedisPacer(a, key, windows);
      const two = new RedisPacer(b, key, windows);
      const pausedAt = Date.now();
      one.pauseUntil(pausedAt + 400);
      await waitUntil("the pause is in Redis", async () => (await a.exists(`${key}:pause`)) === 1);
      (await two.acquire()).release();
      expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(400 - 10);
    } finally {
      await Promise.all([a.quit(), b.quit()]);
    }
  });

  test("a slot never released (its process died) frees at its lease deadline (at least a window and margin after its send)", async () => {
    const a = connect(server.url);
    try {
      const key = `test:lease:${Date.now()}`;
      const pacer = new RedisPacer(a, key, [{ limit: 1, windowMs: 100 }], { leaseMs: 500, marginMs: 25 });
      const start = Date.now();
      await pacer.acquire(); // never released
      (await pacer.acquire()).release();
      expect(Date.now() - start).toBeGreaterThanOrEqual(500 - 10);
    } finally {
      await a.quit();
    }
  });

  test("Redis restarted while workers wait: they continue once it is back", async () => {
    const persistent = await startRedisServer({ persistent: true });
    const a = connect(persistent.url);
    try {
      // A long window: nothing taken before the restart leaves it during the test.
      const pacer = new RedisPacer(a, "test:restart", [{ limit: 10, windowMs: 60_000 }]);
      for (let i = 0; i < 5; i++) (await pacer.acquire()).release();
      await persistent.stop();
      const waiting = pacer.acquire();
      await persistent.start();
      (await waiting).release();
      // The slots taken before the restart survived it (append-only file).
      expect(await a.zcard("test:restart:w:10:60000")).toBe(6);
    } finally {
      a.disconnect();
      await persistent.close();
    }
  });

  test("Redis gone for good: acquire fails with an error naming Redis, and the facade sends nothing", async () => {
    const gone = await startRedisServer();
    const a = connect(gone.url);
    const sim = await startSimulator({ vendor: "instantly", seed: 7 });
    try {
      await a.ping();
      await gone.stop();
      const bridge = createLeadBridge({
        instantly: {
          apiKey: sim.credentials.apiKey,
          baseUrl: sim.url,
          rateLimit: redisPacing(a, { unavailableAfterMs: 500 }),
        },
      });
      const error = await bridge
        .addLeads({ vendor: "instantly", campaignId: sim.store.createCampaign() }, manyLeads(30), { batchSize: 10 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toMatch(new RegExp(`Redis at 127\\.0\\.0\\.1:${gone.port} was unreachable`));
      const report = (error as RedisUnavailableError).report!;
      expect(report.counts.failed).toBe(30);
      expect(report.results.every((r) => r.reason === "redis_unavailable")).toBe(true);
      expect(sim.store.stats().requests).toBe(0);
    } finally {
      a.disconnect();
      await gone.close();
      await sim.close();
    }
  });
});
