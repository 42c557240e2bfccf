// The generic sandbox methods: `prepareDestination` creates what a facade destination names, so the
// vendor's own client can add leads to it, and `storedCount` counts what the store then holds.
import { createAmplemarketClient } from "@leadbridge/amplemarket";
import { createInstantlyClient } from "@leadbridge/instantly";
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { describe, expect, onTestFinished, test } from "vitest";
import { DESCRIPTORS } from "../src/descriptors.js";
import { type Simulator, type SimulatorDestination, startSimulator, type Vendor } from "../src/index.js";

/** A simulator of `vendor` for one test, closed after it. */
async function direct<V extends Vendor>({ vendor }: { vendor: V }): Promise<Simulator<V>> {
  const sim = await startSimulator({ vendor, rateLimits: false, seed: 1 });
  onTestFinished(() => sim.close());
  return sim;
}

const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";
const LIST = "019e0e3e-b690-71a9-b399-fbf49894ddee";
const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `lead${i}@example.com` }));
const phones = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ phoneNumber: `+1415${String(i).padStart(7, "0")}` }));

interface Case<V extends Vendor> {
  vendor: V;
  destination: SimulatorDestination<V>;
  /** Sends `count` new leads to the destination with the vendor's client; resolves with the HTTP status. */
  add(sim: Simulator<V>, count: number): Promise<number>;
}

const cases = [
  {
    vendor: "instantly",
    destination: { vendor: "instantly", campaignId: CAMPAIGN },
    async add(sim, count) {
      const client = createInstantlyClient({ ...sim.credentials, baseUrl: sim.url });
      const { response } = await client.POST("/api/v2/leads/add", {
        body: { campaign_id: CAMPAIGN, leads: emails(count) },
      });
      return response.status;
    },
  } satisfies Case<"instantly">,
  {
    vendor: "instantly",
    destination: { listId: LIST },
    async add(sim, count) {
      const client = createInstantlyClient({ ...sim.credentials, baseUrl: sim.url });
      const { response } = await client.POST("/api/v2/leads/add", { body: { list_id: LIST, leads: emails(count) } });
      return response.status;
    },
  } satisfies Case<"instantly">,
  {
    vendor: "amplemarket",
    destination: { vendor: "amplemarket", listId: "list-1", type: "email" },
    async add(sim, count) {
      const client = createAmplemarketClient({ ...sim.credentials, baseUrl: sim.url });
      const { response } = await client.POST("/lead-lists/{id}/leads", {
        params: { path: { id: "list-1" } },
        body: { type: "email", leads: emails(count) },
      });
      return response.status;
    },
  } satisfies Case<"amplemarket">,
  {
    vendor: "nlpearl",
    destination: { vendor: "nlpearl", pearlId: "pearl-1" },
    async add(sim, count) {
      const client = createNlpearlClient({ ...sim.credentials, baseUrl: sim.url });
      const { response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
        params: { path: { pearlId: "pearl-1" } },
        body: { leads: phones(count) },
      });
      return response.status;
    },
  } satisfies Case<"nlpearl">,
] as Case<Vendor>[];

describe.each(cases)("$vendor, destination %#: prepareDestination and storedCount", ({ vendor, destination, add }) => {
  test("the prepared destination takes the vendor's adds, and storedCount counts them", async () => {
    const sim = await direct({ vendor });
    sim.prepareDestination(destination);
    expect(sim.storedCount(destination)).toBe(0);
    expect(await add(sim, 3)).toBeLessThan(300);
    expect(sim.storedCount(destination)).toBe(3);
    // Preparing again keeps what is there.
    sim.prepareDestination(destination);
    expect(sim.storedCount(destination)).toBe(3);
    expect(sim.store.leadCount()).toBe(3);
  });

  test("the descriptor's per-request maximum is what the simulator takes; one lead more is a 400", async () => {
    const sim = await direct({ vendor });
    sim.prepareDestination(destination);
    const max = DESCRIPTORS[vendor].maxLeadsPerRequest;
    expect(await add(sim, max + 1)).toBe(400);
    expect(sim.storedCount(destination)).toBe(0);
    expect(await add(sim, max)).toBeLessThan(300);
    expect(sim.storedCount(destination)).toBe(max);
  });

  test("a destination of another vendor, or naming none of the vendor's kinds, is a TypeError", async () => {
    const sim = await direct({ vendor });
    const other = vendor === "nlpearl" ? "instantly" : "nlpearl";
    expect(() => sim.prepareDestination({ ...destination, vendor: other } as never)).toThrow(TypeError);
    const kinds = DESCRIPTORS[vendor].destinations.map((kind) => kind.fields[0].option);
    expect(() => sim.prepareDestination({ vendor } as never)).toThrow(new RegExp(kinds.join(".*")));
  });
});

test("Instantly: a destination naming both a campaign and a list is refused", async () => {
  const sim = await direct({ vendor: "instantly" });
  expect(() => sim.prepareDestination({ campaignId: CAMPAIGN, listId: LIST } as never)).toThrow(TypeError);
});

test("Amplemarket: the list is created of the destination's type; another type for the same id is refused", async () => {
  const sim = await direct({ vendor: "amplemarket" });
  sim.prepareDestination({ listId: "l", type: "linkedin" });
  expect(sim.store.list("l").type).toBe("linkedin");
  expect(() => sim.prepareDestination({ listId: "l", type: "email" })).toThrow(RangeError);
});

test("NLPearl: storedCount of a pearl never prepared nor sent to is 0", async () => {
  const sim = await direct({ vendor: "nlpearl" });
  expect(sim.storedCount({ pearlId: "never" })).toBe(0);
});
