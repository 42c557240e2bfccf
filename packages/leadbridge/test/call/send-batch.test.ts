// One batch's attempts, driven through sendBatch with the real adapters against the simulators.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import type { OpenAdapter, Transport } from "../../src/adapters/adapter.js";
import { FieldReader } from "../../src/adapters/fields.js";
import { instantly } from "../../src/adapters/instantly.js";
import { nlpearl } from "../../src/adapters/nlpearl.js";
import { Batcher, iteratorOf } from "../../src/batcher.js";
import { type BatchSender, sendBatch } from "../../src/call/send-batch.js";
import { AdaptiveConcurrency } from "../../src/concurrency.js";
import { AuthenticationError, ServerError } from "../../src/index.js";
import { Redactor } from "../../src/redact.js";
import { DEFAULT_RETRY } from "../../src/retry.js";
import { timedFetch } from "../../src/transport.js";

const test = withSimulator(startSimulator);

const retry = { ...DEFAULT_RETRY, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 10_000 };

function sender(vendor: string, opened: OpenAdapter<unknown>, resendable: boolean): BatchSender {
  return {
    vendor,
    redactor: new Redactor(),
    opened,
    retry,
    pacer: undefined,
    resendable,
    signal: undefined,
    stopped: () => false,
  };
}

/** The batch's body, as a call builds it: each lead through the adapter, then the batcher's envelope. */
async function batchOf(opened: OpenAdapter<unknown>, leads: object[]): Promise<Uint8Array> {
  const fields = new FieldReader(opened.needs, true);
  const batcher = new Batcher(
    iteratorOf(leads),
    (lead) => opened.toVendorLead(lead, fields),
    { maxCount: leads.length, maxBytes: 10 * 2 ** 20 },
    opened.envelope,
    () => {
      throw new Error("too large");
    },
  );
  return (await batcher.next())!.body;
}

const transport = (token: string, baseUrl: string, fetch: typeof globalThis.fetch = globalThis.fetch): Transport => ({
  token,
  baseUrl,
  fetch,
});

const leads = [{ email: "ada@example.com" }, { email: "grace@example.com" }];

describe("sendBatch", () => {
  test("answered: one attempt, the adapter's reading of the answer, the leads stored", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1 });
    const campaignId = sim.store.createCampaign();
    const opened = instantly.open({ vendor: "instantly", campaignId }, transport(sim.credentials.apiKey, sim.url), {});
    const result = await sendBatch(sender("instantly", opened, true), await batchOf(opened, leads), 2, "batch 1");
    expect(result).toMatchObject({ kind: "answered", attempts: 1, afterUnknownOutcome: false });
    if (result.kind !== "answered") throw new Error("unreachable");
    expect(result.interpretation.outcomes.map((o) => o.code)).toEqual(["added", "added"]);
    expect(sim.store.leads({ campaignId })).toHaveLength(2);
  });

  test("a 503, then an answer: retried with the same body, answered on the second attempt", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1, faults: { rules: [{ kind: "503", schedule: [1] }] } });
    const campaignId = sim.store.createCampaign();
    const opened = instantly.open({ vendor: "instantly", campaignId }, transport(sim.credentials.apiKey, sim.url), {});
    const result = await sendBatch(sender("instantly", opened, true), await batchOf(opened, leads), 2, "batch 1");
    expect(result).toMatchObject({ kind: "answered", attempts: 2, afterUnknownOutcome: false });
    expect(sim.store.stats().requests).toBe(2);
    expect(sim.store.leads({ campaignId }).map((l) => l.email)).toEqual(["ada@example.com", "grace@example.com"]);
  });

  test("a 503 on every attempt: exhausted after maxAttempts, with a ServerError and the reason", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1, faults: { rules: [{ kind: "503", probability: 1 }] } });
    const campaignId = sim.store.createCampaign();
    const opened = instantly.open({ vendor: "instantly", campaignId }, transport(sim.credentials.apiKey, sim.url), {});
    const result = await sendBatch(sender("instantly", opened, true), await batchOf(opened, leads), 2, "batch 1");
    expect(result).toMatchObject({ kind: "exhausted", attempts: 3, reason: "HTTP 503 on every attempt (3)" });
    if (result.kind !== "exhausted") throw new Error("unreachable");
    expect(result.error).toBeInstanceOf(ServerError);
    expect(sim.store.stats().requests).toBe(3);
  });

  test("a 401: fatal at once, AuthenticationError, not retried", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1 });
    const campaignId = sim.store.createCampaign();
    const opened = instantly.open({ vendor: "instantly", campaignId }, transport("not-the-key", sim.url), {});
    const result = await sendBatch(sender("instantly", opened, true), await batchOf(opened, leads), 2, "batch 1");
    expect(result).toMatchObject({ kind: "fatal", attempts: 1 });
    if (result.kind !== "fatal") throw new Error("unreachable");
    expect(result.error).toBeInstanceOf(AuthenticationError);
    expect(sim.store.stats().requests).toBe(1);
  });

  test("NLPearl, the answer lost after the request arrived: unknown, not resent", async ({ simulator }) => {
    const sim = await simulator({
      vendor: "nlpearl",
      seed: 1,
      faults: { rules: [{ kind: "reset-after", schedule: [1] }] },
    });
    const pearlId = sim.store.createOutbound();
    const token = `${sim.credentials.accountId}:${sim.credentials.secretKey}`;
    const opened = nlpearl.open({ vendor: "nlpearl", pearlId }, transport(token, sim.url), {});
    const body = await batchOf(opened, [{ phone: "+14155550100" }]);
    const result = await sendBatch(sender("nlpearl", opened, false), body, 1, "batch 1");
    expect(result).toMatchObject({ kind: "unknown", attempts: 1, afterUnknownOutcome: true });
    if (result.kind !== "unknown") throw new Error("unreachable");
    expect(result.reason).toMatch(
      /^the connection was lost before an answer, so whether nlpearl added the lead is unknown/,
    );
    expect(sim.store.stats().requests).toBe(1);
  });

  test("a pacer that fails: stopped with its error, nothing sent", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1 });
    const campaignId = sim.store.createCampaign();
    const cause = new Error("pacing store down");
    const paced = timedFetch(
      globalThis.fetch,
      { acquire: () => Promise.reject(cause) },
      10_000,
      new AdaptiveConcurrency(),
    );
    const opened = instantly.open(
      { vendor: "instantly", campaignId },
      transport(sim.credentials.apiKey, sim.url, paced),
      {},
    );
    const result = await sendBatch(sender("instantly", opened, true), await batchOf(opened, leads), 2, "batch 1");
    expect(result).toMatchObject({ kind: "stopped", attempts: 1, cause });
    expect(sim.store.stats().requests).toBe(0);
  });
});
