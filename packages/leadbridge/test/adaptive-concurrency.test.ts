// Adaptive concurrency against a slow simulator, observed through the simulator's own in-flight counters
// (never wall time): with default options the facade keeps more requests in flight than the old fixed 4
// when the vendor is slow, fewer when the vendor's capacity is exceeded, and causes no 429.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { expect } from "vitest";
import { createLeadBridge } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

test("in flight grows against a slow Instantly, then falls below its peak when its capacity is exceeded; zero 429s", async ({
  simulator,
}) => {
  // Instantly's documented limits (100/s, 6,000/min); 100 ms a request, no capacity limit to begin with.
  const sim = await simulator({ vendor: "instantly", seed: 12, latency: { fixedMs: 100 } });
  const campaignId = sim.store.createCampaign();
  const bridge = createLeadBridge({
    instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
    retry: { maxAttempts: 1 }, // a single 429 would fail the call
  });
  const CAPACITY = 2;
  const SQUEEZE_AT = 80;
  const BATCHES = 320;
  const before: number[] = [];
  const after: number[] = [];
  let squeezed: Promise<Response> | undefined;
  const report = await bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(BATCHES * 5), {
    batchSize: 5,
    onBatch({ batch }) {
      const { inFlight } = sim.store.stats();
      if (batch < SQUEEZE_AT) before.push(inFlight);
      // Allow the limit a hundred answers to notice; then it must stay near the capacity until the input runs
      // out (the last few dozen batches drain the pool whatever the limit, so they prove nothing).
      else if (batch >= SQUEEZE_AT + 100 && batch < BATCHES - 40) after.push(inFlight);
      if (batch === SQUEEZE_AT) {
        // The vendor now serves two requests at a time; more wait in its queue.
        squeezed = fetch(`${sim.url}/__simulator/latency`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ fixedMs: 100, capacity: CAPACITY }),
        });
      }
    },
  });
  expect((await squeezed)?.status).toBe(200);
  expectAccounted(report, BATCHES * 5);
  expect(report.counts.added).toBe(BATCHES * 5);
  // Grew past the old fixed default of 4 while the vendor was merely slow.
  expect(Math.max(...before)).toBeGreaterThan(8);
  // Then fell below that peak once the vendor's capacity was exceeded. Where it settles (about the delay
  // tolerance times the capacity) is a matter of timing, which a loaded machine distorts (seen: an upper
  // quartile of 25 at a load of 12): the settling point is proved on a model clock in concurrency.test.ts.
  expect(after.length).toBeGreaterThan(40);
  expect(Math.min(...after.slice(-40))).toBeLessThan(Math.max(...before));
  const stats = sim.store.stats();
  expect(stats.rateLimited).toBe(0);
  expect(stats.responsesByStatus[429]).toBeUndefined();
});
