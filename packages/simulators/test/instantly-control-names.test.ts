// The control API names the campaigns and lists it creates, and the vendor's list endpoints show the names.
import { expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../src/index.js";
import { direct } from "./helpers.js";

const sim = await direct({ vendor: "instantly", rateLimits: false, seed: 3 });
const auth = { authorization: `Bearer ${SIMULATOR_CREDENTIALS.instantly.apiKey}` };

async function create(collection: "campaigns" | "lists", body: object): Promise<string> {
  const response = await fetch(`${sim.url}/__simulator/${collection}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

test("POST /__simulator/campaigns and /lists take a name, which GET /api/v2/campaigns and /lead-lists list", async () => {
  const campaign = await create("campaigns", { name: "Spring outreach" });
  const list = await create("lists", { name: "Webinar signups" });
  const unnamed = await create("campaigns", {});
  const campaigns = await (await fetch(`${sim.url}/api/v2/campaigns`, { headers: auth })).json();
  expect(campaigns.items.map((c: { id: string; name: string }) => [c.id, c.name])).toEqual([
    [campaign, "Spring outreach"],
    [unnamed, "Campaign 2"],
  ]);
  const lists = await (await fetch(`${sim.url}/api/v2/lead-lists`, { headers: auth })).json();
  expect(lists.items.map((l: { id: string; name: string }) => [l.id, l.name])).toEqual([[list, "Webinar signups"]]);
});
