// bridge.verify against each vendor's simulator: imports whose answers were lost (a TCP reset after and
// before processing, both unknown to the client), then a read back, checked lead by lead against what the
// simulator's store holds. A 503 on the first read shows the reads go through the retry policy.
import { type FaultRule, startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import {
  ConfigurationError,
  createLeadBridge,
  type Destination,
  type Lead,
  type LeadBridge,
  type LeadBridgeError,
  type LeadResult,
  NotFoundError,
  type VerifyInput,
  type VerifyResult,
} from "../src/index.js";
import { manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

const N = 12;
const BATCH = 2;
const bridgeRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
/** One request in flight, and no resend: a lost answer leaves its batch unknown. */
const importOptions = { batchSize: BATCH, concurrency: 1, retry: { maxAttempts: 1 } } as const;

/**
 * Two imports of half the leads each; the second request of each loses its answer: the first's after
 * the simulator stored the batch, the second's before. Instantly and Amplemarket deduplicate, so a lost
 * answer is retried, and with no attempts left the import stops (its report is on the error); NLPearl
 * does not resend and goes on. `firstRead` is the ordinal of the first request after the imports.
 */
function lostAnswers(resendSafe: boolean): { rules: FaultRule[]; firstRead: number } {
  const perImport = resendSafe ? 2 : N / 2 / BATCH;
  return {
    rules: [
      { kind: "reset-after", schedule: [2] },
      { kind: "reset-before", schedule: [perImport + 2] },
      { kind: "503", schedule: [2 * perImport + 1] },
    ],
    firstRead: 2 * perImport + 1,
  };
}

type Row = LeadResult & Lead;

/** Imports `leads` in two halves as `lostAnswers` describes; each result with its lead's identifiers beside it. */
async function importLosingAnswers(bridge: LeadBridge, destination: Destination, leads: Lead[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const offset of [0, N / 2]) {
    const half = leads.slice(offset, offset + N / 2);
    const report = await bridge.addLeads(destination, half, importOptions).catch((error: LeadBridgeError) => {
      if (!error.report) throw error;
      return error.report;
    });
    for (const result of report.results) rows.push({ ...half[result.index]!, ...result, index: offset + result.index });
  }
  expect(rows.filter((row) => row.outcome === "unknown")).toHaveLength(2 * BATCH);
  return rows;
}

async function collect<R extends VerifyInput>(results: AsyncIterable<VerifyResult<R>>): Promise<VerifyResult<R>[]> {
  const out: VerifyResult<R>[] = [];
  for await (const result of results) out.push(result);
  return out;
}

/** Every lead the import reported added or unknown is present exactly when the store holds it; unknowns settle by that. */
function expectMatchesStore(verified: VerifyResult<Row>[], held: (lead: Row) => boolean): void {
  expect(verified).toHaveLength(N);
  for (const result of verified) {
    const checked = result.lead.outcome === "added" || result.lead.outcome === "unknown";
    const expected = !checked ? "not_checked" : held(result.lead) ? "present" : "missing";
    expect({ row: result.lead.index, verified: result.verified }).toEqual({
      row: result.lead.index,
      verified: expected,
    });
    const settled = result.lead.outcome === "unknown" && expected === "present" ? "added" : result.lead.outcome;
    expect(result.outcome).toBe(settled);
  }
  const unknowns = verified.filter((r) => r.lead.outcome === "unknown");
  // One batch stored before its answer was lost, one lost before it was processed.
  expect(unknowns.filter((r) => r.outcome === "added")).toHaveLength(BATCH);
  expect(unknowns.filter((r) => r.verified === "missing")).toHaveLength(BATCH);
}

describe("verify after imports with lost answers", () => {
  test("Instantly campaign: by lead id, else by email", async ({ simulator }) => {
    const faults = lostAnswers(true);
    const sim = await simulator({ vendor: "instantly", seed: 1, rateLimits: false, faults });
    const campaignId = sim.store.createCampaign();
    const destination = { vendor: "instantly", campaignId } as const;
    const bridge = createLeadBridge({
      instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      retry: bridgeRetry,
    });
    const rows = await importLosingAnswers(bridge, destination, [...manyLeads(N)]);
    const stored = () => sim.store.leads({ campaignId });
    expect(sim.store.stats().requests).toBe(faults.firstRead - 1);

    const verified = await collect(bridge.verify(destination, rows));
    const held = new Set(stored().map((lead) => lead.email));
    expectMatchesStore(verified, (lead) => held.has(lead.email!));
    for (const r of verified.filter((r) => r.lead.outcome === "added")) expect(r.reason).toBe("found by its lead id");
    for (const r of verified.filter((r) => r.outcome === "added"))
      expect(r.vendorLeadId).toBe(stored().find((l) => l.email === r.lead.email)?.id);
    expect(sim.store.stats().faults["503"]).toBe(1);
  });

  test("Amplemarket list: the list's entries, by the list's identity", async ({ simulator }) => {
    const faults = lostAnswers(true);
    const sim = await simulator({ vendor: "amplemarket", seed: 2, rateLimits: false, faults });
    const listId = sim.store.createList({ type: "email" });
    const bridge = createLeadBridge({
      amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      retry: bridgeRetry,
    });
    const rows = await importLosingAnswers(bridge, { vendor: "amplemarket", listId, type: "email" }, [...manyLeads(N)]);
    expect(sim.store.stats().requests).toBe(faults.firstRead - 1);

    // The list's type is left out: verify reads it from the list.
    const verified = await collect(bridge.verify({ vendor: "amplemarket", listId }, rows));
    const held = new Set(sim.store.leads(listId).map((lead) => lead.email));
    expectMatchesStore(verified, (lead) => held.has(lead.email!));
    expect(sim.store.stats().faults["503"]).toBe(1);
  });

  test("NLPearl pearl: by phone, with the lead's status", async ({ simulator }) => {
    const faults = lostAnswers(false);
    const sim = await simulator({ vendor: "nlpearl", seed: 3, rateLimits: false, faults });
    const pearlId = sim.store.createOutbound();
    const destination = { vendor: "nlpearl", pearlId } as const;
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url }, retry: bridgeRetry });
    // No external ids: NLPearl's bulk add answers no lead ids, so the phone number is all there is.
    const leads = [...manyLeads(N)].map(({ externalId: _, ...lead }) => lead);
    const rows = await importLosingAnswers(bridge, destination, leads);
    expect(sim.store.stats().requests).toBe(faults.firstRead - 1);

    const verified = await collect(bridge.verify(destination, rows));
    const stored = sim.store.leads(pearlId);
    const held = new Set(stored.map((lead) => lead.phoneNumber));
    expectMatchesStore(verified, (lead) => held.has(lead.phone!));
    for (const r of verified.filter((r) => r.verified === "present")) {
      expect(r.nlpearl?.status).toBe(1);
      expect(r.matches).toBe(1);
      expect(r.vendorLeadId).toBe(stored.find((l) => l.phoneNumber === r.lead.phone)?.id);
    }
    expect(sim.store.stats().faults["503"]).toBe(1);
  });
});

describe("verify", () => {
  test("passes through leads it does not check, and says why a lead cannot be checked", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 4, rateLimits: false });
    const listId = sim.store.createList();
    const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    const input: VerifyInput[] = [
      { outcome: "invalid", email: "x" },
      { outcome: "added", firstName: "Ada" } as VerifyInput,
      { outcome: "unknown", email: "  " },
    ];
    const verified = await collect(bridge.verify({ vendor: "instantly", listId }, input));
    expect(verified.map((r) => [r.verified, r.outcome])).toEqual([
      ["not_checked", "invalid"],
      ["cannot_check", "added"],
      ["cannot_check", "unknown"],
    ]);
    expect(verified[1]!.reason).toMatch(/no lead id and no email/);
    // Nothing was checkable, so nothing was asked.
    expect(sim.store.stats().requests).toBe(0);
  });

  test("an NLPearl lead found twice by phone says so: NLPearl does not deduplicate", async ({ simulator }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 5, rateLimits: false });
    const pearlId = sim.store.createOutbound();
    sim.store.seedLeads(pearlId, [{ phoneNumber: "+14155550123" }, { phoneNumber: "+14155550123", status: 100 }]);
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
    const [result] = await collect(
      bridge.verify({ vendor: "nlpearl", pearlId }, [{ outcome: "added", phone: "(415) 555-0123" }], {
        defaultCountry: "US",
      }),
    );
    expect(result).toMatchObject({ verified: "present", matches: 2, nlpearl: { status: 100, calls: 0 } });
    expect(result!.reason).toMatch(/2 leads have it/);
  });

  test("an Amplemarket linkedin list is matched by the profile, as Amplemarket compares them", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "amplemarket", seed: 7, rateLimits: false });
    const listId = sim.store.createList({ type: "linkedin" });
    sim.store.seedLeads(listId, [{ linkedin_url: "https://www.linkedin.com/in/ada-lovelace" }]);
    const bridge = createLeadBridge({ amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    const verified = await collect(
      bridge.verify({ vendor: "amplemarket", listId, type: "linkedin" }, [
        { outcome: "added", linkedinUrl: "http://uk.linkedin.com/in/ada-lovelace/" },
        { outcome: "unknown", linkedinUrl: "https://www.linkedin.com/in/grace-hopper" },
        { outcome: "added", email: "ada@example.com" },
      ]),
    );
    expect(verified.map((r) => [r.verified, r.outcome])).toEqual([
      ["present", "added"],
      ["missing", "unknown"],
      ["cannot_check", "added"],
    ]);
    expect(verified[2]!.reason).toMatch(/needs a linkedinUrl/);
  });

  test("a bad destination is refused before anything is read; an unknown list is NotFoundError", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "amplemarket", seed: 6, rateLimits: false });
    const bridge = createLeadBridge({ amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    expect(() => bridge.verify({ vendor: "amplemarket", listId: "" }, [])).toThrow(ConfigurationError);
    await expect(
      collect(bridge.verify({ vendor: "amplemarket", listId: "nope" }, [{ outcome: "added", email: "a@b.co" }])),
    ).rejects.toThrow(NotFoundError);
  });
});
