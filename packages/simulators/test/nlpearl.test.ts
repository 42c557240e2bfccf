// NLPearl's three lead operations, through `prism proxy --errors` and the generated client.
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { expectFromSimulator, proxied } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "nlpearl", seed: 3 });
const client = createNlpearlClient({ ...SIMULATOR_CREDENTIALS.nlpearl, baseUrl: prism.url });
const direct = createNlpearlClient({ ...SIMULATOR_CREDENTIALS.nlpearl, baseUrl: sim.url });

beforeEach(() => sim.store.reset());

function expectClean(response: Response) {
  expect(violationsOf(response)).toEqual([]);
  expectFromSimulator(response);
}

describe("POST /v2/Outbound/{pearlId}/Leads/Add", () => {
  test("adds every lead and answers true", async () => {
    const pearlId = sim.store.createOutbound();
    const { data, response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId } },
      body: {
        leads: [
          { phoneNumber: "+14155550100", externalId: "crm-1", callData: { plan: "pro" } },
          { phoneNumber: "+44 20 7183 8750", timeZoneId: "GMT Standard Time" },
        ],
      },
    });
    expectClean(response);
    expect(response.status).toBe(200);
    expect(data).toBe(true);
    expect(sim.store.leads(pearlId)).toMatchObject([
      { phoneNumber: "+14155550100", externalId: "crm-1", callData: { plan: "pro" }, status: 1 },
      { phoneNumber: "+44 20 7183 8750", timeZoneId: "GMT Standard Time", status: 1 },
    ]);
  });

  test("an invalid lead is 400 ValidationProblemDetails keyed by the lead, and nothing is added", async () => {
    const pearlId = sim.store.createOutbound();
    const leads = [
      { phoneNumber: "+14155550100" },
      { phoneNumber: "+14155550101" },
      { phoneNumber: "+14155550102" },
      { phoneNumber: "call me maybe" },
    ];
    const { error, response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId } },
      body: { leads },
    });
    expectClean(response);
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ status: 400, title: expect.any(String) });
    expect(Object.keys(error?.errors ?? {})).toEqual(["leads[3].phoneNumber"]);
    expect(sim.store.leads(pearlId)).toEqual([]);
  });

  test("more than 50,000 leads is 400 on `leads`", async () => {
    const pearlId = sim.store.createOutbound();
    const leads = Array.from({ length: 50_001 }, (_, i) => ({ phoneNumber: `+1415${String(i).padStart(7, "0")}` }));
    // Straight to the simulator: the spec now states the limit as `maxItems`, so Prism's proxy refuses the
    // request itself (its 422) before the simulator could.
    const { error, response } = await direct.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId } },
      body: { leads },
    });
    expectFromSimulator(response);
    expect(response.status).toBe(400);
    expect(Object.keys(error?.errors ?? {})).toEqual(["leads"]);
    expect(sim.store.leadCount()).toBe(0);
  });

  test("an outbound id never seen before is created by its first lead (NLPearl documents no 404)", async () => {
    const { response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: "pearl-new" } },
      body: { leads: [{ phoneNumber: "+14155550100" }] },
    });
    expectClean(response);
    expect(response.status).toBe(200);
    expect(sim.store.outboundIds()).toEqual(["pearl-new"]);
  });
});

describe("PUT /v1/Outbound/{outboundId}/Lead", () => {
  test("adds one lead and returns its new id", async () => {
    const outboundId = sim.store.createOutbound();
    const first = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
      params: { path: { outboundId } },
      body: { phoneNumber: "+14155550100", externalId: "crm-9" },
    });
    const second = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
      params: { path: { outboundId } },
      body: { phoneNumber: "+14155550100" },
    });
    expectClean(first.response);
    expect(first.response.status).toBe(200);
    expect(first.data?.leadId).toMatch(/^[0-9a-f]{24}$/);
    expect(second.data?.leadId).not.toBe(first.data?.leadId);
    expect(sim.store.lead(outboundId, first.data!.leadId!)).toMatchObject({
      phoneNumber: "+14155550100",
      externalId: "crm-9",
    });
  });

  test("an invalid phone number is 400 on `phoneNumber`", async () => {
    const outboundId = sim.store.createOutbound();
    const { error, response } = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
      params: { path: { outboundId } },
      body: { phoneNumber: "12" },
    });
    expectClean(response);
    expect(response.status).toBe(400);
    expect(Object.keys(error?.errors ?? {})).toEqual(["phoneNumber"]);
  });
});

describe("PUT /v2/Outbound/{pearlId}/Lead/{leadId}", () => {
  test("updates only the fields given and returns the lead view", async () => {
    const pearlId = sim.store.createOutbound();
    const [lead] = sim.store.seedLeads(pearlId, [{ phoneNumber: "+14155550100", externalId: "crm-1" }]);
    const { data, response } = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId, leadId: lead!.id } },
      body: { status: 130, callData: { note: "converted in CRM" } },
    });
    expectClean(response);
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      id: lead!.id,
      phoneNumber: "+14155550100",
      externalId: "crm-1",
      status: 130,
      callData: { note: "converted in CRM" },
    });
    expect(sim.store.lead(pearlId, lead!.id)).toMatchObject({ status: 130, externalId: "crm-1" });
  });

  test("an unknown lead, or a status NLPearl does not accept, is 400", async () => {
    const pearlId = sim.store.createOutbound();
    const [lead] = sim.store.seedLeads(pearlId, [{ phoneNumber: "+14155550100" }]);
    const unknown = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId, leadId: "000000000000000000000000" } },
      body: { status: 100 },
    });
    expectClean(unknown.response);
    expect(unknown.response.status).toBe(400);
    expect(Object.keys(unknown.error?.errors ?? {})).toEqual(["leadId"]);

    const badPhone = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId, leadId: lead!.id } },
      body: { phoneNumber: "nope" },
    });
    expectClean(badPhone.response);
    expect(badPhone.response.status).toBe(400);
    expect(sim.store.lead(pearlId, lead!.id)?.phoneNumber).toBe("+14155550100");
  });
});

test("a wrong secret key is 401 on every operation", async () => {
  const intruder = createNlpearlClient({
    accountId: SIMULATOR_CREDENTIALS.nlpearl.accountId,
    secretKey: "wrong",
    baseUrl: prism.url,
  });
  const responses = [
    (
      await intruder.POST("/v2/Outbound/{pearlId}/Leads/Add", {
        params: { path: { pearlId: "p" } },
        body: { leads: [{ phoneNumber: "+14155550100" }] },
      })
    ).response,
    (
      await intruder.PUT("/v1/Outbound/{outboundId}/Lead", {
        params: { path: { outboundId: "p" } },
        body: { phoneNumber: "+14155550100" },
      })
    ).response,
    (
      await intruder.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
        params: { path: { pearlId: "p", leadId: "l" } },
        body: {},
      })
    ).response,
  ];
  for (const response of responses) {
    expectClean(response);
    expect(response.status).toBe(401);
  }
  expect(sim.store.leadCount()).toBe(0);
});
