// Injected faults. Those that answer go through prism proxy (they must be in contract); those
// that cut the connection are tested directly, since a proxy would turn them into its own answer.
import { createAmplemarketClient } from "@leadbridge/amplemarket";
import { createInstantlyClient } from "@leadbridge/instantly";
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, test, vi } from "vitest";
import { type FaultRule, startSimulator } from "../src/index.js";
import { direct, expectFromSimulator, proxied } from "./helpers.js";

const ANSWERED: FaultRule[] = [
  { kind: "429", schedule: [1] },
  { kind: "429", schedule: [2], retryAfter: 7 },
  { kind: "500", schedule: [3] },
  { kind: "502", schedule: [4] },
  { kind: "503", schedule: [5] },
];
const EXPECTED = [
  [429, null],
  [429, "7"],
  [500, null],
  [502, null],
  [503, null],
];

describe("answered faults are in each vendor's contract, and store nothing", () => {
  test("Instantly", async () => {
    const { sim, prism } = await proxied({ vendor: "instantly", rateLimits: false, faults: { rules: ANSWERED } });
    const campaign_id = sim.store.createCampaign();
    const client = createInstantlyClient({ apiKey: sim.credentials.apiKey, baseUrl: prism.url });
    const seen = [];
    for (let i = 0; i < 6; i++) {
      const { response, error } = await client.POST("/api/v2/leads/add", {
        body: { campaign_id, leads: [{ email: `${i}@example.com` }] },
      });
      expect(violationsOf(response)).toEqual([]);
      expectFromSimulator(response);
      if (i < 5) expect(error).toMatchObject({ statusCode: response.status });
      seen.push([response.status, response.headers.get("retry-after")]);
    }
    expect(seen).toEqual([...EXPECTED, [200, null]]);
    expect(sim.store.leads({ campaignId: campaign_id }).map((l) => l.email)).toEqual(["5@example.com"]);
    expect(sim.store.stats().faults).toMatchObject({ 429: 2, 500: 1, 502: 1, 503: 1 });
  });

  test("Amplemarket", async () => {
    const { sim, prism } = await proxied({ vendor: "amplemarket", rateLimits: false, faults: { rules: ANSWERED } });
    const id = sim.store.createList({ type: "email" });
    const client = createAmplemarketClient({ apiKey: sim.credentials.apiKey, baseUrl: prism.url });
    const seen = [];
    for (let i = 0; i < 6; i++) {
      const { response, error } = await client.POST("/lead-lists/{id}/leads", {
        params: { path: { id } },
        body: { type: "email", leads: [{ email: `${i}@example.com` }] },
      });
      expect(violationsOf(response)).toEqual([]);
      expectFromSimulator(response);
      if (i < 5) expect(error).toMatchObject({ object: "error" });
      seen.push([response.status, response.headers.get("retry-after")]);
    }
    expect(seen).toEqual([...EXPECTED, [202, null]]);
    expect(sim.store.list(id).leadCount).toBe(1);
  });

  test("NLPearl", async () => {
    const { sim, prism } = await proxied({ vendor: "nlpearl", faults: { rules: ANSWERED } });
    const client = createNlpearlClient({ ...sim.credentials, baseUrl: prism.url });
    const seen = [];
    for (let i = 0; i < 6; i++) {
      const { response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
        params: { path: { pearlId: "p" } },
        body: { leads: [{ phoneNumber: "+14155550100" }] },
      });
      expect(violationsOf(response)).toEqual([]);
      expectFromSimulator(response);
      seen.push([response.status, response.headers.get("retry-after")]);
    }
    expect(seen).toEqual([...EXPECTED, [200, null]]);
    expect(sim.store.leadCount()).toBe(1);
  });
});

describe("connection faults, directly", () => {
  const body = (campaign_id: string, email: string) => JSON.stringify({ campaign_id, leads: [{ email }] });
  const post = (url: string, apiKey: string, payload: string, signal?: AbortSignal) =>
    fetch(`${url}/api/v2/leads/add`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: payload,
      signal,
    });

  test("reset-before: the connection is reset and nothing is stored", async () => {
    const sim = await direct({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "reset-before", schedule: [1] }] },
    });
    const campaign = sim.store.createCampaign();
    const failure = await post(sim.url, sim.credentials.apiKey, body(campaign, "a@example.com")).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError & { cause?: { code?: string } }).cause?.code).toBe("ECONNRESET");
    expect(sim.store.leadCount()).toBe(0);
    expect(sim.store.stats().faults["reset-before"]).toBe(1);
    // The retry lands.
    expect((await post(sim.url, sim.credentials.apiKey, body(campaign, "a@example.com"))).status).toBe(200);
    expect(sim.store.leadCount()).toBe(1);
  });

  test("reset-after: the leads are stored but the client never hears; its retry sees a duplicate", async () => {
    const sim = await direct({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "reset-after", schedule: [1] }] },
    });
    const campaign = sim.store.createCampaign();
    const failure = await post(sim.url, sim.credentials.apiKey, body(campaign, "a@example.com")).catch(
      (e: unknown) => e,
    );
    expect((failure as TypeError & { cause?: { code?: string } }).cause?.code).toBe("ECONNRESET");
    expect(sim.store.leads({ campaignId: campaign }).map((l) => l.email)).toEqual(["a@example.com"]);
    const retry = await post(sim.url, sim.credentials.apiKey, body(campaign, "a@example.com"));
    expect(await retry.json()).toMatchObject({ leads_uploaded: 0, duplicated_leads: 1 });
    expect(sim.store.stats().faults["reset-after"]).toBe(1);
  });

  test("delay: a client that times out gives up, yet the request is processed when the delay ends", async () => {
    const sim = await direct({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "delay", schedule: [1], delayMs: 1_500 }] },
    });
    const campaign = sim.store.createCampaign();
    const failure = await post(
      sim.url,
      sim.credentials.apiKey,
      body(campaign, "slow@example.com"),
      AbortSignal.timeout(100),
    ).catch((e: unknown) => e);
    expect((failure as Error).name).toBe("TimeoutError");
    expect(sim.store.leadCount()).toBe(0);
    await vi.waitFor(() => expect(sim.store.leadCount()).toBe(1), { timeout: 10_000, interval: 100 });
    expect(sim.store.stats().faults.delay).toBe(1);
  });

  test("delay: a patient client gets the normal answer", async () => {
    const sim = await direct({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "delay", schedule: [1], delayMs: 200 }] },
    });
    const campaign = sim.store.createCampaign();
    const response = await post(sim.url, sim.credentials.apiKey, body(campaign, "a@example.com"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ leads_uploaded: 1 });
  });

  test("hang: no answer ever, nothing stored; close() still returns", async () => {
    const sim = await startSimulator({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "hang", schedule: [1] }] },
    });
    const campaign = sim.store.createCampaign();
    const hung = post(sim.url, sim.credentials.apiKey, body(campaign, "a@example.com")).catch((e: unknown) => e);
    await vi.waitFor(() => expect(sim.store.stats().faults.hang).toBe(1), { timeout: 10_000 });
    await sim.close();
    expect(await hung).toBeInstanceOf(TypeError); // the socket closed without an answer
    expect(sim.store.leadCount()).toBe(0);
  });
});

describe("probabilities", () => {
  const rules: FaultRule[] = [
    { kind: "429", probability: 0.2 },
    { kind: "503", probability: 0.05 },
  ];

  async function run(seed: number) {
    const sim = await direct({ vendor: "nlpearl", faults: { seed, rules } });
    const client = createNlpearlClient({ ...sim.credentials, baseUrl: sim.url });
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const { response } = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
        params: { path: { outboundId: "o" } },
        body: { phoneNumber: "+14155550100" },
      });
      statuses.push(response.status);
    }
    return { sim, statuses };
  }

  test("the same seed gives the same faults, another seed others; shares match the probabilities", async () => {
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a.statuses).toEqual(b.statuses);
    expect(a.statuses).not.toEqual(c.statuses);
    const share = (status: number) => a.statuses.filter((s) => s === status).length / a.statuses.length;
    expect(share(429)).toBeGreaterThan(0.13);
    expect(share(429)).toBeLessThan(0.27);
    expect(share(503)).toBeGreaterThan(0.01);
    expect(share(503)).toBeLessThan(0.1);
    const stats = a.sim.store.stats();
    expect(stats.faults[429]).toBe(a.statuses.filter((s) => s === 429).length);
    expect(stats.requests).toBe(400);
    expect(a.sim.store.leadCount()).toBe(a.statuses.filter((s) => s === 200).length);
  });

  test("reset() replays the same sequence", async () => {
    const sim = await direct({ vendor: "nlpearl", faults: { seed: 7, rules } });
    const client = createNlpearlClient({ ...sim.credentials, baseUrl: sim.url });
    const once = async () => {
      const out = [];
      for (let i = 0; i < 50; i++)
        out.push(
          (
            await client.PUT("/v1/Outbound/{outboundId}/Lead", {
              params: { path: { outboundId: "o" } },
              body: { phoneNumber: "+14155550100" },
            })
          ).response.status,
        );
      return out;
    };
    const first = await once();
    sim.store.reset();
    expect(await once()).toEqual(first);
  });

  test("probabilities over 1 in total, or unknown kinds, are refused", async () => {
    await expect(
      startSimulator({
        vendor: "nlpearl",
        faults: {
          rules: [
            { kind: "429", probability: 0.7 },
            { kind: "500", probability: 0.4 },
          ],
        },
      }),
    ).rejects.toThrow(/sum/);
    await expect(
      startSimulator({ vendor: "nlpearl", faults: { rules: [{ kind: "418" as never, probability: 0.1 }] } }),
    ).rejects.toThrow(/unknown fault kind/);
  });
});
