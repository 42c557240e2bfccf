// A `rateLimit` with `pacerFor` (how @leadbridge/redis shares a pace across processes): the facade hands it
// the account's key parts, never the credential, and a pacer that fails stops the call with nothing sent.
import { createHash } from "node:crypto";
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge, type PacerKey, type SharedPacing, SlidingWindowLimiter } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

describe("rateLimit.pacerFor", () => {
  test("gets vendor, base URL, a hash of the credential and the vendor's limits, and paces the calls", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "instantly", seed: 5 });
    const keys: PacerKey[] = [];
    const pacing: SharedPacing = {
      pacerFor(key) {
        keys.push(key);
        return new SlidingWindowLimiter(key.windows);
      },
    };
    const bridge = createLeadBridge({
      instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url, rateLimit: pacing },
    });
    const report = await bridge.addLeads(
      { vendor: "instantly", campaignId: sim.store.createCampaign() },
      manyLeads(20),
      {
        batchSize: 10,
      },
    );
    expectAccounted(report, 20);
    expect(keys).toEqual([
      {
        vendor: "instantly",
        baseUrl: sim.url,
        credentialHash: createHash("sha256").update(`leadbridge-credential\0${sim.credentials.apiKey}`).digest("hex"),
        windows: [
          { limit: 100, windowMs: 1_000 },
          { limit: 6_000, windowMs: 60_000 },
        ],
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain(sim.credentials.apiKey);
  });

  test("a pacer whose acquire fails stops the call with its error, and nothing is sent", async ({ simulator }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 5 });
    class StoreDown extends Error {}
    const bridge = createLeadBridge({
      nlpearl: {
        ...sim.credentials,
        baseUrl: sim.url,
        rateLimit: { pacerFor: () => ({ acquire: () => Promise.reject(new StoreDown("pacing store unreachable")) }) },
      },
    });
    const error = await bridge
      .addLeads({ vendor: "nlpearl", pearlId: sim.store.createOutbound() }, [
        { phone: "+14155550100" },
        { phone: "+14155550101" },
      ])
      .catch((e: unknown) => e);
    // Not taken for a lost connection (which NLPearl would report `unknown`): the pacer's own error.
    expect(error).toBeInstanceOf(StoreDown);
    expect(sim.store.stats().requests).toBe(0);
  });
});
