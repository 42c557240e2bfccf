// Amplemarket's lead-list operations the facade and CLI use (create a list, get it with its entries),
// answered from the simulator's state through `prism proxy --errors`, and paged by the package's `paginate`.
import { createAmplemarketClient, paginate, unwrap, VendorApiError } from "@leadbridge/amplemarket";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { expectFromSimulator, proxied, UUID } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "amplemarket", rateLimits: false, seed: 11 });
const client = createAmplemarketClient({ apiKey: SIMULATOR_CREDENTIALS.amplemarket.apiKey, baseUrl: prism.url });
const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ email: `lead${from + i}@example.com` }));

beforeEach(() => sim.store.reset());

describe("POST /lead-lists", () => {
  test("creates a list holding its leads, with the settings it names, and links to itself", async () => {
    const { data, response } = await client.POST("/lead-lists", {
      body: { name: "Q4 import", type: "email", owner: "owner@example.com", shared: true, leads: emails(3) },
    });
    expect(violationsOf(response)).toEqual([]);
    expectFromSimulator(response);
    expect(response.status).toBe(202);
    expect(data).toMatchObject({ name: "Q4 import", type: "email", owner: "owner@example.com", shared: true });
    expect(data?.id).toMatch(UUID);
    expect(data?._links?.self.href).toBe(`/lead-lists/${data?.id}`);
    expect(sim.store.list(data!.id!)).toMatchObject({ type: "email", name: "Q4 import", leadCount: 3 });
    expect(sim.store.leads(data!.id!).map((lead) => lead.email)).toEqual(emails(3).map((lead) => lead.email));
  });

  test("a lead without the field its list type needs is answered 400 and leaves no usable list", async () => {
    const { error, response } = await client.POST("/lead-lists", {
      body: { type: "email", owner: "owner@example.com", shared: false, leads: [{ linkedin_url: "x" }] },
    });
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(400);
    expect(error?._errors[0]?.detail).toMatch(/leads\[0\]\.email/);
    expect(sim.store.lists().filter((list) => !list.deleted)).toEqual([]);
  });
});

describe("GET /lead-lists/{id}", () => {
  test("paginate walks every entry page after page through _links.next, in order", async () => {
    const id = sim.store.createList({ type: "email", name: "seeded" });
    sim.store.seedLeads(id, emails(7));
    const seen: string[] = [];
    for await (const entry of paginate(client, "/lead-lists/{id}", { path: { id }, query: { "page[size]": 3 } })) {
      seen.push(String(entry.email));
    }
    expect(seen).toEqual(emails(7).map((lead) => lead.email));
  });

  test("each page keeps the contract and links the next one until the last", async () => {
    const id = sim.store.createList({ type: "email", name: "seeded" });
    sim.store.seedLeads(id, emails(3));
    const first = await client.GET("/lead-lists/{id}", { params: { path: { id }, query: { "page[size]": 2 } } });
    expect(violationsOf(first.response)).toEqual([]);
    expectFromSimulator(first.response);
    expect(first.data).toMatchObject({ id, name: "seeded", status: "completed", type: "email" });
    expect(first.data?.leads).toHaveLength(2);
    const next = first.data?._links?.next?.href;
    expect(next).toBe(`/lead-lists/${id}?page[size]=2&page[after]=${first.data?.leads?.[1]?.id}`);
    const last = unwrap(
      await client.GET("/lead-lists/{id}", {
        params: { path: { id }, query: { "page[size]": 2, "page[after]": first.data?.leads?.[1]?.id } },
      }),
    );
    expect(last.leads?.map((entry) => entry.email)).toEqual(["lead2@example.com"]);
    expect(last._links?.next).toBeUndefined();
    expect(last._links?.prev?.href).toBe(`/lead-lists/${id}?page[size]=2&page[before]=${last.leads?.[0]?.id}`);
  });

  test("an unknown list stops paginate with a typed 404", async () => {
    const walk = async () => {
      for await (const _ of paginate(client, "/lead-lists/{id}", { path: { id: "no-such-list" } })) void _;
    };
    const error = await walk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ status: 404, body: { _errors: [{ code: "not_found" }] } });
  });
});
