// Instantly's read operations the facade and CLI use (list campaigns and lead lists, create a list),
// answered from the simulator's state through `prism proxy --errors`, and paged by the package's `paginate`.
import { createInstantlyClient, paginate, unwrap, VendorApiError } from "@leadbridge/instantly";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { expectFromSimulator, proxied } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "instantly", rateLimits: false, seed: 3 });
const client = createInstantlyClient({ apiKey: SIMULATOR_CREDENTIALS.instantly.apiKey, baseUrl: prism.url });

beforeEach(() => sim.store.reset());

describe("GET /api/v2/campaigns", () => {
  test("paginate walks every campaign the workspace holds, in pages of `limit`, in order", async () => {
    const ids = Array.from({ length: 7 }, (_, i) => sim.store.createCampaign(undefined, `Spring ${i}`));
    const seen: string[] = [];
    for await (const campaign of paginate(client, "/api/v2/campaigns", { query: { limit: 3 } })) {
      expect(campaign.name).toMatch(/^Spring \d$/);
      seen.push(campaign.id);
    }
    expect(seen).toEqual(ids);
  });

  test("each page keeps the contract and names the next one until the last", async () => {
    for (let i = 0; i < 3; i++) sim.store.createCampaign();
    const first = await client.GET("/api/v2/campaigns", { params: { query: { limit: 2 } } });
    expect(violationsOf(first.response)).toEqual([]);
    expectFromSimulator(first.response);
    expect(first.data?.items).toHaveLength(2);
    const after = first.data?.next_starting_after;
    expect(after).toBe(first.data?.items[1]?.id);
    const last = unwrap(
      await client.GET("/api/v2/campaigns", { params: { query: { limit: 2, starting_after: after } } }),
    );
    expect(last.items).toHaveLength(1);
    expect(last.next_starting_after).toBeUndefined();
  });

  test("search filters by name", async () => {
    sim.store.createCampaign(undefined, "Summer sale");
    sim.store.createCampaign(undefined, "Winter");
    const { items } = unwrap(await client.GET("/api/v2/campaigns", { params: { query: { search: "summer" } } }));
    expect(items.map((c) => c.name)).toEqual(["Summer sale"]);
  });

  test("a wrong key stops paginate with a VendorApiError that does not carry the key", async () => {
    const wrong = createInstantlyClient({ apiKey: "wrong-secret-key", baseUrl: prism.url });
    const walk = async () => {
      for await (const _ of paginate(wrong, "/api/v2/campaigns")) void _;
    };
    const error = await walk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ status: 401, body: { statusCode: 401 } });
    expect(JSON.stringify(error) + String(error)).not.toContain("wrong-secret-key");
  });
});

describe("lead lists", () => {
  test("POST /api/v2/lead-lists creates a list that GET /api/v2/lead-lists then lists", async () => {
    const created = await client.POST("/api/v2/lead-lists", { body: { name: "Imported 2026-11" } });
    expect(violationsOf(created.response)).toEqual([]);
    expectFromSimulator(created.response);
    expect(created.data?.name).toBe("Imported 2026-11");
    const lists = [];
    for await (const list of paginate(client, "/api/v2/lead-lists")) lists.push(list);
    expect(lists.map((l) => [l.id, l.name])).toEqual([[created.data?.id, "Imported 2026-11"]]);
    expect(sim.store.listIds()).toEqual([created.data?.id]);
  });
});
