// Every Instantly operation, called through the generated client against `prism mock`
// started from the same bundled spec (see prism-mock.setup.ts).
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, inject, test } from "vitest";
import { createInstantlyClient, type InstantlyAddLeadsRequest } from "../src/index.js";

const client = createInstantlyClient({ apiKey: "test-key", baseUrl: inject("prismMockUrl") });
const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";
const LIST = "019e0e3e-b690-71a9-b399-fbf55d2134c0";
const leads: InstantlyAddLeadsRequest["leads"] = [
  {
    email: "ada@example.com",
    first_name: "Ada",
    custom_variables: { plan: "pro", seats: 3, trial: false, note: null },
  },
  { email: "grace@example.com", lt_interest_status: 1 },
];

describe("POST /api/v2/leads/add", () => {
  test("adds leads to a campaign", async () => {
    const { data, error, response } = await client.POST("/api/v2/leads/add", {
      body: { campaign_id: CAMPAIGN, leads, skip_if_in_workspace: true },
    });
    expect(error).toBeUndefined();
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(data?.status).toBe("success");
    expect(data?.created_leads[0]).toMatchObject({ id: expect.any(String), index: expect.any(Number) });
    expect(typeof data?.leads_uploaded).toBe("number");
  });

  test("adds leads to a list", async () => {
    const { data, response } = await client.POST("/api/v2/leads/add", {
      body: { list_id: LIST, leads: [{ first_name: "NoEmail" }], verify_leads_on_import: false },
    });
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(data?.total_sent).toEqual(expect.any(Number));
  });

  test("sends the API key as a bearer token and asks for JSON", async () => {
    let seen: Request | undefined;
    const spy = createInstantlyClient({
      apiKey: "test-key",
      baseUrl: inject("prismMockUrl"),
      fetch: (request) => {
        seen = request.clone();
        return fetch(request);
      },
    });
    await spy.POST("/api/v2/leads/add", { body: { campaign_id: CAMPAIGN, leads } });
    expect(seen?.headers.get("authorization")).toBe("Bearer test-key");
    expect(seen?.headers.get("accept")).toBe("application/json");
  });

  test.each([
    [400, "Bad Request"],
    [401, "Unauthorized"],
    [402, "Payment Required"],
    [404, "Not Found"],
    [429, "Too Many Requests"],
  ] as const)("documents %i with a typed error body", async (status, name) => {
    const { data, error, response } = await client.POST("/api/v2/leads/add", {
      body: { campaign_id: CAMPAIGN, leads },
      headers: { Prefer: `code=${status}` },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(status);
    expect(violationsOf(response)).toEqual([]);
    expect(error).toMatchObject({ statusCode: status, error: name, message: expect.any(String) });
  });

  test("a campaign_id that is not a uuid breaks the contract", async () => {
    const { response } = await client.POST("/api/v2/leads/add", {
      body: { campaign_id: "campaign-42", leads },
    });
    // Prism answers an invalid request with the documented 400 and lists what broke the contract.
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(
      expect.objectContaining({ location: ["request", "body", "campaign_id"], message: expect.stringMatching(/uuid/) }),
    );
  });

  test("more than 1,000 leads break the contract", async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ email: `lead${i}@example.com` }));
    const { response } = await client.POST("/api/v2/leads/add", { body: { campaign_id: CAMPAIGN, leads: tooMany } });
    // Prism answers an invalid request with the documented 400 and lists what broke the contract.
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(
      expect.objectContaining({ location: ["request", "body", "leads"], message: expect.stringMatching(/1000/) }),
    );
  });
});

describe("createInstantlyClient", () => {
  test.each([undefined, "", "   "])("rejects apiKey %j, naming the option", (apiKey) => {
    expect(() => createInstantlyClient({ apiKey: apiKey as string })).toThrow(/option "apiKey" is required/);
  });

  test("defaults to Instantly's production server", async () => {
    let url = "";
    const spy = createInstantlyClient({
      apiKey: "k",
      fetch: async (request) => {
        url = request.url;
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      },
    });
    await spy.POST("/api/v2/leads/add", { body: { campaign_id: CAMPAIGN, leads } });
    expect(url).toBe("https://api.instantly.ai/api/v2/leads/add");
  });
});
