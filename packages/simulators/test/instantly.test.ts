// Instantly's bulk add, through `prism proxy --errors` and the generated client: every answer
// must be one the spec allows, and every count must agree with what the simulator stored.
import {
  createInstantlyClient,
  type InstantlyAddLeadsRequest,
  type InstantlyAddLeadsResponse,
} from "@leadbridge/instantly";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { direct, expectFromSimulator, proxied, UUID } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "instantly", rateLimits: false, seed: 1 });
const client = createInstantlyClient({ apiKey: SIMULATOR_CREDENTIALS.instantly.apiKey, baseUrl: prism.url });
type Body = InstantlyAddLeadsRequest;

beforeEach(() => sim.store.reset());

async function add(body: Body) {
  const { data, error, response } = await client.POST("/api/v2/leads/add", { body });
  expect(violationsOf(response)).toEqual([]);
  expectFromSimulator(response);
  return { data, error, status: response.status };
}

/** Every lead sent lands in exactly one counter. */
function expectCountsAddUp(data: InstantlyAddLeadsResponse) {
  const counted =
    data.leads_uploaded +
    data.in_blocklist +
    data.duplicated_leads +
    data.skipped_count +
    data.invalid_email_count +
    data.incomplete_count +
    data.duplicate_email_count;
  expect(counted).toBe(data.total_sent);
  expect(data.created_leads).toHaveLength(data.leads_uploaded);
}

describe("POST /api/v2/leads/add to a campaign", () => {
  test("creates leads with fresh uuids and their input index; the store holds exactly them", async () => {
    const campaign_id = sim.store.createCampaign();
    const { data, status } = await add({
      campaign_id,
      leads: [
        { email: "ada@example.com", first_name: "Ada", custom_variables: { tier: "gold" } },
        { email: "not-an-email" },
        { first_name: "No", last_name: "Email" },
        { email: "grace@example.org", phone: "+14155550100" },
      ],
    });
    expect(status).toBe(200);
    expectCountsAddUp(data!);
    expect(data).toMatchObject({ status: "success", total_sent: 4, leads_uploaded: 2, invalid_email_count: 2 });
    expect(data!.created_leads.map((lead) => lead.index)).toEqual([0, 3]);
    for (const lead of data!.created_leads) expect(lead.id).toMatch(UUID);
    expect(new Set(data!.created_leads.map((lead) => lead.id)).size).toBe(2);

    const stored = sim.store.leads({ campaignId: campaign_id });
    expect(stored.map((lead) => [lead.id, lead.email])).toEqual(
      data!.created_leads.map((lead) => [lead.id, lead.email]),
    );
    expect(stored[0]).toMatchObject({ first_name: "Ada", custom_variables: { tier: "gold" } });
    expect(typeof data!.remaining_in_plan).toBe("number");
  });

  test("duplicates inside the payload count as duplicate_email_count; leads already in the campaign as duplicated_leads", async () => {
    const campaign_id = sim.store.createCampaign();
    sim.store.seedLeads({ campaignId: campaign_id }, [{ email: "old@example.com" }]);
    const { data } = await add({
      campaign_id,
      leads: [
        { email: "new@example.com" },
        { email: "NEW@example.com" }, // same address, other case: an in-payload duplicate
        { email: "old@example.com" }, // already in the campaign
        { email: "new@example.com" },
      ],
    });
    expectCountsAddUp(data!);
    expect(data).toMatchObject({ leads_uploaded: 1, duplicate_email_count: 2, duplicated_leads: 1 });
    expect(sim.store.leads({ campaignId: campaign_id }).map((lead) => lead.email)).toEqual([
      "old@example.com",
      "new@example.com",
    ]);

    // Sent again, every lead is now in the campaign.
    const again = await add({ campaign_id, leads: [{ email: "new@example.com" }, { email: "old@example.com" }] });
    expect(again.data).toMatchObject({ leads_uploaded: 0, duplicated_leads: 2, duplicate_email_count: 0 });
  });

  test("the blocklist (emails and whole domains) fills in_blocklist and wins over every later check", async () => {
    const campaign_id = sim.store.createCampaign();
    sim.store.block("blocked@example.com", "spam.test");
    sim.store.seedLeads({ campaignId: campaign_id }, [{ email: "blocked@example.com" }]);
    const { data } = await add({
      campaign_id,
      leads: [{ email: "blocked@example.com" }, { email: "anyone@spam.test" }, { email: "ok@example.com" }],
    });
    expectCountsAddUp(data!);
    expect(data).toMatchObject({ in_blocklist: 2, duplicated_leads: 0, leads_uploaded: 1 });
    expect(data!.blocklist_used).toBe(sim.store.blocklistId);
  });

  test("skip_if_in_workspace, skip_if_in_campaign and skip_if_in_list fill skipped_count", async () => {
    const campaign_id = sim.store.createCampaign();
    const otherCampaign = sim.store.createCampaign();
    const list = sim.store.createList();
    sim.store.seedLeads({ campaignId: otherCampaign }, [{ email: "in-campaign@example.com" }]);
    sim.store.seedLeads({ listId: list }, [{ email: "in-list@example.com" }]);
    const leads = [
      { email: "in-campaign@example.com" },
      { email: "in-list@example.com" },
      { email: "fresh@example.com" },
    ];

    const none = await add({ campaign_id, leads });
    expect(none.data).toMatchObject({ skipped_count: 0, leads_uploaded: 3 });

    sim.store.reset();
    const cases = [
      { flags: { skip_if_in_campaign: true }, skipped: 1 },
      { flags: { skip_if_in_list: true }, skipped: 1 },
      { flags: { skip_if_in_campaign: true, skip_if_in_list: true }, skipped: 2 },
      // overrides the other flags, even when they say false
      { flags: { skip_if_in_workspace: true, skip_if_in_campaign: false }, skipped: 2 },
    ];
    for (const { flags, skipped } of cases) {
      sim.store.reset();
      const target = sim.store.createCampaign();
      sim.store.seedLeads({ campaignId: sim.store.createCampaign() }, [{ email: "in-campaign@example.com" }]);
      sim.store.seedLeads({ listId: sim.store.createList() }, [{ email: "in-list@example.com" }]);
      const { data } = await add({ campaign_id: target, leads, ...flags });
      expectCountsAddUp(data!);
      expect(data, JSON.stringify(flags)).toMatchObject({ skipped_count: skipped, leads_uploaded: 3 - skipped });
      expect(sim.store.leads({ campaignId: target })).toHaveLength(3 - skipped);
    }
  });
});

describe("POST /api/v2/leads/add to a list", () => {
  test("a lead needs an email or a name; a bad email is invalid; remaining_in_plan is null", async () => {
    const list_id = sim.store.createList();
    const { data, status } = await add({
      list_id,
      leads: [{ first_name: "Only" }, { last_name: "Surname" }, { company_name: "No names" }, { email: "x@" }, {}],
    });
    expect(status).toBe(200);
    expectCountsAddUp(data!);
    expect(data).toMatchObject({
      leads_uploaded: 2,
      incomplete_count: 2,
      invalid_email_count: 1,
      remaining_in_plan: null,
    });
    expect(sim.store.leads({ listId: list_id })).toHaveLength(2);
  });

  test("a list and a campaign are different destinations: the same email goes into both", async () => {
    const list_id = sim.store.createList();
    const campaign_id = sim.store.createCampaign();
    expect((await add({ list_id, leads: [{ email: "a@example.com" }] })).data!.leads_uploaded).toBe(1);
    expect((await add({ campaign_id, leads: [{ email: "a@example.com" }] })).data!.leads_uploaded).toBe(1);
  });
});

describe("errors", () => {
  test("an unknown campaign or list is 404", async () => {
    for (const body of [
      { campaign_id: "019e0e3e-b690-71a9-b399-fbf49894dded", leads: [{ email: "a@example.com" }] },
      { list_id: "019e0e3e-b690-71a9-b399-fbf55d2134c0", leads: [{ email: "a@example.com" }] },
    ]) {
      const { status, error } = await add(body);
      expect(status).toBe(404);
      expect(error).toMatchObject({ statusCode: 404, error: "Not Found" });
    }
  });

  test("both campaign_id and list_id, or neither, is 400", async () => {
    const campaign_id = sim.store.createCampaign();
    const list_id = sim.store.createList();
    for (const body of [
      { campaign_id, list_id, leads: [{ email: "a@example.com" }] },
      { leads: [{ email: "a@example.com" }] },
    ]) {
      const { status, error } = await add(body);
      expect(status).toBe(400);
      expect(error).toMatchObject({ statusCode: 400, error: "Bad Request" });
    }
    expect(sim.store.leadCount()).toBe(0);
  });

  test("a blocklist_id other than the workspace's is 404", async () => {
    const campaign_id = sim.store.createCampaign();
    const { status } = await add({
      campaign_id,
      blocklist_id: "019e0e3e-b690-71a9-b399-fbf6624eaaad",
      leads: [{ email: "a@example.com" }],
    });
    expect(status).toBe(404);
  });

  test("a wrong API key is 401 and stores nothing", async () => {
    const campaign_id = sim.store.createCampaign();
    const intruder = createInstantlyClient({ apiKey: "not-the-key", baseUrl: prism.url });
    const { error, response } = await intruder.POST("/api/v2/leads/add", {
      body: { campaign_id, leads: [{ email: "a@example.com" }] },
    });
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ statusCode: 401, error: "Unauthorized" });
    expect(sim.store.leadCount()).toBe(0);
  });
});

describe("requests the spec itself forbids (Prism refuses to forward them, so sent directly)", async () => {
  const plain = await direct({ vendor: "instantly", rateLimits: false });
  const directClient = createInstantlyClient({ apiKey: plain.credentials.apiKey, baseUrl: plain.url });

  test("0 or 1,001 leads is 400", async () => {
    const campaign_id = plain.store.createCampaign();
    for (const leads of [[], Array.from({ length: 1_001 }, (_, i) => ({ email: `l${i}@example.com` }))]) {
      const { response, error } = await directClient.POST("/api/v2/leads/add", { body: { campaign_id, leads } });
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ statusCode: 400, message: expect.stringMatching(/leads/) });
    }
    expect(plain.store.leadCount()).toBe(0);
  });

  test("and Prism does refuse them (422, its own problem+json), so these paths could not go through it", async () => {
    const campaign_id = sim.store.createCampaign();
    const before = sim.store.stats().requests;
    const { response, error } = await client.POST("/api/v2/leads/add", { body: { campaign_id, leads: [] } });
    expect(response.status).toBe(422);
    expect(error).toMatchObject({ type: expect.stringMatching(/UNPROCESSABLE_ENTITY/) });
    expect(sim.store.stats().requests).toBe(before);
  });
});
