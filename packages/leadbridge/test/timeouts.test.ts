// Every attempt ends by `retry.timeoutMs`, whatever the garbage collector frees meanwhile: against a
// simulator that accepts a request and never answers, a custom fetch that drops the signal, and a
// server that sends headers and then never ends the body. Runs with --expose-gc (vitest.config.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge, type Report } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

const gc = (globalThis as { gc?: () => void }).gc;
const TIMEOUT_MS = 1_500;
const retry = { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: TIMEOUT_MS };

/** Waits (on events, not time) until `arrived()` holds, then forces full collections. */
async function collectOnceArrived(arrived: () => boolean): Promise<void> {
  while (!arrived()) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 5; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A report, or a failure naming the hang: without a working timeout the call never settles. */
async function settlesWithin(call: Promise<Report>, ms: number): Promise<Report> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the call did not settle within ${ms} ms: a timeout never fired`)), ms);
  });
  try {
    return await Promise.race([call, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("timeouts survive garbage collection", () => {
  test("gc is exposed to this file", () => {
    expect(typeof gc).toBe("function");
  });

  test("a hung NLPearl request ends by timeoutMs after forced collections: unknown, not resent", async ({
    simulator,
  }) => {
    const sim = await simulator({
      vendor: "nlpearl",
      seed: 1,
      faults: { rules: [{ kind: "hang", schedule: [1] }] },
    });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url }, retry });
    const call = bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(10), { batchSize: 10 });
    await collectOnceArrived(() => sim.store.stats().requests >= 1);
    const report = await settlesWithin(call, TIMEOUT_MS * 10);
    expectAccounted(report, 10);
    expect(report.counts.unknown).toBe(10);
    expect(report.results[0]?.reason).toMatch(new RegExp(`no answer within ${TIMEOUT_MS} ms`));
    expect(sim.store.stats().requests).toBe(1);
  });

  test("a custom fetch that drops the signal still ends by timeoutMs (Instantly: resent, then added)", async ({
    simulator,
  }) => {
    const sim = await simulator({
      vendor: "instantly",
      seed: 1,
      faults: { rules: [{ kind: "hang", schedule: [1] }] },
    });
    const campaignId = sim.store.createCampaign();
    // A wrapper that forwards the request but forgets its signal: only LeadBridge's own deadline can end it.
    const forgetful: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      return globalThis.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: await request.arrayBuffer(),
      });
    };
    const bridge = createLeadBridge({
      instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      fetch: forgetful,
      retry,
    });
    const call = bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(10), { batchSize: 10 });
    await collectOnceArrived(() => sim.store.stats().requests >= 1);
    const report = await settlesWithin(call, TIMEOUT_MS * 10);
    expectAccounted(report, 10);
    expect(report.counts.added).toBe(10);
    expect(sim.store.stats().requests).toBe(2);
  });

  test("a body that never ends: the attempt ends by timeoutMs (NLPearl: unknown, not resent)", async () => {
    let requests = 0;
    const server = createServer((request, response) => {
      requests++;
      request.resume();
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"leads":[');
      // …and nothing more, ever.
    });
    const baseUrl = await listen(server);
    try {
      const bridge = createLeadBridge({ nlpearl: { accountId: "account", secretKey: "secret-key", baseUrl }, retry });
      const call = bridge.addLeads({ vendor: "nlpearl", pearlId: "p" }, manyLeads(5), { batchSize: 5 });
      await collectOnceArrived(() => requests >= 1);
      const report = await settlesWithin(call, TIMEOUT_MS * 10);
      expectAccounted(report, 5);
      expect(report.counts.unknown).toBe(5);
      expect(report.results[0]?.reason).toMatch(new RegExp(`no answer within ${TIMEOUT_MS} ms`));
      expect(requests).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test("many hangs under repeated collections: an Instantly import finishes, every lead stored once", async ({
    simulator,
  }) => {
    const sim = await simulator({
      vendor: "instantly",
      seed: 7,
      rateLimits: false,
      faults: { rules: [{ kind: "hang", probability: 0.05 }] },
    });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({
      instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      retry: { ...retry, timeoutMs: 500, maxAttempts: 10 },
    });
    let settled = false;
    const call = bridge
      .addLeads({ vendor: "instantly", campaignId }, manyLeads(2000), { batchSize: 20, concurrency: 4 })
      .finally(() => {
        settled = true;
      });
    // A full collection after every request the simulator sees, until the call settles.
    const collecting = (async () => {
      let seen = 0;
      while (!settled) {
        const requests = sim.store.stats().requests;
        if (requests > seen) {
          seen = requests;
          gc!();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const report = await settlesWithin(call, 50_000);
    await collecting;
    expectAccounted(report, 2000);
    // A slow answer past the timeout is resent; Instantly then reports the lead as already there.
    expect(report.counts.added + report.counts.duplicate).toBe(2000);
    for (const r of report.results) if (r.outcome === "duplicate") expect(r.reason).toMatch(/earlier attempt/);
    const emails = sim.store.leads({ campaignId }).map((lead) => lead.email);
    expect(new Set(emails).size).toBe(2000);
    expect(emails).toHaveLength(2000);
    expect(sim.store.stats().faults.hang).toBeGreaterThan(0);
  });
});
