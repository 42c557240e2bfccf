// The client's own behaviour against `prism mock` of the bundled spec (see prism-mock.setup.ts):
// auth, defaults, typed answers. Every operation's statuses and the spec's constraints are
// exercised by spec-contract.test.ts, derived from the spec.
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, inject, test } from "vitest";
import {
  createInstantlyClient,
  type InstantlyAddLeadsRequest,
  paginate,
  unwrap,
  VendorApiError,
} from "../src/index.js";

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

describe("paginate and unwrap against prism mock", () => {
  test("paginate yields typed items page after page, and throws rather than loops when the cursor stops moving", async () => {
    // Prism answers every page with the spec's example, whose next_starting_after never changes.
    const names: string[] = [];
    const walk = async () => {
      for await (const campaign of paginate(client, "/api/v2/campaigns", { query: { limit: 10 } }))
        names.push(campaign.name);
    };
    await expect(walk()).rejects.toThrow(/cursor .* repeated/);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => typeof name === "string")).toBe(true);
  });

  test("paginate stops on an error answer with that error", async () => {
    const walk = async () => {
      for await (const _ of paginate(client, "/api/v2/campaigns", { headers: { Prefer: "code=429" } })) void _;
    };
    const error = await walk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ status: 429, body: { statusCode: 429, error: expect.any(String) } });
  });

  test("unwrap returns the data of a 2xx and throws a VendorApiError with the typed body otherwise", async () => {
    const added = unwrap(await client.POST("/api/v2/leads/add", { body: { campaign_id: CAMPAIGN, leads } }));
    expect(added.status).toBe("success");
    const failed = await client.POST("/api/v2/leads/add", {
      body: { campaign_id: CAMPAIGN, leads },
      headers: { Prefer: "code=402" },
    });
    expect(() => unwrap(failed)).toThrow(VendorApiError);
    const error = (() => {
      try {
        unwrap(failed);
      } catch (e) {
        return e as VendorApiError<{ statusCode: number }>;
      }
    })();
    expect(error?.status).toBe(402);
    expect(error?.body.statusCode).toBe(402);
    expect(error?.url).toMatch(/\/api\/v2\/leads\/add$/);
    expect(`${error?.message} ${JSON.stringify(error)}`).not.toContain("test-key");
  });
});
