// Proof that the contract tests can fail: Prism proxy must flag a response the spec does not allow.
// Here the Instantly spec fronts the Amplemarket simulator, a real server whose answers are
// shaped for another vendor.
import { createInstantlyClient } from "@leadbridge/instantly";
import { startPrism, violationsOf } from "@leadbridge/testing";
import { afterAll, expect, test } from "vitest";
import { SIMULATOR_CREDENTIALS, startSimulator } from "../src/index.js";
import { specOf } from "./helpers.js";

const wrong = await startSimulator({
  vendor: "amplemarket",
  credentials: { apiKey: SIMULATOR_CREDENTIALS.instantly.apiKey },
});
const prism = await startPrism({ mode: "proxy", spec: specOf("instantly"), upstream: wrong.url, errors: true });
afterAll(async () => {
  await prism.close();
  await wrong.close();
});

test("a response body the spec does not allow is reported in sl-violations, and Prism turns it into a 500", async () => {
  const client = createInstantlyClient({ apiKey: SIMULATOR_CREDENTIALS.instantly.apiKey, baseUrl: prism.url });
  const { response } = await client.POST("/api/v2/leads/add", {
    body: { campaign_id: "019e0e3e-b690-71a9-b399-fbf49894dded", leads: [{ email: "a@example.com" }] },
  });
  // The Amplemarket simulator answers 404 `{object, _errors}`; Instantly's 404 needs `{statusCode, error, message}`.
  expect(response.status).toBe(500);
  expect(violationsOf(response)).toContainEqual(
    expect.objectContaining({ location: ["response", "body"], severity: "Error" }),
  );
});
