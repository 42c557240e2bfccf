// NLPearl's read operations the facade and CLI use (list pearls, search an outbound's leads),
// answered from the simulator's state through `prism proxy --errors`, and paged by the package's `paginate`.
import { createNlpearlClient, paginate } from "@leadbridge/nlpearl";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { expectFromSimulator, proxied } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "nlpearl", rateLimits: false, seed: 5 });
const client = createNlpearlClient({ ...SIMULATOR_CREDENTIALS.nlpearl, baseUrl: prism.url });

beforeEach(() => sim.store.reset());

test("GET /v2/Pearl lists the account's outbounds as pearls", async () => {
  const ids = [sim.store.createOutbound(), sim.store.createOutbound()];
  const { data, response } = await client.GET("/v2/Pearl");
  expect(violationsOf(response)).toEqual([]);
  expectFromSimulator(response);
  expect(data?.map((pearl) => pearl.id)).toEqual(ids);
});

describe("POST /v1/Outbound/{outboundId}/Leads", () => {
  test("paginate walks every matching lead with skip/limit, in order, and stops at count", async () => {
    const outboundId = sim.store.createOutbound();
    const seeded = sim.store.seedLeads(
      outboundId,
      Array.from({ length: 7 }, (_, i) => ({ phoneNumber: `+1415555010${i}`, externalId: `crm-${i}` })),
    );
    const seen: string[] = [];
    for await (const lead of paginate(client, "/v1/Outbound/{outboundId}/Leads", {
      path: { outboundId },
      body: { limit: 3 },
    })) {
      seen.push(lead.id ?? "");
    }
    expect(seen).toEqual(seeded.map((lead) => lead.id));
  });

  test("filters by status and text, within the contract", async () => {
    const outboundId = sim.store.createOutbound();
    sim.store.seedLeads(outboundId, [
      { phoneNumber: "+14155550100", externalId: "crm-1", status: 100 },
      { phoneNumber: "+14155550101", externalId: "crm-2" },
    ]);
    const { data, response } = await client.POST("/v1/Outbound/{outboundId}/Leads", {
      params: { path: { outboundId } },
      body: { statuses: [100], searchInput: "crm" },
    });
    expect(violationsOf(response)).toEqual([]);
    expectFromSimulator(response);
    expect(data).toMatchObject({ count: 1, results: [{ externalId: "crm-1", status: 100 }] });
  });
});
