// Amplemarket's add-to-list, through `prism proxy --errors` and the generated client.
import { type AmplemarketAddLeadsRequest, createAmplemarketClient } from "@leadbridge/amplemarket";
import { violationsOf } from "@leadbridge/testing";
import { beforeEach, describe, expect, test } from "vitest";
import { AMPLEMARKET_MAX_LEADS_PER_LIST, SIMULATOR_CREDENTIALS } from "../src/index.js";
import { direct, expectFromSimulator, proxied } from "./helpers.js";

const { sim, prism } = await proxied({ vendor: "amplemarket", rateLimits: false, seed: 2 });
const client = createAmplemarketClient({ apiKey: SIMULATOR_CREDENTIALS.amplemarket.apiKey, baseUrl: prism.url });
type Body = AmplemarketAddLeadsRequest;

beforeEach(() => sim.store.reset());

async function add(id: string, body: Body) {
  const { data, error, response } = await client.POST("/lead-lists/{id}/leads", { params: { path: { id } }, body });
  expect(violationsOf(response)).toEqual([]);
  expectFromSimulator(response);
  return { data, error, status: response.status };
}

const emails = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ email: `lead${from + i}@example.com` }));

describe("POST /lead-lists/{id}/leads", () => {
  test("202 {total, total_added_to_lead_list}; duplicates in the batch or already in the list are not re-added", async () => {
    const id = sim.store.createList({ type: "email" });
    const first = await add(id, {
      type: "email",
      leads: [{ email: "a@example.com", first_name: "A" }, { email: "b@example.com" }, { email: "A@example.com" }],
    });
    expect(first).toMatchObject({ status: 202, data: { total: 3, total_added_to_lead_list: 2 } });
    const second = await add(id, { type: "email", leads: [{ email: "b@example.com" }, { email: "a@example.com" }] });
    expect(second.data).toEqual({ total: 2, total_added_to_lead_list: 0 });
    expect(sim.store.leads(id).map((lead) => lead.email)).toEqual(["a@example.com", "b@example.com"]);
    expect(sim.store.leads(id)[0]).toMatchObject({ first_name: "A" });
  });

  test("a list fills up at 60,000: the call that crosses it adds partially (202), the next one is 409", async () => {
    const id = sim.store.createList({ type: "email" });
    expect(sim.store.seedLeads(id, emails(0, AMPLEMARKET_MAX_LEADS_PER_LIST - 2))).toBe(59_998);

    const partial = await add(id, { type: "email", leads: emails(100_000, 5) });
    expect(partial).toMatchObject({ status: 202, data: { total: 5, total_added_to_lead_list: 2 } });
    expect(sim.store.list(id).leadCount).toBe(AMPLEMARKET_MAX_LEADS_PER_LIST);
    expect(sim.store.leads(id).at(-1)).toEqual({ email: "lead100001@example.com" });

    const full = await add(id, { type: "email", leads: emails(200_000, 1) });
    expect(full.status).toBe(409);
    expect(full.error).toEqual({
      object: "error",
      _errors: [
        {
          code: "conflict",
          title: "Conflict",
          detail: "The maximum of 60,000 leads per list has been reached.",
          source: { pointer: "/leads" },
        },
      ],
    });
    expect(sim.store.list(id).leadCount).toBe(AMPLEMARKET_MAX_LEADS_PER_LIST);
  });

  test("each list type requires its field, in the documented error format", async () => {
    const cases = [
      {
        type: "email" as const,
        leads: [{ email: "ok@example.com" }, { linkedin_url: "x" }],
        pointer: "/leads/1/email",
        code: "unsupported_value",
      },
      {
        type: "linkedin" as const,
        leads: [{ email: "a@example.com" }],
        pointer: "/leads/0/linkedin_url",
        code: "unsupported_value",
      },
      {
        type: "linkedin" as const,
        leads: [{ linkedin_url: "https://example.com/ada" }],
        pointer: "/leads/0/linkedin_url",
        code: "unsupported_value",
      },
      {
        type: "titles_and_company" as const,
        leads: [{ title: "CTO" }],
        pointer: "/leads/0/company_name",
        code: "unsupported_value",
      },
      {
        type: "titles_and_company" as const,
        leads: [{ company_name: "Acme" }],
        pointer: "/leads/0/title",
        code: "unsupported_value",
      },
    ];
    for (const { type, leads, pointer, code } of cases) {
      const id = sim.store.createList({ type });
      const { status, error } = await add(id, { type, leads });
      expect(status, `${type} ${JSON.stringify(leads)}`).toBe(400);
      expect(error?._errors).toContainEqual(expect.objectContaining({ code, source: { pointer } }));
      expect(error?._errors[0]?.detail).toMatch(
        /^(Missing field from request|Unsupported value provided for field): leads\[\d\]\./,
      );
      expect(sim.store.leads(id)).toHaveLength(0);
    }
    // The ones that are fine:
    const linkedin = sim.store.createList({ type: "linkedin" });
    const titles = sim.store.createList({ type: "titles_and_company" });
    expect(
      (
        await add(linkedin, {
          type: "linkedin",
          leads: [{ linkedin_url: "https://www.linkedin.com/in/ada/" }, { linkedin_url: "linkedin.com/in/ada" }],
        })
      ).data,
    ).toEqual({ total: 2, total_added_to_lead_list: 1 });
    expect(
      (
        await add(titles, {
          type: "titles_and_company",
          leads: [
            { title: "CTO", company_domain: "acme.com" },
            { title: "CEO", company_name: "Acme" },
          ],
        })
      ).data,
    ).toEqual({ total: 2, total_added_to_lead_list: 2 });
  });

  test("a missing type, or one that is not the list's, is 400 on /type", async () => {
    const id = sim.store.createList({ type: "email" });
    const missing = await add(id, { leads: [{ email: "a@example.com" }] });
    expect(missing.status).toBe(400);
    expect(missing.error?._errors[0]).toMatchObject({ code: "missing_field", source: { pointer: "/type" } });
    const other = await add(id, { type: "linkedin", leads: [{ email: "a@example.com" }] });
    expect(other.status).toBe(400);
    expect(other.error?._errors[0]).toMatchObject({ code: "unsupported_value", source: { pointer: "/type" } });
  });

  test("an unknown list is 404, a deleted one 410", async () => {
    const unknown = await add("no-such-list", { type: "email", leads: emails(0, 1) });
    expect(unknown.status).toBe(404);
    expect(unknown.error?._errors[0]).toMatchObject({ code: "not_found", detail: "Could not find lead list." });

    const id = sim.store.createList({ type: "email" });
    sim.store.deleteList(id);
    const gone = await add(id, { type: "email", leads: emails(0, 1) });
    expect(gone.status).toBe(410);
    expect(gone.error?._errors[0]).toMatchObject({ code: "gone" });
  });

  test("a wrong API key is 401", async () => {
    const id = sim.store.createList({ type: "email" });
    const intruder = createAmplemarketClient({ apiKey: "nope", baseUrl: prism.url });
    const { error, response } = await intruder.POST("/lead-lists/{id}/leads", {
      params: { path: { id } },
      body: { type: "email", leads: emails(0, 1) },
    });
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(401);
    expect(error?._errors[0]).toMatchObject({ code: "unauthorized" });
    expect(sim.store.leadCount()).toBe(0);
  });
});

describe("requests the spec itself forbids, sent directly", async () => {
  const plain = await direct({ vendor: "amplemarket", rateLimits: false });
  const directClient = createAmplemarketClient({ apiKey: plain.credentials.apiKey, baseUrl: plain.url });

  test("more than 10,000 leads in one call is 400, nothing stored", async () => {
    const id = plain.store.createList({ type: "email" });
    const { response, error } = await directClient.POST("/lead-lists/{id}/leads", {
      params: { path: { id } },
      body: { type: "email", leads: emails(0, 10_001) },
    });
    expect(response.status).toBe(400);
    expect(error?._errors[0]).toMatchObject({
      detail: "Number of leads exceeds 10,000 limit.",
      source: { pointer: "/leads" },
    });
    expect(plain.store.leadCount()).toBe(0);
  });
});

test("an invalid email is 400 on the lead's pointer (the spec's format: email makes Prism refuse it, so sent directly)", async () => {
  const plain = await direct({ vendor: "amplemarket", rateLimits: false });
  const directClient = createAmplemarketClient({ apiKey: plain.credentials.apiKey, baseUrl: plain.url });
  const id = plain.store.createList({ type: "email" });
  const { response, error } = await directClient.POST("/lead-lists/{id}/leads", {
    params: { path: { id } },
    body: { type: "email", leads: [{ email: "ok@example.com" }, { email: "not-an-email" }] },
  });
  expect(response.status).toBe(400);
  expect(error?._errors).toEqual([
    {
      code: "unsupported_value",
      title: "Unsupported Value",
      detail: "Unsupported value provided for field: leads[1].email",
      source: { pointer: "/leads/1/email" },
    },
  ]);
});

describe("control API", async () => {
  const plain = await direct({ vendor: "amplemarket", rateLimits: false });
  test("creates typed lists, seeds, lists leads, deletes, resets", async () => {
    const control = `${plain.url}/__simulator`;
    const created = await fetch(`${control}/lists`, {
      method: "POST",
      body: JSON.stringify({ type: "linkedin", id: "L1" }),
    });
    expect(created.status).toBe(201);
    const seeded = await fetch(`${control}/lists/L1/leads`, {
      method: "POST",
      body: JSON.stringify({ leads: [{ linkedin_url: "https://linkedin.com/in/x" }] }),
    });
    expect(await seeded.json()).toEqual({ stored: 1 });
    expect(await (await fetch(`${control}/lists/L1/leads`)).json()).toEqual([
      { linkedin_url: "https://linkedin.com/in/x" },
    ]);
    expect((await fetch(`${control}/lists/L1`, { method: "DELETE" })).status).toBe(204);
    expect(plain.store.list("L1").deleted).toBe(true);
    expect((await fetch(`${control}/reset`, { method: "POST" })).status).toBe(204);
    expect(plain.store.lists()).toEqual([]);
  });
});
