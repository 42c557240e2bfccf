// bridge.destinations() / createDestination() / overflow "new-list", against the simulators behind a
// validating `prism proxy --errors` (every request and answer must keep the specs).
import { createRequire } from "node:module";
import { type SimulatorOptions, startSimulator, type Vendor } from "@leadbridge/simulators";
import { startPrism } from "@leadbridge/testing";
import { afterAll, describe, expect, test } from "vitest";
import { createLeadBridge, type DestinationInfo, UnsupportedOperationError } from "../src/index.js";

const require = createRequire(import.meta.url);

async function proxied<V extends Vendor>(options: SimulatorOptions<V>) {
  const sim = await startSimulator(options);
  const spec = require.resolve(`@leadbridge/${options.vendor}/openapi.yaml`);
  const prism = await startPrism({ mode: "proxy", spec, upstream: sim.url, errors: true });
  afterAll(async () => {
    await prism.close();
    await sim.close();
  });
  const bridge = createLeadBridge({ [options.vendor]: { ...sim.credentials, baseUrl: prism.url, rateLimit: false } });
  return { sim, bridge };
}

async function all(items: AsyncIterable<DestinationInfo>): Promise<DestinationInfo[]> {
  const out: DestinationInfo[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("Instantly", async () => {
  const { sim, bridge } = await proxied({ vendor: "instantly", rateLimits: false, seed: 14 });

  test("lists every campaign across pages, then every lead list, and finds one by name", async () => {
    sim.store.reset();
    const campaigns = Array.from({ length: 130 }, (_, i) =>
      sim.store.createCampaign(undefined, `Campaign no. ${i + 1}`),
    );
    const list = sim.store.createList(undefined, "Webinar signups");
    const found = await all(bridge.destinations("instantly"));
    expect(found.filter((d) => d.kind === "campaign").map((d) => d.id)).toEqual(campaigns);
    expect(found.at(-1)).toEqual({ vendor: "instantly", kind: "list", id: list, name: "Webinar signups" });
    expect(found[0]).toMatchObject({ vendor: "instantly", kind: "campaign", name: "Campaign no. 1", status: "0" });

    const searched = await all(bridge.destinations("instantly", { search: "no. 13" }));
    expect(searched.map((d) => d.name)).toEqual(["Campaign no. 13", "Campaign no. 130"]);
  });

  test("creates a lead list that the vendor then lists", async () => {
    sim.store.reset();
    const created = await bridge.createDestination("instantly", { kind: "list", name: "Fresh list" });
    expect(created).toMatchObject({ vendor: "instantly", kind: "list", name: "Fresh list" });
    expect(sim.store.listIds()).toEqual([created.id]);
    expect(await all(bridge.destinations("instantly", { search: "fresh" }))).toEqual([created]);
  });
});

describe("NLPearl", async () => {
  const { sim, bridge } = await proxied({ vendor: "nlpearl", rateLimits: false, seed: 14 });

  test("lists the outbound pearls", async () => {
    const ids = [sim.store.createOutbound(), sim.store.createOutbound()];
    const found = await all(bridge.destinations("nlpearl"));
    expect(found).toEqual(
      ids.map((id, i) => ({ vendor: "nlpearl", kind: "pearl", id, name: `Outbound ${i + 1}`, status: "1" })),
    );
    expect((await all(bridge.destinations("nlpearl", { search: "outbound 2" }))).map((d) => d.id)).toEqual([ids[1]]);
  });

  test("creating a pearl is not an operation NLPearl documents", async () => {
    await expect(bridge.createDestination("nlpearl", { kind: "pearl", name: "x" })).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
  });
});

describe("Amplemarket", async () => {
  const { sim, bridge } = await proxied({ vendor: "amplemarket", rateLimits: false, seed: 14 });
  const emails = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({ email: `lead${from + i}@example.com` }));

  test("listing lead lists names the endpoint Amplemarket does not document", async () => {
    const error = await all(bridge.destinations("amplemarket")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as UnsupportedOperationError).operation).toBe("GET /lead-lists (list lead lists)");
    expect((error as Error).message).toMatch(/documents no GET \/lead-lists/);
  });

  test("creates an empty list with its type and owner, and imports into it", async () => {
    sim.store.reset();
    const created = await bridge.createDestination("amplemarket", {
      kind: "list",
      name: "Q4",
      type: "email",
      owner: "owner@example.com",
    });
    expect(created).toMatchObject({ vendor: "amplemarket", kind: "list", name: "Q4", type: "email" });
    expect(sim.store.list(created.id)).toMatchObject({ name: "Q4", type: "email", leadCount: 0 });
    const report = await bridge.addLeads({ vendor: "amplemarket", listId: created.id, type: "email" }, emails(5));
    expect(report.counts.added).toBe(5);
    expect(sim.store.list(created.id).leadCount).toBe(5);
  });

  test('overflow "new-list" splits at the known count: nothing rejected, each lead where its result says', async () => {
    sim.store.reset();
    const first = await bridge.createDestination("amplemarket", {
      kind: "list",
      name: "Big",
      type: "email",
      owner: "owner@example.com",
      options: { validate_email: true },
    });
    sim.store.seedLeads(first.id, emails(59_990, 1_000_000));
    const created: DestinationInfo[] = [];
    const report = await bridge.addLeads({ vendor: "amplemarket", listId: first.id, type: "email" }, emails(25), {
      overflow: "new-list",
      destinationLeadCount: 59_990,
      onDestination: (d) => created.push(d),
    });
    expect(report.counts).toMatchObject({ added: 25, rejected: 0, unknown: 0 });
    expect(created).toEqual([expect.objectContaining({ name: "Big (2)", type: "email" })]);
    const second = created[0]!.id;
    expect(report.results.map((r) => r.destinationId)).toEqual([
      ...Array(10).fill(undefined),
      ...Array(15).fill(second),
    ]);
    expect(sim.store.list(first.id).leadCount).toBe(60_000);
    expect(sim.store.list(second)).toMatchObject({ leadCount: 15, type: "email" });
    expect(sim.store.leads(second).map((l) => l.email)).toEqual(emails(15, 10).map((l) => l.email));
  });

  test('overflow "new-list" learns a full list from its 409 and continues a numbered series', async () => {
    sim.store.reset();
    const first = await bridge.createDestination("amplemarket", {
      kind: "list",
      name: "Series (2)",
      type: "email",
      owner: "owner@example.com",
    });
    sim.store.seedLeads(first.id, emails(60_000, 1_000_000));
    const report = await bridge.addLeads({ vendor: "amplemarket", listId: first.id, type: "email" }, emails(3), {
      overflow: "new-list",
    });
    expect(report.counts).toMatchObject({ added: 3, rejected: 0 });
    const lists = sim.store.lists().filter((l) => !l.deleted);
    expect(lists.map((l) => [l.name, l.leadCount])).toEqual([
      ["Series (2)", 60_000],
      ["Series (3)", 3],
    ]);
    expect(new Set(report.results.map((r) => r.destinationId))).toEqual(new Set([lists[1]!.id]));
  });

  test("without overflow a full list still rejects the rest as list_full", async () => {
    sim.store.reset();
    const id = sim.store.createList({ type: "email", name: "Full" });
    sim.store.seedLeads(id, emails(60_000, 1_000_000));
    const report = await bridge.addLeads({ vendor: "amplemarket", listId: id, type: "email" }, emails(3));
    expect(report.results.map((r) => r.code)).toEqual(["list_full", "list_full", "list_full"]);
    expect(sim.store.lists().filter((l) => !l.deleted)).toHaveLength(1);
  });
});

test('overflow "new-list" is refused for a vendor whose destinations have no cap', async () => {
  const bridge = createLeadBridge({ instantly: { apiKey: "k", baseUrl: "http://127.0.0.1:9" } });
  await expect(
    bridge.addLeads({ vendor: "instantly", listId: "00000000-0000-4000-8000-000000000000" }, [], {
      overflow: "new-list",
    }),
  ).rejects.toThrow(/no lead cap/);
});
