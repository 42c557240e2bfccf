// The simulator enforces Instantly's documented limits (100/s and 6,000/min per workspace, sliding
// windows). The facade's default pace must cause zero 429s.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge, RateLimitError } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

describe("pacing", () => {
  test("Instantly at its documented limits: zero 429s, even from two concurrent calls sharing the key", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "instantly", seed: 3 });
    const campaignId = sim.store.createCampaign();
    const listId = sim.store.createList();
    // No retries: a single 429 would show up as a failed lead.
    const bridge = createLeadBridge({
      instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      retry: { maxAttempts: 1 },
    });
    const [a, b] = await Promise.all([
      bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(15_000), { batchSize: 50, concurrency: 8 }),
      bridge.addLeads({ vendor: "instantly", listId }, manyLeads(15_000, 15_000), { batchSize: 50, concurrency: 8 }),
    ]);
    expectAccounted(a, 15_000);
    expectAccounted(b, 15_000);
    const stats = sim.store.stats();
    expect(stats.requests).toBe(600);
    expect(stats.rateLimited).toBe(0);
    expect(stats.responsesByStatus[429]).toBeUndefined();
    expect(a.counts.added + b.counts.added).toBe(30_000);
  });

  test("control: unpaced, the same load does hit the simulator's limit (so the pacing tests can fail)", async () => {
    // A window no machine can outlast (10 per minute), so the control holds however slow the machine is.
    const sim = await startSimulator({
      vendor: "instantly",
      seed: 3,
      rateLimits: { windows: [{ limit: 10, windowMs: 60_000 }] },
    });
    try {
      const campaignId = sim.store.createCampaign();
      const bridge = createLeadBridge({
        instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: false },
        retry: { maxAttempts: 1 },
      });
      const error = await bridge
        .addLeads({ vendor: "instantly", campaignId }, manyLeads(15_000), { batchSize: 50, concurrency: 8 })
        .catch((e: unknown) => e);
      // Out of attempts on a 429, the call stops with a RateLimitError carrying the report so far.
      expect(error).toBeInstanceOf(RateLimitError);
      expectAccounted((error as RateLimitError).report!, 15_000);
      expect(sim.store.stats().rateLimited).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });

  test("a custom pace is honoured: 5 requests per 200 ms", async ({ simulator }) => {
    const sim = await simulator({
      vendor: "amplemarket",
      seed: 3,
      rateLimits: { windows: [{ limit: 5, windowMs: 200 }] },
    });
    const listId = sim.store.createList({ type: "email" });
    const bridge = createLeadBridge({
      amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: [{ limit: 5, windowMs: 200 }] },
      retry: { maxAttempts: 1 },
    });
    const report = await bridge.addLeads({ vendor: "amplemarket", listId, type: "email" }, manyLeads(300), {
      batchSize: 10,
      concurrency: 6,
    });
    expect(report.counts.added).toBe(300);
    expect(sim.store.stats().rateLimited).toBe(0);
  });
});
