import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import {
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  createLeadBridge,
  LeadBridgeError,
  MissingCredentialsError,
  NotFoundError,
  ServerError,
} from "../src/index.js";
import { CANARY, expectAccounted, expectNoCanary, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

const fast = { baseDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 5 };

describe("errors that stop the call", () => {
  test("bad credentials: AuthenticationError with the partial report; the key appears nowhere", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1 });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({ instantly: { apiKey: CANARY.instantlyKey, baseUrl: sim.url } });
    const error = await bridge
      .addLeads({ vendor: "instantly", campaignId }, manyLeads(3000), { batchSize: 1000 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(LeadBridgeError);
    expect(error).toMatchObject({ code: "authentication_failed", status: 401, vendor: "instantly" });
    expectAccounted(error.report, 3000);
    expect(error.report.counts.failed).toBe(3000);
    expect(error.report.results[2999].reason).toBe("authentication_failed");
    expectNoCanary(error);
  });

  test("an unknown campaign: NotFoundError", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1 });
    const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    const error = await bridge
      .addLeads({ vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" }, manyLeads(10))
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/Campaign not found/);
  });

  test("5xx on every attempt: ServerError after maxAttempts, unsent leads failed", async ({ simulator }) => {
    const sim = await simulator({
      vendor: "amplemarket",
      seed: 1,
      faults: { rules: [{ kind: "503", probability: 1 }] },
    });
    const listId = sim.store.createList({ type: "email" });
    const bridge = createLeadBridge({
      amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
      retry: { ...fast, maxAttempts: 3 },
    });
    const error = await bridge
      .addLeads({ vendor: "amplemarket", listId, type: "email" }, manyLeads(50), { batchSize: 10, concurrency: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ServerError);
    expectAccounted(error.report, 50);
    expect(error.report.counts.failed).toBe(50);
    expect(sim.store.stats().requests).toBe(3);
  });

  test("nothing listening: ConnectionError (proved unsent, so retried even for NLPearl)", async () => {
    const sim = await startSimulator({ vendor: "nlpearl", seed: 1 });
    const url = sim.url;
    await sim.close();
    const bridge = createLeadBridge({
      nlpearl: { accountId: "a", secretKey: "b", baseUrl: url },
      retry: { ...fast, maxAttempts: 2 },
    });
    const error = await bridge.addLeads({ vendor: "nlpearl", pearlId: "p" }, manyLeads(5)).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.report.counts.failed).toBe(5);
    expect(error.report.results[0].reason).toMatch(/could not connect on every attempt \(2\)/);
  });

  test("a server echoing the Authorization header: the secret is redacted from every message", async () => {
    const server = createServer((req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ _errors: [{ detail: `bad token ${req.headers.authorization}` }], object: "error" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const bridge of [
        createLeadBridge({ amplemarket: { apiKey: CANARY.amplemarketKey, baseUrl } }),
        createLeadBridge({ nlpearl: { accountId: CANARY.nlpearlAccount, secretKey: CANARY.nlpearlSecret, baseUrl } }),
      ]) {
        for (const destination of [
          { vendor: "amplemarket", listId: "l", type: "email" } as const,
          { vendor: "nlpearl", pearlId: "p" } as const,
        ]) {
          const error = await bridge.addLeads(destination, manyLeads(3)).catch((e) => e);
          if (error instanceof MissingCredentialsError) continue;
          expect(error).toBeInstanceOf(AuthenticationError);
          expectNoCanary(error);
        }
      }
    } finally {
      server.close();
    }
  });
});

describe("configuration errors, before any request", () => {
  test("a vendor without credentials names what is missing (and where to put it)", async () => {
    const saved = process.env.INSTANTLY_API_KEY;
    delete process.env.INSTANTLY_API_KEY;
    try {
      const error = await createLeadBridge({})
        .addLeads({ vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" }, manyLeads(1))
        .catch((e) => e);
      expect(error).toBeInstanceOf(MissingCredentialsError);
      expect(error.message).toMatch(/instantly\.apiKey \(or INSTANTLY_API_KEY\)/);
      const nlpearl = await createLeadBridge({ nlpearl: { accountId: "acc" } })
        .addLeads({ vendor: "nlpearl", pearlId: "p" }, [])
        .catch((e) => e);
      expect(nlpearl.missing).toEqual(["nlpearl.secretKey (or NLPEARL_SECRET_KEY)"]);
    } finally {
      if (saved !== undefined) process.env.INSTANTLY_API_KEY = saved;
    }
  });

  test("credentials come from the environment", async () => {
    const sim = await startSimulator({ vendor: "amplemarket", seed: 1 });
    process.env.AMPLEMARKET_API_KEY = sim.credentials.apiKey;
    try {
      const listId = sim.store.createList({ type: "email" });
      const report = await createLeadBridge({ amplemarket: { baseUrl: sim.url } }).addLeads(
        { vendor: "amplemarket", listId, type: "email" },
        manyLeads(5),
      );
      expect(report.counts.added).toBe(5);
    } finally {
      delete process.env.AMPLEMARKET_API_KEY;
      await sim.close();
    }
  });

  test.each([
    [{ vendor: "hubspot", listId: "x" }, /unknown destination vendor "hubspot"/],
    [{ vendor: "instantly", campaignId: "campaign-42" }, /campaignId must be a UUID/],
    [
      {
        vendor: "instantly",
        campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded",
        listId: "019e0e3e-b690-71a9-b399-fbf49894dded",
      },
      /exactly one/,
    ],
    [{ vendor: "amplemarket", listId: "l", type: "phone" }, /list type must be one of/],
    [{ vendor: "nlpearl", pearlId: "" }, /needs a pearlId/],
    [null, /unknown destination vendor/],
  ])("bad destination %j", async (destination, message) => {
    const error = await createLeadBridge({})
      .addLeads(destination as never, [])
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(message);
  });

  test("a baseUrl must be https unless loopback", () => {
    expect(() => createLeadBridge({ instantly: { apiKey: "k", baseUrl: "http://api.example.com" } })).toThrow(
      ConfigurationError,
    );
    expect(() => createLeadBridge({ instantly: { apiKey: "k", baseUrl: "not a url" } })).toThrow(ConfigurationError);
    for (const ok of ["https://api.example.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:3000"]) {
      expect(() => createLeadBridge({ instantly: { apiKey: "k", baseUrl: ok } })).not.toThrow();
    }
  });

  test("batchSize over the vendor's maximum is refused", async () => {
    const bridge = createLeadBridge({ nlpearl: { accountId: "a", secretKey: "b", baseUrl: "http://127.0.0.1:9" } });
    const error = await bridge.addLeads({ vendor: "nlpearl", pearlId: "p" }, [], { batchSize: 50_001 }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/1 to 50000/);
  });

  test("errors serialize safely", () => {
    const error = new MissingCredentialsError("instantly", ["instantly.apiKey"]);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "MissingCredentialError",
      code: "missing_credentials",
    });
    expect(String(error)).toBe(
      "MissingCredentialError [missing_credentials]: instantly: missing credentials: instantly.apiKey.",
    );
  });
});
