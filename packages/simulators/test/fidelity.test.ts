// The simulators answer as the vendors' pages say, on the edges issue 17 found: malformed path escapes,
// Amplemarket's company fields and unknown top-level fields, Instantly's closed, typed lead schema and
// uuid ids, NLPearl's time zone offsets. Valid requests go through `prism proxy --errors`; requests the
// spec itself forbids are sent directly (Prism would refuse to forward them).
import { createAmplemarketClient } from "@leadbridge/amplemarket";
import { createInstantlyClient } from "@leadbridge/instantly";
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, test } from "vitest";
import { direct, expectFromSimulator, proxied } from "./helpers.js";

describe("a malformed percent escape in the path", () => {
  test.each([
    ["instantly", "/__simulator/campaigns/%E0%A4%A/leads", 400],
    ["amplemarket", "/lead-lists/%E0%A4%A/leads", 400],
    ["nlpearl", "/v2/Outbound/%C0%AF%/Leads/Add", 400],
  ] as const)("%s %s: %d as JSON, not a simulator bug", async (vendor, path, status) => {
    const sim = await direct({ vendor, rateLimits: false });
    const credentials = sim.credentials as { apiKey?: string; accountId?: string; secretKey?: string };
    const authorization = `Bearer ${credentials.apiKey ?? `${credentials.accountId}:${credentials.secretKey}`}`;
    const response = await fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ leads: [] }),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.text()).not.toMatch(/simulator bug|URIError/);
  });
});

describe("Amplemarket", async () => {
  const { sim, prism } = await proxied({ vendor: "amplemarket", rateLimits: false, seed: 4 });
  const client = createAmplemarketClient({ apiKey: sim.credentials.apiKey, baseUrl: prism.url });
  const plain = await direct({ vendor: "amplemarket", rateLimits: false, seed: 4 });
  const directClient = createAmplemarketClient({ apiKey: plain.credentials.apiKey, baseUrl: plain.url });

  test('titles_and_company: company_domain "" beside a company_name is accepted (the docs take either)', async () => {
    const id = sim.store.createList({ type: "titles_and_company" });
    const { data, response } = await client.POST("/lead-lists/{id}/leads", {
      params: { path: { id } },
      body: {
        type: "titles_and_company",
        leads: [
          { title: "CTO", company_name: "Acme", company_domain: "" },
          { title: "CFO", company_name: "Acme", company_domain: "" },
          { title: "CTO", company_name: "Globex", company_domain: "" },
        ],
      },
    });
    expect(violationsOf(response)).toEqual([]);
    expectFromSimulator(response);
    expect(response.status).toBe(202);
    // An empty domain is no company: the name is the identity, so all three are distinct leads.
    expect(data).toEqual({ total: 3, total_added_to_lead_list: 3 });
  });

  test("titles_and_company: company_domain null beside a company_name is accepted (sent directly: the spec types it string)", async () => {
    const id = plain.store.createList({ type: "titles_and_company" });
    const { data, response } = await directClient.POST("/lead-lists/{id}/leads", {
      params: { path: { id } },
      body: {
        type: "titles_and_company",
        leads: [{ title: "CTO", company_name: "Acme", company_domain: null as never }],
      },
    });
    expect(response.status).toBe(202);
    expect(data).toEqual({ total: 1, total_added_to_lead_list: 1 });
  });

  test("titles_and_company: neither a company name nor a domain is still 400", async () => {
    const id = plain.store.createList({ type: "titles_and_company" });
    const { error, response } = await directClient.POST("/lead-lists/{id}/leads", {
      params: { path: { id } },
      body: { type: "titles_and_company", leads: [{ title: "CTO", company_name: "", company_domain: null as never }] },
    });
    expect(response.status).toBe(400);
    expect(error?._errors?.[0]?.source?.pointer).toBe("/leads/0/company_name");
  });

  test("an unknown top-level field is 400 (the body is additionalProperties: false), nothing stored", async () => {
    const id = plain.store.createList({ type: "email" });
    const { error, response } = await directClient.POST("/lead-lists/{id}/leads", {
      params: { path: { id } },
      body: { type: "email", leads: [{ email: "a@example.com" }], enrich: true } as never,
    });
    expect(response.status).toBe(400);
    expect(error?._errors?.[0]).toMatchObject({ code: "unsupported_value", source: { pointer: "/enrich" } });
    expect(plain.store.leads(id)).toHaveLength(0);
  });
});

describe("Instantly: the lead schema is closed and typed (sent directly: Prism refuses these)", async () => {
  const plain = await direct({ vendor: "instantly", rateLimits: false, seed: 4 });
  const client = createInstantlyClient({ apiKey: plain.credentials.apiKey, baseUrl: plain.url });

  test.each([
    [{ email: "a@example.com", favourite_colour: "teal" }, /body\/leads\/1 must NOT have additional properties/],
    [{ email: 42 }, /body\/leads\/1\/email must be string,null/],
    [
      { email: "a@example.com", lt_interest_status: 7 },
      /body\/leads\/1\/lt_interest_status must be equal to one of the allowed values/,
    ],
    [
      { email: "a@example.com", custom_variables: { plan: { tier: 1 } } },
      /body\/leads\/1\/custom_variables\/plan must be string,number,boolean,null/,
    ],
    [{ email: "a@example.com", assigned_to: "user-7" }, /body\/leads\/1\/assigned_to must match format "uuid"/],
  ])("%j is a 400 validation error, nothing stored", async (lead, message) => {
    const campaign_id = plain.store.createCampaign();
    const { error, response } = await client.POST("/api/v2/leads/add", {
      body: { campaign_id, leads: [{ email: "ok@example.com" }, lead as never] },
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ statusCode: 400, error: "Bad Request", message: expect.stringMatching(message) });
    expect(plain.store.leads({ campaignId: campaign_id })).toHaveLength(0);
  });

  test("a non-uuid campaign_id is a 400 validation error, not 404", async () => {
    const { error, response } = await client.POST("/api/v2/leads/add", {
      body: { campaign_id: "campaign-42", leads: [{ email: "a@example.com" }] },
    });
    expect(response.status).toBe(400);
    expect(error?.message).toMatch(/body\/campaign_id must match format "uuid"/);
  });
});

describe("NLPearl: the lead view's timeZone is an offset in hours", async () => {
  const { sim, prism } = await proxied({ vendor: "nlpearl", seed: 4 });
  const client = createNlpearlClient({ ...sim.credentials, baseUrl: prism.url });

  test.each([
    ["Eastern Standard Time", "-5.0"],
    ["GMT Standard Time", "0.0"],
    ["India Standard Time", "5.5"],
    ["Nepal Standard Time", "5.75"],
    ["Türkiye Standard Time", "3.0"],
    [null, null],
  ])("%s → %s", async (timeZoneId, offset) => {
    const pearlId = sim.store.createOutbound();
    const [lead] = sim.store.seedLeads(pearlId, [{ phoneNumber: "+14155550100", timeZoneId }]);
    const { data, response } = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId, leadId: lead!.id } },
      body: {},
    });
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(data?.timeZone).toBe(offset);
  });
});
