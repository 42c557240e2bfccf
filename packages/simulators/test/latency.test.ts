// The latency model: service times from the seed, a capacity that queues, the control API, and answers that
// stay in contract behind `prism proxy --errors`. No assertion depends on the machine's speed: queueing is
// observed through a sleep the test resolves itself.
import { createInstantlyClient } from "@leadbridge/instantly";
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, test } from "vitest";
import { startSimulator } from "../src/index.js";
import { LatencyModel, leadsIn } from "../src/latency.js";
import { expectFromSimulator, proxied } from "./helpers.js";

/** A sleep the test ends: each call is recorded with its duration and waits until released. */
function manualSleep() {
  const pending: Array<{ ms: number; released: boolean; release: () => void }> = [];
  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const entry = {
        ms,
        released: false,
        release() {
          entry.released = true;
          done();
        },
      };
      pending.push(entry);
    });
  return { pending, sleep };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("LatencyModel", () => {
  test("service time is fixed + per lead, and the jitter is drawn from the seed", () => {
    expect(new LatencyModel({ fixedMs: 100, perLeadMs: 2 }, 1).serviceMs(50)).toBe(200);
    const draws = (seed: number) => {
      const model = new LatencyModel({ fixedMs: 100, jitter: 0.5 }, seed);
      return Array.from({ length: 20 }, () => model.serviceMs(1));
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    for (const ms of draws(7)) expect(ms >= 50 && ms <= 150).toBe(true);
    const model = new LatencyModel({ fixedMs: 100, jitter: 0.5 }, 7);
    const first = model.serviceMs(1);
    model.serviceMs(1);
    model.reset();
    expect(model.serviceMs(1)).toBe(first);
  });

  test("beyond its capacity, requests queue first come, first served", async () => {
    const model = new LatencyModel({ fixedMs: 10, perLeadMs: 1, capacity: 2 }, 1);
    const { pending, sleep } = manualSleep();
    const finished: number[] = [];
    const served = [1, 2, 3, 4, 5].map((leads) => model.serve(leads, sleep).then(() => finished.push(leads)));
    await tick();
    // Two in service (the first two to arrive), three waiting.
    expect(pending.map((p) => p.ms)).toEqual([11, 12]);
    pending[1]!.release();
    await tick();
    expect(pending.map((p) => p.ms)).toEqual([11, 12, 13]);
    // Release the oldest in service, one at a time: never more than two served at once, in arrival order.
    for (let released = 1; released < 5; released++) {
      const inService = pending.filter((p) => !p.released);
      expect(inService.length).toBeLessThanOrEqual(2);
      pending.find((p) => !p.released)!.release();
      await tick();
    }
    await Promise.all(served);
    expect(pending.map((p) => p.ms)).toEqual([11, 12, 13, 14, 15]);
    expect(finished).toHaveLength(5);
  });

  test("raising the capacity wakes waiting requests", async () => {
    const model = new LatencyModel({ fixedMs: 1, capacity: 1 }, 1);
    const { pending, sleep } = manualSleep();
    const served = Array.from({ length: 3 }, () => model.serve(1, sleep));
    await tick();
    expect(pending).toHaveLength(1);
    model.configure({ fixedMs: 1, capacity: 3 });
    await tick();
    expect(pending).toHaveLength(3);
    for (const p of pending) p.release();
    await Promise.all(served);
  });

  test("invalid settings are refused with the field named", () => {
    expect(() => new LatencyModel({ fixedMs: -1 }, 1)).toThrow(/latency.fixedMs/);
    expect(() => new LatencyModel({ perLeadMs: Number.NaN }, 1)).toThrow(/latency.perLeadMs/);
    expect(() => new LatencyModel({ jitter: 1 }, 1)).toThrow(/latency.jitter/);
    expect(() => new LatencyModel({ capacity: 0 }, 1)).toThrow(/latency.capacity/);
  });

  test("leads are counted from the body's leads array", () => {
    expect(leadsIn({ leads: [{}, {}, {}] })).toBe(3);
    expect(leadsIn({ phoneNumber: "+15550100" })).toBe(1);
    expect(leadsIn(undefined)).toBe(1);
  });
});

describe("a slow Instantly simulator behind prism proxy --errors", async () => {
  const { sim, prism } = await proxied({
    vendor: "instantly",
    rateLimits: false,
    seed: 5,
    latency: { fixedMs: 20, perLeadMs: 1, jitter: 0.2, capacity: 2 },
  });
  const client = createInstantlyClient({ apiKey: sim.credentials.apiKey, baseUrl: prism.url });
  const control = (method: string, body?: unknown) =>
    fetch(`${sim.url}/__simulator/latency`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test("answers stay in contract; the stats count the requests served at once", async () => {
    const campaign_id = sim.store.createCampaign();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        client.POST("/api/v2/leads/add", { body: { campaign_id, leads: [{ email: `l${i}@example.com` }] } }),
      ),
    );
    for (const { response, data } of results) {
      expect(violationsOf(response)).toEqual([]);
      expectFromSimulator(response);
      expect(data?.leads_uploaded).toBe(1);
    }
    const stats = sim.store.stats();
    expect(stats.inFlight).toBe(0);
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(1);
    expect(stats.peakInFlight).toBeLessThanOrEqual(6);
  });

  test("the control API reads and replaces the model, and refuses bad settings", async () => {
    expect(await (await control("GET")).json()).toEqual({ fixedMs: 20, perLeadMs: 1, jitter: 0.2, capacity: 2 });
    const replaced = await control("PUT", { fixedMs: 5 });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ fixedMs: 5, perLeadMs: 0, jitter: 0, capacity: null });
    const refused = await control("PUT", { capacity: 1.5 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "latency.capacity must be an integer ≥ 1, got 1.5" });
    expect((await control("PUT", [])).status).toBe(400);
  });
});

test("startSimulator refuses an invalid latency", async () => {
  await expect(startSimulator({ vendor: "nlpearl", latency: { jitter: -0.1 } })).rejects.toThrow(/latency.jitter/);
});
