// No credential, in any encoding, in any output: a hostile server echoes the Authorization header it got
// raw, base64 (whole, as Basic auth would carry it, URL-safe), percent-encoded, and in x-request-id; the
// NLPearl account id alone too. Errors, reports, reasons and request ids must carry none of it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLeadBridge, type Destination, type LeadBridge } from "../src/index.js";
import { CANARY, decodings, expectNoCanary, expectNoSecret, manyLeads } from "./helpers.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const b64url = (text: string) => Buffer.from(text).toString("base64url");

/** Everything the server can derive from what it was sent, in the encodings a log or a proxy might use. */
function echoes(authorization: string): string[] {
  const token = authorization.replace(/^Bearer /, "");
  const [account] = token.split(":");
  return [
    authorization,
    b64(token),
    b64(authorization),
    `Basic ${b64(`user:${token}`)}`,
    `Basic ${b64(`ab:${token}`)}`,
    b64url(`x${token}`),
    encodeURIComponent(token),
    account!,
    b64(account!),
    b64(`${account}:`),
  ];
}

let baseUrl = "";
let status = 401;
/** When set, the server also echoes every Authorization header it got before (one server, several bridges). */
let seen: Set<string> | undefined;
const server = createServer((request, response) => {
  request.resume();
  const proxy = request.headers["proxy-authorization"];
  seen?.add(request.headers.authorization ?? "");
  const authorizations = seen ?? [request.headers.authorization ?? ""];
  const said = [...[...authorizations].flatMap(echoes), ...(proxy ? [proxy, b64(proxy)] : [])];
  response.writeHead(status, { "content-type": "application/json", "x-request-id": said.join(" ") });
  const detail = `you sent ${said.join(" and ")}`;
  response.end(
    JSON.stringify({
      object: "error",
      _errors: [{ code: "bad", title: "Bad", detail, source: { pointer: "/leads/0/email" } }],
      message: detail,
    }),
  );
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

const cases: Array<[string, () => LeadBridge, Destination]> = [
  [
    "instantly",
    () => createLeadBridge({ instantly: { apiKey: CANARY.instantlyKey, baseUrl } }),
    { vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" },
  ],
  [
    "amplemarket",
    () => createLeadBridge({ amplemarket: { apiKey: CANARY.amplemarketKey, baseUrl } }),
    { vendor: "amplemarket", listId: "l", type: "email" },
  ],
  [
    "nlpearl",
    () => createLeadBridge({ nlpearl: { accountId: CANARY.nlpearlAccount, secretKey: CANARY.nlpearlSecret, baseUrl } }),
    { vendor: "nlpearl", pearlId: "p" },
  ],
];

describe("no credential in any encoding", () => {
  test("the oracle sees every echo: each encoding of a canary is caught", () => {
    for (const form of echoes(`Bearer ${CANARY.nlpearlAccount}:${CANARY.nlpearlSecret}`)) {
      expect(() => expectNoCanary(new Error(`echo ${form}`))).toThrow(/canary secret leaked/);
    }
    expect(decodings("plain text").length).toBeGreaterThan(0);
  });

  test.each(cases)(
    "%s, 401 echoing the credential: the error, its requestId and report are clean",
    async (_, bridge, destination) => {
      status = 401;
      const error = await bridge()
        .addLeads(destination, manyLeads(3))
        .catch((e) => e);
      expect(error.status).toBe(401);
      expect(error.requestId).toEqual(expect.any(String));
      expectNoCanary(error);
      expectNoCanary(error.toJSON());
      expectNoCanary(error.requestId);
    },
  );

  test.each(cases)(
    "%s, 400 echoing the credential: every reason in the report is clean",
    async (_, bridge, destination) => {
      status = 400;
      const report = await bridge().addLeads(destination, manyLeads(3));
      expect(report.counts.added ?? 0).toBe(0);
      expectNoCanary(report);
    },
  );

  test("a credential in the configured headers (a proxy's Basic auth) is redacted in every encoding", async () => {
    status = 401;
    const proxyAuthorization = `Basic ${b64(`proxy-user:${CANARY.proxyPassword}`)}`;
    const error = await createLeadBridge({
      instantly: { apiKey: CANARY.instantlyKey, baseUrl, headers: { "proxy-authorization": proxyAuthorization } },
    })
      .addLeads({ vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" }, manyLeads(3))
      .catch((e) => e);
    expect(error.status).toBe(401);
    expectNoCanary(error);
  });

  test("NLPearl with the account id from the environment: it is redacted too", async () => {
    status = 401;
    process.env.NLPEARL_ACCOUNT_ID = `${CANARY.nlpearlAccount}-env`;
    process.env.NLPEARL_SECRET_KEY = `${CANARY.nlpearlSecret}-env`;
    try {
      const error = await createLeadBridge({ nlpearl: { baseUrl } })
        .addLeads({ vendor: "nlpearl", pearlId: "p" }, manyLeads(3))
        .catch((e) => e);
      expect(error.status).toBe(401);
      expectNoCanary(error);
    } finally {
      delete process.env.NLPEARL_ACCOUNT_ID;
      delete process.env.NLPEARL_SECRET_KEY;
    }
  });
});

describe("two bridges in one process", () => {
  // Not canaries: bridge A's key is meant to reach bridge B's report (B does not know it), and the reverse.
  const keyA = "bridge-a-secret-41c9e7";
  const keyB = "bridge-b-secret-8d02fa";
  const destination = { vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" } as const;

  test("each redacts its own secret in every encoding and knows nothing of the other's", async () => {
    status = 400;
    seen = new Set();
    try {
      const a = createLeadBridge({ instantly: { apiKey: keyA, baseUrl } });
      const b = createLeadBridge({ instantly: { apiKey: keyB, baseUrl } });
      await a.addLeads(destination, manyLeads(1));
      // The server has now seen both keys and echoes both, raw, base64 and percent-encoded, to each bridge.
      const reportB = await b.addLeads(destination, manyLeads(1));
      const reportA = await a.addLeads(destination, manyLeads(1));
      expectNoSecret(reportA, [keyA]);
      expectNoSecret(reportB, [keyB]);
      expect(JSON.stringify(reportA)).toContain(keyB);
      expect(JSON.stringify(reportB)).toContain(keyA);

      status = 401;
      const errorB = await b.addLeads(destination, manyLeads(1)).catch((e) => e);
      expect(errorB.status).toBe(401);
      expectNoSecret(errorB, [keyB]);
      expectNoSecret(errorB.toJSON(), [keyB]);
      expect(errorB.message).toContain(keyA);
    } finally {
      seen = undefined;
    }
  });
});
