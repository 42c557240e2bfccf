import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { type BatchSettled, createLeadBridge, type Lead } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

async function* streamed(n: number): AsyncGenerator<Lead> {
  for (const lead of manyLeads(n)) yield lead;
}

describe("abort", () => {
  test.for<[string, () => Iterable<Lead> | AsyncIterable<Lead>]>([
    ["an array", () => [...manyLeads(5000)]],
    ["an async stream", () => streamed(5000)],
  ])(
    "mid-run with %s: sent leads keep their outcome, the rest are failed/aborted",
    async ([, source], { simulator }) => {
      const sim = await simulator({ vendor: "instantly", seed: 5 });
      const campaignId = sim.store.createCampaign();
      const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
      const controller = new AbortController();
      const batches: BatchSettled[] = [];
      const report = await bridge.addLeads({ vendor: "instantly", campaignId }, source(), {
        batchSize: 100,
        concurrency: 2,
        signal: controller.signal,
        onBatch(batch) {
          batches.push(batch);
          if (batches.length === 5) controller.abort();
        },
      });
      expectAccounted(report, 5000);
      const stored = new Set(sim.store.leads({ campaignId }).map((l) => l.email));
      expect(report.counts.added).toBe(stored.size);
      expect(report.counts.added).toBeGreaterThanOrEqual(500);
      expect(report.counts.added).toBeLessThan(5000);
      for (const r of report.results) {
        if (r.outcome === "added") expect(stored.has(`lead${r.index}@example.com`)).toBe(true);
        else {
          expect(r).toMatchObject({ outcome: "failed", reason: "aborted" });
          expect(stored.has(`lead${r.index}@example.com`)).toBe(false);
        }
      }
      // Acknowledged batches are exactly the added leads, for a resume journal.
      const acknowledged = batches.filter((b) => b.acknowledged).flatMap((b) => b.results.map((r) => r.index));
      expect(acknowledged.length).toBe(report.counts.added);
    },
  );

  test("aborted before the call: nothing is sent, everything is failed/aborted", async ({ simulator }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 5 });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, streamed(1000), {
      signal: AbortSignal.abort(),
    });
    expectAccounted(report, 1000);
    expect(report.counts.failed).toBe(1000);
    expect(sim.store.stats().requests).toBe(0);
  });
});
