// Wrong payloads must not compile. Checked by `vitest --typecheck` (see vitest.config.ts).
import { expectTypeOf, test } from "vitest";
import type { ErrorBodyOf } from "../../vendor-kit/src/index.js";
import {
  createInstantlyClient,
  type InstantlyAddLeadsResponse,
  type InstantlyCustomVariableValue,
  type InstantlyErrorBody,
  type InstantlyLeadInput,
  type InstantlyListItem,
  type InstantlyListPath,
  type operations,
  paginate,
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

test("the error body is the union of every documented error, including the overlay's 400 and 5xx", () => {
  type AddLeads = operations["bulkAddLeads"]["responses"];
  expectTypeOf<AddLeads[400]["content"]["application/json"]>().toExtend<InstantlyErrorBody>();
  expectTypeOf<AddLeads[503]["content"]["application/json"]>().toExtend<InstantlyErrorBody>();
  type Ctd = operations["getCtdStatus"]["responses"][400]["content"]["application/json"];
  expectTypeOf<Ctd>().toExtend<InstantlyErrorBody>();
  // A spec that gains an error response: the union grows with it, with no code to edit.
  type Grown = operations & {
    brewCoffee: { responses: { 418: { content: { "application/json": { teapot: true } } } } };
  };
  expectTypeOf<ErrorBodyOf<Grown>>().toEqualTypeOf<InstantlyErrorBody | { teapot: true }>();
});

test("paginate takes list paths only and yields their item type", () => {
  expectTypeOf<"/api/v2/campaigns">().toExtend<InstantlyListPath>();
  expectTypeOf<"/api/v2/leads/add">().not.toExtend<InstantlyListPath>();
  expectTypeOf<InstantlyListItem<"/api/v2/campaigns">["name"]>().toEqualTypeOf<string>();
  // @ts-expect-error POST-only path: not a list
  void paginate(client, "/api/v2/leads/add");
  // @ts-expect-error the cursor is paginate's to set
  void paginate(client, "/api/v2/campaigns", { query: { starting_after: "x" } });
});
