// 100,000 leads to each vendor's simulator with faults on: ≥20% 429 (with and without Retry-After),
// 5% 5xx, 2% resets before processing, 1% ambiguous resets after processing. Every lead must be
// accounted for once; nothing stored twice where LeadBridge resends; nothing lost.
import { type FaultRule, startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge, type Report } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

const N = 100_000;
const FAULTS: FaultRule[] = [
  { kind: "429", probability: 0.11, retryAfter: 1 },
  { kind: "429", probability: 0.11 },
  { kind: "500", probability: 0.02 },
  { kind: "502", probability: 0.015 },
  { kind: "503", probability: 0.015 },
  { kind: "reset-before", probability: 0.02 },
  { kind: "reset-after", probability: 0.01 },
];
// Small delays keep the run short; Retry-After (1 s) is honoured up to this cap.
const retry = { maxAttempts: 15, baseDelayMs: 1, maxDelayMs: 20, retryAfterCapMs: 20, timeoutMs: 20_000 };

function byOutcome(report: Report, outcome: string): Set<number> {
  return new Set(report.results.filter((r) => r.outcome === outcome).map((r) => r.index));
}

function expectFaultsHappened(stats: { faults: Record<string, number>; requests: number }) {
  expect(stats.faults["429"]).toBeGreaterThan(0);
  expect((stats.faults["500"] ?? 0) + (stats.faults["502"] ?? 0) + (stats.faults["503"] ?? 0)).toBeGreaterThan(0);
  expect(stats.faults["reset-before"]).toBeGreaterThan(0);
  expect(stats.faults["reset-after"]).toBeGreaterThan(0);
}

describe("100,000 leads under faults", () => {
  test("Instantly campaign: every lead stored exactly once, every lead accounted for", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 11, faults: { rules: FAULTS } });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url }, retry });
    const report = await bridge.addLeads({ vendor: "instantly", campaignId }, manyLeads(N), {
      batchSize: 250,
      concurrency: 4,
    });

    expectAccounted(report, N);
    const stored = sim.store.leads({ campaignId }).map((l) => l.email);
    expect(new Set(stored).size).toBe(stored.length); // nothing stored twice
    expect(stored.length).toBe(N); // nothing lost
    // Only an ambiguous reset makes a lead show up as already present on the resend.
    expect(report.counts.added + report.counts.duplicate).toBe(N);
    for (const r of report.results) {
      if (r.outcome === "duplicate") expect(r.reason).toMatch(/earlier attempt/);
      if (r.outcome === "added") expect(r.vendorLeadId).toEqual(expect.any(String));
    }
    expect(report.counts.duplicate).toBeGreaterThan(0);
    expectFaultsHappened(sim.store.stats());
  });

  test("Amplemarket list: fills to its 60,000 cap once, the rest rejected list_full", async ({ simulator }) => {
    const sim = await simulator({ vendor: "amplemarket", seed: 12, faults: { rules: FAULTS } });
    const listId = sim.store.createList({ type: "email" });
    const bridge = createLeadBridge({ amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url }, retry });
    const report = await bridge.addLeads({ vendor: "amplemarket", listId, type: "email" }, manyLeads(N), {
      batchSize: 1000,
      concurrency: 4,
    });

    expectAccounted(report, N);
    const stored = new Set(sim.store.leads(listId).map((l) => l.email));
    expect(stored.size).toBe(sim.store.leads(listId).length);
    expect(stored.size).toBe(60_000);
    const email = (i: number) => `lead${i}@example.com`;
    for (const i of byOutcome(report, "added")) expect(stored.has(email(i))).toBe(true);
    for (const i of byOutcome(report, "duplicate")) expect(stored.has(email(i))).toBe(true);
    for (const i of byOutcome(report, "rejected")) expect(stored.has(email(i))).toBe(false);
    for (const r of report.results) if (r.outcome === "rejected") expect(r.reason).toBe("list_full");
    // Every stored lead is one the report says was (or may have been) added.
    const mayBeStored = report.counts.added + report.counts.duplicate + report.counts.unknown;
    expect(mayBeStored).toBeGreaterThanOrEqual(60_000);
    expect(report.counts.rejected).toBeGreaterThan(0);
    expect(report.counts.failed).toBe(0);
    expectFaultsHappened(sim.store.stats());
  });

  test("NLPearl pearl: lost answers are reported unknown and never resent, so no phone is stored twice", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 13, faults: { rules: FAULTS } });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url }, retry });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(N), {
      batchSize: 200,
      concurrency: 4,
    });

    expectAccounted(report, N);
    const phones = sim.store.leads(pearlId).map((l) => l.phoneNumber);
    expect(new Set(phones).size).toBe(phones.length); // nothing stored twice
    const stored = new Set(phones);
    const phone = (i: number) => `+1415${String(2000000 + i).padStart(7, "0")}`;
    const added = byOutcome(report, "added");
    const unknown = byOutcome(report, "unknown");
    for (const i of added) expect(stored.has(phone(i))).toBe(true);
    // Nothing lost: every lead is stored and reported added, or reported unknown.
    for (let i = 0; i < N; i++) if (!added.has(i)) expect(unknown.has(i)).toBe(true);
    expect(unknown.size).toBeGreaterThan(0);
    for (const r of report.results) if (r.outcome === "unknown") expect(r.reason).toMatch(/does not deduplicate/);
    expectFaultsHappened(sim.store.stats());
  });
});
