// Sliding-window rate limits. Assertions are on counts the window semantics imply, never on speed.
import { createAmplemarketClient } from "@leadbridge/amplemarket";
import { createInstantlyClient } from "@leadbridge/instantly";
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, onTestFinished, test } from "vitest";
import { startSimulator } from "../src/index.js";
import { SlidingWindowLimiter } from "../src/rate-limit.js";
import { direct, expectFromSimulator, proxied } from "./helpers.js";

describe("SlidingWindowLimiter", () => {
  test("admits at most `limit` within any window, counts only admitted requests, reports when a slot frees", () => {
    const limiter = new SlidingWindowLimiter([{ limit: 3, windowMs: 1_000 }]);
    expect([0, 100, 200].map((t) => limiter.tryAcquire("k", t))).toEqual([0, 0, 0]);
    expect(limiter.tryAcquire("k", 500)).toBe(500); // the slot of t=0 frees at 1000
    expect(limiter.tryAcquire("k", 999)).toBe(1);
    expect(limiter.tryAcquire("k", 1_000)).toBe(0); // t=0 left the window
    expect(limiter.tryAcquire("k", 1_050)).toBe(50); // t=100 frees at 1100
    expect(limiter.tryAcquire("other", 1_050)).toBe(0); // per credential
  });

  test("every window must have room", () => {
    const limiter = new SlidingWindowLimiter([
      { limit: 2, windowMs: 100 },
      { limit: 3, windowMs: 10_000 },
    ]);
    expect([0, 1, 200, 201].map((t) => limiter.tryAcquire("k", t))).toEqual([0, 0, 0, 10_000 - 201]);
  });
});

describe("Instantly: 100 requests/s and 6,000/min, 429 without Retry-After by default", async () => {
  const sim = await direct({ vendor: "instantly", seed: 4 });
  const client = createInstantlyClient({ apiKey: sim.credentials.apiKey, baseUrl: sim.url });

  test("a burst of 150 gets exactly 100 through per second it spans", async () => {
    const campaign_id = sim.store.createCampaign();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        client.POST("/api/v2/leads/add", { body: { campaign_id, leads: [{ email: `l${i}@example.com` }] } }),
      ),
    );
    const elapsedMs = performance.now() - started;
    const ok = results.filter((r) => r.response.status === 200).length;
    const limited = results.filter((r) => r.response.status === 429);
    expect(ok + limited.length).toBe(150);
    // The first 100 always pass; within any second no more than 100 can.
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(ok).toBeLessThanOrEqual(100 * (Math.floor(elapsedMs / 1_000) + 1));
    expect(sim.store.stats().rateLimited).toBe(limited.length);
    expect(sim.store.leads({ campaignId: campaign_id })).toHaveLength(ok);
  });

  // Whether the burst above meets a 429 depends on how fast this machine sends it: a window of one
  // request shows the answer's shape whatever the speed.
  test("a 429 has Instantly's body and, by default, no Retry-After", async () => {
    const strict = await startSimulator({
      vendor: "instantly",
      seed: 4,
      rateLimits: { windows: [{ limit: 1, windowMs: 60_000 }] },
    });
    onTestFinished(() => strict.close());
    const strictClient = createInstantlyClient({ apiKey: strict.credentials.apiKey, baseUrl: strict.url });
    const campaign_id = strict.store.createCampaign();
    const send = (i: number) =>
      strictClient.POST("/api/v2/leads/add", { body: { campaign_id, leads: [{ email: `s${i}@example.com` }] } });
    expect((await send(0)).response.status).toBe(200);
    const limited = await send(1);
    expect(limited.response.status).toBe(429);
    expect(limited.error).toEqual({ statusCode: 429, error: "Too Many Requests", message: "Rate limit exceeded" });
    expect(limited.response.headers.get("retry-after")).toBeNull();
    expect(strict.store.stats().rateLimited).toBe(1);
  });
});

describe("through prism proxy: each vendor's 429 is in contract", () => {
  test("Instantly, with the Retry-After option on", async () => {
    const { sim, prism } = await proxied({
      vendor: "instantly",
      rateLimits: { windows: [{ limit: 2, windowMs: 60_000 }], retryAfter: true },
    });
    const campaign_id = sim.store.createCampaign();
    const client = createInstantlyClient({ apiKey: sim.credentials.apiKey, baseUrl: prism.url });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { response } = await client.POST("/api/v2/leads/add", {
        body: { campaign_id, leads: [{ email: `${i}@example.com` }] },
      });
      expect(violationsOf(response)).toEqual([]);
      expectFromSimulator(response);
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  test("Amplemarket: 429 with Retry-After in whole seconds; a request after it passes", async () => {
    const { sim, prism } = await proxied({
      vendor: "amplemarket",
      rateLimits: { windows: [{ limit: 2, windowMs: 4_000 }] },
    });
    const id = sim.store.createList({ type: "email" });
    const client = createAmplemarketClient({ apiKey: sim.credentials.apiKey, baseUrl: prism.url });
    const send = (i: number) =>
      client.POST("/lead-lists/{id}/leads", {
        params: { path: { id } },
        body: { type: "email", leads: [{ email: `${i}@example.com` }] },
      });
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await send(i));
    for (const { response } of responses) {
      expect(violationsOf(response)).toEqual([]);
      expectFromSimulator(response);
    }
    // Three requests within 4 s on loopback: the third is refused.
    expect(responses.map((r) => r.response.status)).toEqual([202, 202, 429]);
    const retryAfter = Number(responses[2]!.response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(4);
    expect(responses[2]!.error?._errors[0]).toMatchObject({ code: "rate_limited" });
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1_000));
    expect((await send(3)).response.status).toBe(202);
    expect(sim.store.leads(id)).toHaveLength(3);
  });

  test("NLPearl: no limit by default; a configured one answers 429 with Retry-After", async () => {
    const unlimited = await direct({ vendor: "nlpearl" });
    const free = createNlpearlClient({ ...unlimited.credentials, baseUrl: unlimited.url });
    const many = await Promise.all(
      Array.from({ length: 300 }, () =>
        free.PUT("/v1/Outbound/{outboundId}/Lead", {
          params: { path: { outboundId: "o" } },
          body: { phoneNumber: "+14155550100" },
        }),
      ),
    );
    expect(many.every((r) => r.response.status === 200)).toBe(true);

    const { sim, prism } = await proxied({
      vendor: "nlpearl",
      rateLimits: { windows: [{ limit: 1, windowMs: 60_000 }] },
    });
    const client = createNlpearlClient({ ...sim.credentials, baseUrl: prism.url });
    const statuses = [];
    for (let i = 0; i < 2; i++) {
      const { response } = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
        params: { path: { outboundId: "o" } },
        body: { phoneNumber: "+14155550100" },
      });
      expect(violationsOf(response)).toEqual([]);
      statuses.push([response.status, response.headers.get("retry-after")]);
    }
    expect(statuses[0]).toEqual([200, null]);
    expect(statuses[1]![0]).toBe(429);
    expect(Number(statuses[1]![1])).toBeGreaterThanOrEqual(59);
  });
});

describe("Amplemarket's documented 500 requests/min, by default", async () => {
  const sim = await direct({ vendor: "amplemarket" });
  const client = createAmplemarketClient({ apiKey: sim.credentials.apiKey, baseUrl: sim.url });

  test("of 520 requests sent within the minute, exactly 500 pass", async () => {
    const id = sim.store.createList({ type: "email" });
    const statuses: number[] = [];
    const retryAfters: number[] = [];
    for (let batch = 0; batch < 13; batch++) {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          client.POST("/lead-lists/{id}/leads", {
            params: { path: { id } },
            body: { type: "email", leads: [{ email: `${batch}-${i}@example.com` }] },
          }),
        ),
      );
      for (const { response } of results) {
        statuses.push(response.status);
        if (response.status === 429) retryAfters.push(Number(response.headers.get("retry-after")));
      }
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(500);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    for (const seconds of retryAfters) {
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
    }
    expect(sim.store.list(id).leadCount).toBe(500);
  });
});

describe("option validation", () => {
  test("rateLimits: false turns limiting off; bad windows are refused", async () => {
    const sim = await direct({ vendor: "amplemarket", rateLimits: false });
    const id = sim.store.createList({ type: "email" });
    const client = createAmplemarketClient({ apiKey: sim.credentials.apiKey, baseUrl: sim.url });
    const results = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        client.POST("/lead-lists/{id}/leads", {
          params: { path: { id } },
          body: { type: "email", leads: [{ email: `${i}@x.com` }] },
        }),
      ),
    );
    expect(results.filter((r) => r.response.status === 202)).toHaveLength(600);
    await expect(
      direct({ vendor: "instantly", rateLimits: { windows: [{ limit: 0, windowMs: 1_000 }] } }),
    ).rejects.toThrow(RangeError);
  });
});
