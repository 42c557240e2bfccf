// An answer that cannot be read (a 200 that is HTML or not JSON, a custom fetch that gives no Response
// or throws something that is not an Error) is an "unparseable answer": the vendor may have processed
// the request, so it is resent only where resending is safe, and never called a lost connection.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { createLeadBridge, UnparseableAnswerError } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

const fast = { baseDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 5 };

/** A loopback server answering every request 200 with `body` as `contentType`; counts requests. */
async function answering(
  contentType: string,
  body: string,
): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": contentType });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests, server };
}

describe("unparseable answers", () => {
  test("NLPearl, a 200 HTML page: unknown, sent once, and not called a lost connection", async () => {
    const { url, requests, server } = await answering("text/html", "<html><body>Welcome</body></html>");
    try {
      const bridge = createLeadBridge({
        nlpearl: { accountId: "account", secretKey: "secret-key", baseUrl: url },
        retry: fast,
      });
      const report = await bridge.addLeads({ vendor: "nlpearl", pearlId: "p" }, manyLeads(6), {
        batchSize: 3,
        concurrency: 1,
      });
      expectAccounted(report, 6);
      expect(report.counts.unknown).toBe(6);
      expect(requests()).toBe(2);
      for (const result of report.results) {
        expect(result.reason).toMatch(/unparseable answer/);
        expect(result.reason).not.toMatch(/connection/);
      }
    } finally {
      server.close();
    }
  });

  test("Amplemarket (dedupes), a 200 that is not JSON: resent up to maxAttempts, then UnparseableAnswerError", async () => {
    const { url, requests, server } = await answering("application/json", "OK");
    try {
      const bridge = createLeadBridge({
        amplemarket: { apiKey: "amplemarket-key", baseUrl: url },
        retry: { ...fast, maxAttempts: 3 },
      });
      const error = await bridge
        .addLeads({ vendor: "amplemarket", listId: "l", type: "email" }, manyLeads(4), { batchSize: 4 })
        .catch((e) => e);
      expect(error).toBeInstanceOf(UnparseableAnswerError);
      expect(error.code).toBe("unparseable_answer");
      expect(error.message).not.toMatch(/connection/);
      expect(requests()).toBe(3);
      expectAccounted(error.report, 4);
      expect(error.report.counts.unknown).toBe(4);
      expect(error.report.results[0].reason).toMatch(/unparseable answer.*earlier attempt/);
    } finally {
      server.close();
    }
  });

  test("a custom fetch that returns parsed JSON instead of a Response (NLPearl simulator): unknown, sent once", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 1 });
    const pearlId = sim.store.createOutbound();
    // A common slip: the wrapper returns the parsed body.
    const parsing = (async (input: RequestInfo | URL, init?: RequestInit) =>
      (await globalThis.fetch(input, init)).json()) as unknown as typeof fetch;
    const bridge = createLeadBridge({
      nlpearl: { ...sim.credentials, baseUrl: sim.url },
      fetch: parsing,
      retry: fast,
    });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(5));
    expectAccounted(report, 5);
    expect(report.counts.unknown).toBe(5);
    expect(report.results[0]?.reason).toMatch(/unparseable answer.*not a Response/);
    expect(report.results[0]?.reason).not.toMatch(/connection/);
    expect(sim.store.stats().requests).toBe(1);
    expect(sim.store.leads(pearlId)).toHaveLength(5);
  });

  test("a custom fetch that throws a string after sending (NLPearl simulator): unknown, sent once", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 1 });
    const pearlId = sim.store.createOutbound();
    const throwing: typeof fetch = async (input, init) => {
      await globalThis.fetch(input, init);
      throw "quota exceeded";
    };
    const bridge = createLeadBridge({
      nlpearl: { ...sim.credentials, baseUrl: sim.url },
      fetch: throwing,
      retry: fast,
    });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(5));
    expectAccounted(report, 5);
    expect(report.counts.unknown).toBe(5);
    expect(report.results[0]?.reason).toMatch(/unparseable answer/);
    expect(report.results[0]?.reason).not.toMatch(/connection/);
    expect(sim.store.stats().requests).toBe(1);
  });

  test("a Response of another fetch library (not this realm's class) is read as usual", async ({ simulator }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 1 });
    const pearlId = sim.store.createOutbound();
    // What node-fetch and other libraries give: the same shape, another class.
    const foreign = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await globalThis.fetch(input, init);
      return {
        status: response.status,
        statusText: response.statusText,
        ok: response.ok,
        headers: new Map([...response.headers]) as unknown as Headers,
        arrayBuffer: () => response.arrayBuffer(),
        text: () => response.text(),
        json: () => response.json(),
      };
    }) as unknown as typeof fetch;
    const bridge = createLeadBridge({
      nlpearl: { ...sim.credentials, baseUrl: sim.url },
      fetch: foreign,
      retry: fast,
    });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, manyLeads(5));
    expectAccounted(report, 5);
    expect(report.counts.added).toBe(5);
  });
});
