// Instantly's lead reads the facade and CLI use (get a lead, list/search leads), answered from the
// simulator's state through `prism proxy --errors`.
import { createInstantlyClient, unwrap, VendorApiError } from "@leadbridge/instantly";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { expectFromSimulator, proxied } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "instantly", rateLimits: false, seed: 7 });
const client = createInstantlyClient({ apiKey: SIMULATOR_CREDENTIALS.instantly.apiKey, baseUrl: prism.url });

beforeEach(() => sim.store.reset());

describe("GET /api/v2/leads/{id}", () => {
  test("answers a lead added through the bulk add, with the fields it was sent and where it is", async () => {
    const campaignId = sim.store.createCampaign();
    unwrap(
      await client.POST("/api/v2/leads/add", {
        body: {
          campaign_id: campaignId,
          leads: [{ email: "ada@example.com", first_name: "Ada", custom_variables: { plan: "pro" } }],
        },
      }),
    );
    const [stored] = sim.store.leads({ campaignId });
    const { data, response } = await client.GET("/api/v2/leads/{id}", { params: { path: { id: stored!.id } } });
    expect(violationsOf(response)).toEqual([]);
    expectFromSimulator(response);
    expect(data).toMatchObject({
      id: stored!.id,
      email: "ada@example.com",
      first_name: "Ada",
      campaign: campaignId,
      list_id: null,
      payload: { plan: "pro" },
      company_domain: "example.com",
    });
  });

  test("an unknown id is a typed 404", async () => {
    const result = await client.GET("/api/v2/leads/{id}", { params: { path: { id: "no-such-lead" } } });
    expect(violationsOf(result.response)).toEqual([]);
    expect(() => unwrap(result)).toThrow(VendorApiError);
    expect(result.error).toMatchObject({ statusCode: 404 });
  });
});

describe("POST /api/v2/leads/list", () => {
  test("lists a campaign's leads in pages of `limit`, naming the next page until the last", async () => {
    const campaignId = sim.store.createCampaign();
    const other = sim.store.createList();
    const stored = sim.store.seedLeads(
      { campaignId },
      Array.from({ length: 3 }, (_, i) => ({ email: `lead${i}@example.com` })),
    );
    sim.store.seedLeads({ listId: other }, [{ email: "elsewhere@example.com" }]);
    const first = await client.POST("/api/v2/leads/list", { body: { campaign: campaignId, limit: 2 } });
    expect(violationsOf(first.response)).toEqual([]);
    expectFromSimulator(first.response);
    expect(first.data?.items.map((lead) => lead.id)).toEqual(stored.slice(0, 2).map((lead) => lead.id));
    expect(first.data?.next_starting_after).toBe(stored[1]!.id);
    const last = unwrap(
      await client.POST("/api/v2/leads/list", {
        body: { campaign: campaignId, limit: 2, starting_after: first.data?.next_starting_after },
      }),
    );
    expect(last.items.map((lead) => lead.email)).toEqual(["lead2@example.com"]);
    expect(last.next_starting_after).toBeUndefined();
  });

  test("search matches names and email; list_id and ids filter", async () => {
    const listId = sim.store.createList();
    const [grace, alan] = sim.store.seedLeads({ listId }, [
      { email: "grace@navy.mil", first_name: "Grace" },
      { email: "alan@bletchley.uk", first_name: "Alan" },
    ]);
    const search = unwrap(await client.POST("/api/v2/leads/list", { body: { search: "grace" } }));
    expect(search.items.map((lead) => lead.id)).toEqual([grace!.id]);
    const byList = unwrap(await client.POST("/api/v2/leads/list", { body: { list_id: listId, ids: [alan!.id] } }));
    expect(byList.items.map((lead) => [lead.id, lead.list_id])).toEqual([[alan!.id, listId]]);
  });
});
