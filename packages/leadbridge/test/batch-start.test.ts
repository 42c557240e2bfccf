import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

describe("onBatchStart", () => {
  test("is awaited before the batch's request leaves, once per sent batch, before its onBatch", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 3 });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
    const events: string[] = [];
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, [...manyLeads(250)], {
      batchSize: 100,
      concurrency: 1,
      async onBatchStart(batch) {
        const before = sim.store.stats().requests;
        events.push(`start ${batch.batch} ${batch.indexes[0]}-${batch.indexes.at(-1)} (${batch.indexes.length})`);
        await new Promise((resolve) => setImmediate(resolve));
        // Still nothing sent for this batch: the hook runs first.
        expect(sim.store.stats().requests).toBe(before);
      },
      onBatch(batch) {
        events.push(`settled ${batch.batch}`);
      },
    });
    expectAccounted(report, 250);
    expect(report.counts.added).toBe(250);
    expect(events).toEqual([
      "start 0 0-99 (100)",
      "settled 0",
      "start 1 100-199 (100)",
      "settled 1",
      "start 2 200-249 (50)",
      "settled 2",
    ]);
  });

  test("a throw stops the call: that batch is not sent, its leads fail, and the error is rethrown with the report", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 3 });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
    const failure = new Error("journal disk full");
    const error = await bridge
      .addLeads({ vendor: "nlpearl", pearlId }, [...manyLeads(300)], {
        batchSize: 100,
        concurrency: 1,
        onBatchStart(batch) {
          if (batch.batch === 1) throw failure;
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBe(failure);
    // Only batch 0 reached the vendor.
    expect(sim.store.leads(pearlId).length).toBe(100);
    expect(sim.store.stats().requests).toBe(1);
  });
});
