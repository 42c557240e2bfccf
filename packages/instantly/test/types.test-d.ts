// Wrong payloads must not compile. Checked by `vitest --typecheck` (see vitest.config.ts).
import { expectTypeOf, test } from "vitest";
import {
  createInstantlyClient,
  type InstantlyAddLeadsResponse,
  type InstantlyCustomVariableValue,
  type InstantlyLeadInput,
} from "../src/index.js";

const client = createInstantlyClient({ apiKey: "k" });

test("custom variables take scalars only", () => {
  expectTypeOf<InstantlyCustomVariableValue>().toEqualTypeOf<string | number | boolean | null>();
  // @ts-expect-error an object is not a valid custom variable value
  const lead: InstantlyLeadInput = { email: "a@b.co", custom_variables: { address: { city: "Paris" } } };
  void lead;
});

test("leads are required and unknown lead fields are rejected", () => {
  // @ts-expect-error `leads` is required
  void client.POST("/api/v2/leads/add", { body: { campaign_id: "x" } });
  // @ts-expect-error `mail` is not a lead field
  const lead: InstantlyLeadInput = { mail: "a@b.co" };
  void lead;
});

test("interest status is one of the documented values", () => {
  // @ts-expect-error 7 is not a documented lt_interest_status
  const lead: InstantlyLeadInput = { email: "a@b.co", lt_interest_status: 7 };
  void lead;
});

test("the response is typed", () => {
  expectTypeOf<InstantlyAddLeadsResponse["created_leads"][number]["index"]>().toEqualTypeOf<number>();
});
