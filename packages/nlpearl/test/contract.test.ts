// Every NLPearl operation, called through the generated client against `prism mock`
// started from the same bundled spec (see prism-mock.setup.ts).
import { violationsOf } from "@leadbridge/testing";
import { describe, expect, inject, test } from "vitest";
import { createNlpearlClient } from "../src/index.js";

const baseUrl = inject("prismMockUrl");
const client = createNlpearlClient({ accountId: "acc_1", secretKey: "sk_test", baseUrl });

describe("PUT /v1/Outbound/{outboundId}/Lead", () => {
  test("adds one lead and returns its id", async () => {
    const { data, error, response } = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
      params: { path: { outboundId: "out-1" } },
      body: { phoneNumber: "+14155550100", timeZoneId: "Pacific Standard Time", callData: { plan: "pro" } },
    });
    expect(error).toBeUndefined();
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(data).toHaveProperty("leadId");
  });

  test("an empty phoneNumber breaks the contract", async () => {
    const { error, response } = await client.PUT("/v1/Outbound/{outboundId}/Lead", {
      params: { path: { outboundId: "out-1" } },
      body: { phoneNumber: "" },
    });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(
      expect.objectContaining({
        location: ["request", "body", "phoneNumber"],
        message: expect.stringMatching(/fewer than 1/),
      }),
    );
    expect(error).toBeDefined();
  });
});

describe("POST /v2/Outbound/{pearlId}/Leads/Add", () => {
  test("adds leads in bulk", async () => {
    const { data, error, response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: "pearl-1" } },
      body: { leads: [{ phoneNumber: "+14155550100", externalId: "crm-1" }, { phoneNumber: "+442071838750" }] },
    });
    expect(error).toBeUndefined();
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(typeof data).toBe("boolean");
  });

  test("400 carries ValidationProblemDetails", async () => {
    const { data, error, response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: "pearl-1" } },
      body: { leads: [{ phoneNumber: "+14155550100" }] },
      headers: { Prefer: "code=400" },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toEqual([]);
    expect(error).toEqual(expect.objectContaining({ title: expect.toBeOneOf([expect.any(String), null]) }));
  });

  test("an empty phoneNumber in a bulk add breaks the contract", async () => {
    const { response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: "pearl-1" } },
      body: { leads: [{ phoneNumber: "+14155550100" }, { phoneNumber: "" }] },
    });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(
      expect.objectContaining({ location: ["request", "body", "leads", "1", "phoneNumber"] }),
    );
  });
});

describe("PUT /v2/Outbound/{pearlId}/Lead/{leadId}", () => {
  test("updates a lead and returns its view", async () => {
    const { data, error, response } = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId: "pearl-1", leadId: "lead-1" } },
      body: { status: 130, callData: { note: "converted in CRM" } },
    });
    expect(error).toBeUndefined();
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(data).toEqual(expect.objectContaining({ id: expect.toBeOneOf([expect.any(String), null]) }));
    expect([1, 10, 20, 30, 40, 70, 100, 110, 130, 150, 220, 300, 500, undefined]).toContain(data?.status);
  });

  test("400 carries ValidationProblemDetails", async () => {
    const { error, response } = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId: "pearl-1", leadId: "lead-1" } },
      body: { status: 1 },
      headers: { Prefer: "code=400" },
    });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toEqual([]);
    expect(error).toBeTypeOf("object");
  });

  test("a status outside the enum breaks the contract", async () => {
    const { response } = await client.PUT("/v2/Outbound/{pearlId}/Lead/{leadId}", {
      params: { path: { pearlId: "pearl-1", leadId: "lead-1" } },
      // @ts-expect-error 20 (InCallQueue) is a status NLPearl sets, not one a client may set
      body: { status: 20 },
    });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toContainEqual(expect.objectContaining({ location: ["request", "body", "status"] }));
  });
});

describe("authentication", () => {
  test("the bearer token is AccountId:SecretKey and every request asks for JSON", async () => {
    let seen: Request | undefined;
    const spy = createNlpearlClient({
      accountId: "acc_1",
      secretKey: "sk_test",
      baseUrl,
      fetch: (request) => {
        seen = request.clone();
        return fetch(request);
      },
    });
    await spy.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: "p" } },
      body: { leads: [{ phoneNumber: "+14155550100" }] },
    });
    expect(seen?.headers.get("authorization")).toBe("Bearer acc_1:sk_test");
    expect(seen?.headers.get("accept")).toBe("application/json");
  });

  test("a ready token is sent as is", async () => {
    const { response } = await createNlpearlClient({ token: "acc_1:sk_test", baseUrl }).POST(
      "/v2/Outbound/{pearlId}/Leads/Add",
      { params: { path: { pearlId: "p" } }, body: { leads: [{ phoneNumber: "+14155550100" }] } },
    );
    expect(response.status).toBe(200);
  });

  test("401 is documented (through the overlay) and has no body", async () => {
    const { data, response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: "p" } },
      body: { leads: [{ phoneNumber: "+14155550100" }] },
      headers: { Prefer: "code=401" },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(violationsOf(response)).toEqual([]);
  });

  test.each([
    [{ accountId: "", secretKey: "sk" }, "accountId"],
    [{ accountId: "acc", secretKey: "" }, "secretKey"],
    [{ token: " " }, "token"],
    [{}, "accountId"],
  ])("rejects %j, naming the option", (options, option) => {
    expect(() => createNlpearlClient(options as never)).toThrow(`option "${option}" is required`);
  });

  test("errors never contain the secret", () => {
    const attempt = () => createNlpearlClient({ accountId: "a:b", secretKey: "sk_canary_9f2" });
    expect(attempt).toThrow(/must not contain ":"/);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain("sk_canary_9f2");
      expect(JSON.stringify(error)).not.toContain("sk_canary_9f2");
    }
  });
});
