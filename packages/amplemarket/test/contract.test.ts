// Every Amplemarket operation, called through the generated client against `prism mock`
// started from the same bundled spec (see prism-mock.setup.ts).
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, inject, test } from "vitest";
import { createAmplemarketClient, paginate, VendorApiError } from "../src/index.js";

const client = createAmplemarketClient({ apiKey: "test-key", baseUrl: inject("prismMockUrl") });
const path = "/lead-lists/{id}/leads" as const;
const params = { path: { id: "list-123" } };

describe("POST /lead-lists/{id}/leads", () => {
  test("adds leads to an email list", async () => {
    const { data, error, response } = await client.POST(path, {
      params,
      body: { type: "email", leads: [{ email: "ada@example.com", company_domain: "example.com" }] },
    });
    expect(error).toBeUndefined();
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(202);
    expect(data).toEqual({ total: expect.any(Number), total_added_to_lead_list: expect.any(Number) });
  });

  test("adds leads to a titles_and_company list, with extra lead fields", async () => {
    const { response } = await client.POST(path, {
      params,
      body: { type: "titles_and_company", leads: [{ title: "CTO", company_name: "Example", city: "Lisbon" }] },
    });
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(202);
  });

  test("sends the API key as a bearer token and asks for JSON", async () => {
    let seen: Request | undefined;
    const spy = createAmplemarketClient({
      apiKey: "test-key",
      baseUrl: inject("prismMockUrl"),
      fetch: (request) => {
        seen = request.clone();
        return fetch(request);
      },
    });
    await spy.POST(path, {
      params,
      body: { type: "linkedin", leads: [{ linkedin_url: "https://linkedin.com/in/x" }] },
    });
    expect(seen?.headers.get("authorization")).toBe("Bearer test-key");
    expect(seen?.headers.get("accept")).toBe("application/json");
  });

  test.each([
    [400, "missing_field"],
    [401, "unauthorized"],
    [402, "insufficient_credits"],
    [404, "not_found"],
    [409, "conflict"],
    [410, "gone"],
    [429, "rate_limited"],
    [500, "internal_server_error"],
  ] as const)("documents %i with a typed _errors body", async (status, code) => {
    const { data, error, response } = await client.POST(path, {
      params,
      body: { type: "email", leads: [{ email: "ada@example.com" }] },
      headers: { Prefer: `code=${status}` },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(status);
    expect(violationsOf(response)).toEqual([]);
    expect(error?.object).toBe("error");
    expect(error?._errors[0]).toMatchObject({ code, title: expect.any(String), detail: expect.any(String) });
  });

  test("429 carries Retry-After", async () => {
    const { response } = await client.POST(path, {
      params,
      body: { type: "email", leads: [{ email: "ada@example.com" }] },
      headers: { Prefer: "code=429" },
    });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(0);
  });

  test('type "foo" breaks the contract', async () => {
    const { response } = await client.POST(path, {
      params,
      // @ts-expect-error "foo" is not a lead list type; the test proves Prism rejects it too
      body: { type: "foo", leads: [{ email: "ada@example.com" }] },
    });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(
      expect.objectContaining({
        location: ["request", "body", "type"],
        message: expect.stringMatching(/allowed values/),
      }),
    );
  });

  test("more than 10,000 leads break the contract", async () => {
    const leads = Array.from({ length: 10_001 }, (_, i) => ({ email: `lead${i}@example.com` }));
    const { response } = await client.POST(path, { params, body: { type: "email", leads } });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(expect.objectContaining({ location: ["request", "body", "leads"] }));
  });
});

describe("createAmplemarketClient", () => {
  test.each([undefined, "", "  "])("rejects apiKey %j, naming the option", (apiKey) => {
    expect(() => createAmplemarketClient({ apiKey: apiKey as string })).toThrow(/option "apiKey" is required/);
  });
});

describe("paginate against prism mock", () => {
  test("yields the typed entries of a page, and throws rather than guesses when the next link has no page[after]", async () => {
    // Prism answers every page with a sample whose `_links.next.href` is a placeholder string.
    const entries: unknown[] = [];
    const walk = async () => {
      for await (const entry of paginate(client, "/lead-lists/{id}", { path: { id: "list-123" } })) entries.push(entry);
    };
    await expect(walk()).rejects.toThrow(/next link .* has no page\[after\]/);
    expect(entries.length).toBeGreaterThan(0);
  });

  test("stops on an error answer with that error", async () => {
    const walk = async () => {
      for await (const _ of paginate(client, "/lead-lists/{id}", {
        path: { id: "list-123" },
        headers: { Prefer: "code=429" },
      }))
        void _;
    };
    const error = await walk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ status: 429, body: { object: "error", _errors: [{ code: expect.any(String) }] } });
  });
});
