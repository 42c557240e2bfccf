// A request whose answer is lost (reset after processing, or a hang past the timeout) is resent only
// where the vendor deduplicates, unless the caller opts in.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

const fast = { baseDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 5 };

describe("unknown outcomes", () => {
  test("a hung Instantly request times out and is resent", async ({ simulator }) => {
    const sim = await simulator({
      vendor: "instantly",
      seed: 1,
      faults: { rules: [{ kind: "hang", schedule: [1] }] },
    });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({
      instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      retry: { ...fast, timeoutMs: 300 },
    });
    const report = await bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(20), {
      batchSize: 10,
      concurrency: 1,
    });
    expectAccounted(report, 20);
    // A hang never processes the request, so the resend adds everything.
    expect(report.counts.added).toBe(20);
    expect(sim.store.leads({ campaignId })).toHaveLength(20);
    expect(sim.store.stats().requests).toBe(3);
  });

  test("an ambiguous reset on Instantly: resent, and the leads it had stored come back as duplicates saying so", async ({
    simulator,
  }) => {
    const sim = await simulator({
      vendor: "instantly",
      seed: 1,
      faults: { rules: [{ kind: "reset-after", schedule: [1] }] },
    });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url }, retry: fast });
    const report = await bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(20), {
      batchSize: 10,
      concurrency: 1,
    });
    expectAccounted(report, 20);
    expect(report.counts).toMatchObject({ added: 10, duplicate: 10 });
    expect(report.results[0]?.reason).toMatch(/earlier attempt of this batch, whose answer was lost/);
    expect(sim.store.leads({ campaignId })).toHaveLength(20);
  });

  test("NLPearl: a hung request is reported unknown and not resent", async ({ simulator }) => {
    const sim = await simulator({
      vendor: "nlpearl",
      seed: 1,
      faults: { rules: [{ kind: "hang", schedule: [1] }] },
    });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({
      nlpearl: { ...sim.credentials, baseUrl: sim.url },
      retry: { ...fast, timeoutMs: 300 },
    });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(20), {
      batchSize: 10,
      concurrency: 1,
    });
    expectAccounted(report, 20);
    expect(report.counts).toMatchObject({ added: 10, unknown: 10 });
    expect(report.results[0]?.reason).toMatch(/no answer within 300 ms.*did not resend/);
    expect(sim.store.stats().requests).toBe(2);
  });

  test("NLPearl with retryUnknownOutcome: resent, and the report says it may be there twice", async ({ simulator }) => {
    const sim = await simulator({
      vendor: "nlpearl",
      seed: 1,
      faults: { rules: [{ kind: "reset-after", schedule: [1] }] },
    });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({
      nlpearl: { ...sim.credentials, baseUrl: sim.url },
      retry: { ...fast, retryUnknownOutcome: true },
    });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(20), {
      batchSize: 10,
      concurrency: 1,
    });
    expectAccounted(report, 20);
    expect(report.counts.added).toBe(20);
    expect(report.results[0]?.reason).toMatch(/may also have been added by an earlier attempt/);
    expect(report.results[10]?.reason).toBeUndefined();
    // The opt-in made the duplicate possible, and here it happened: 10 leads twice.
    expect(sim.store.leads(pearlId)).toHaveLength(30);
  });
});
