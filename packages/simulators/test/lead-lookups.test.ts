// The lead lookups `verify` uses, answered from the simulator's state through `prism proxy --errors`:
// NLPearl Get Lead (by id) and Get Lead Via External ID, Instantly's lead list filtered by `contacts`.
import { createInstantlyClient } from "@leadbridge/instantly";
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { expectFromSimulator, proxied } from "./helpers.js";

describe("NLPearl", async () => {
  const { sim, prism } = await proxied({ vendor: "nlpearl", rateLimits: false, seed: 21 });
  const client = createNlpearlClient({ ...SIMULATOR_CREDENTIALS.nlpearl, baseUrl: prism.url });

  test("GET /v1/Outbound/{outboundId}/Lead/{leadId} answers the stored lead's view", async () => {
    const outboundId = sim.store.createOutbound();
    const [lead] = sim.store.seedLeads(outboundId, [{ phoneNumber: "+14155550100", externalId: "crm-1", status: 100 }]);
    const { data, response } = await client.GET("/v1/Outbound/{outboundId}/Lead/{leadId}", {
      params: { path: { outboundId, leadId: lead!.id } },
    });
    expect(violationsOf(response)).toEqual([]);
    expectFromSimulator(response);
    expect(data).toMatchObject({ id: lead!.id, phoneNumber: "+14155550100", externalId: "crm-1", status: 100 });
  });

  test("GET /v2/Outbound/{pearlId}/Lead/External/{externalId}: the latest lead with it, else 400", async () => {
    const pearlId = sim.store.createOutbound();
    const seeded = sim.store.seedLeads(pearlId, [
      { phoneNumber: "+14155550100", externalId: "crm-1" },
      { phoneNumber: "+14155550101", externalId: "crm-1" },
    ]);
    const found = await client.GET("/v2/Outbound/{pearlId}/Lead/External/{externalId}", {
      params: { path: { pearlId, externalId: "crm-1" } },
    });
    expect(violationsOf(found.response)).toEqual([]);
    expectFromSimulator(found.response);
    expect(found.data?.id).toBe(seeded[1]!.id);

    const missing = await client.GET("/v2/Outbound/{pearlId}/Lead/External/{externalId}", {
      params: { path: { pearlId, externalId: "crm-9" } },
    });
    expect(violationsOf(missing.response)).toEqual([]);
    expectFromSimulator(missing.response);
    expect(missing.response.status).toBe(400);
    expect(missing.error).toMatchObject({ errors: { externalId: [expect.stringContaining("crm-9")] } });
  });
});

describe("Instantly", async () => {
  const { sim, prism } = await proxied({ vendor: "instantly", rateLimits: false, seed: 22 });
  const client = createInstantlyClient({ apiKey: SIMULATOR_CREDENTIALS.instantly.apiKey, baseUrl: prism.url });

  test("POST /api/v2/leads/list with contacts: the leads with those emails, in any case", async () => {
    const campaign = sim.store.createCampaign();
    const list = sim.store.createList();
    sim.store.seedLeads({ campaignId: campaign }, [{ email: "ada@example.com" }, { email: "grace@example.com" }]);
    sim.store.seedLeads({ listId: list }, [{ email: "ada@example.com" }]);
    const { data, response } = await client.POST("/api/v2/leads/list", {
      body: { contacts: ["ADA@example.com", "nobody@example.com"], limit: 100 },
    });
    expect(violationsOf(response)).toEqual([]);
    expectFromSimulator(response);
    expect(data?.items.map((lead) => [lead.email, lead.campaign ?? lead.list_id])).toEqual([
      ["ada@example.com", campaign],
      ["ada@example.com", list],
    ]);
  });
});
