import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge, InputError, type Lead, LeadBridgeError } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

describe("an input that throws mid-stream", () => {
  test("in-flight batches settle, every lead read is accounted for, and the call rejects with InputError", async ({
    simulator,
  }) => {
    // Every request waits, so that batches are in flight when the input breaks.
    const sim = await simulator({
      vendor: "nlpearl",
      seed: 5,
      rateLimits: false,
      faults: { rules: [{ kind: "delay", probability: 1, delayMs: 50 }] },
    });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
    const broken = new Error("bad byte at line 2,051");
    async function* leads(): AsyncGenerator<Lead> {
      yield* manyLeads(2050);
      throw broken;
    }
    const settled = new Map<number, string>();
    const error = await bridge
      .addLeads({ vendor: "nlpearl", pearlId }, leads(), {
        batchSize: 100,
        concurrency: 4,
        keepResults: true,
        onResult(result) {
          expect(settled.has(result.index)).toBe(false);
          settled.set(result.index, result.outcome);
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(LeadBridgeError);
    const input = error as InputError;
    expect(input.code).toBe("input_error");
    expect(input.cause).toBe(broken);
    expect(input.message).toContain("bad byte at line 2,051");
    const report = input.report!;
    expectAccounted(report, 2050);
    // Every lead read settled exactly once: stored ones as added, the read-but-unsent ones as failed.
    expect(settled.size).toBe(2050);
    const stored = sim.store.leads(pearlId).length;
    expect(report.counts.added).toBe(stored);
    expect(report.counts.added + report.counts.failed).toBe(2050);
    const failed = report.results.filter((r) => r.outcome === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r).toMatchObject({ code: "input_failed", reason: "input_error" });
    // Nothing is still in flight once the call has rejected.
    const requests = sim.store.stats().requests;
    await new Promise((resolve) => setImmediate(resolve));
    expect(sim.store.stats().requests).toBe(requests);
  });

  test("a synchronous iterable that throws is an InputError too", async () => {
    const bridge = createLeadBridge();
    function* leads(): Generator<Lead> {
      yield* manyLeads(5);
      throw new TypeError("row 6 is broken");
    }
    const error = await bridge
      .addLeads({ vendor: "nlpearl", pearlId: "p" }, leads(), { dryRun: true, batchSize: 2 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(InputError);
    expectAccounted((error as InputError).report!, 5);
  });
});
