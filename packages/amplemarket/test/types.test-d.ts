// Wrong payloads must not compile. Checked by `vitest --typecheck` (see vitest.config.ts).
import { expectTypeOf, test } from "vitest";
import {
  type AmplemarketAddLeadsRequest,
  type AmplemarketLeadListEntry,
  type AmplemarketLeadListType,
  type AmplemarketListItem,
  type AmplemarketListPath,
  createAmplemarketClient,
  paginate,
} from "../src/index.js";

test("the lead list type is the spec's enum", () => {
  expectTypeOf<AmplemarketLeadListType>().toEqualTypeOf<"linkedin" | "email" | "titles_and_company">();
  // @ts-expect-error the spec spells it titles_and_company
  const type: AmplemarketLeadListType = "title_and_company";
  void type;
});

test("an unknown type does not compile in a call", () => {
  const client = createAmplemarketClient({ apiKey: "k" });
  // @ts-expect-error "foo" is not a lead list type
  void client.POST("/lead-lists/{id}/leads", { params: { path: { id: "l" } }, body: { type: "foo", leads: [] } });
});

test("the list id is required", () => {
  const client = createAmplemarketClient({ apiKey: "k" });
  // @ts-expect-error params.path.id is missing
  void client.POST("/lead-lists/{id}/leads", { body: { type: "email", leads: [] } });
});

test("leads is required", () => {
  // @ts-expect-error `leads` is required
  const body: AmplemarketAddLeadsRequest = { type: "email" };
  void body;
});

test("paginate takes list paths only, yields their entries, and keeps the cursor to itself", () => {
  const client = createAmplemarketClient({ apiKey: "k" });
  expectTypeOf<"/lead-lists/{id}">().toExtend<AmplemarketListPath>();
  expectTypeOf<"/lead-lists/{id}/leads">().not.toExtend<AmplemarketListPath>();
  expectTypeOf<AmplemarketListItem<"/lead-lists/{id}">>().toEqualTypeOf<AmplemarketLeadListEntry>();
  // @ts-expect-error POST-only path: not a list
  void paginate(client, "/lead-lists/{id}/leads", { path: { id: "l" } });
  // @ts-expect-error the cursor is paginate's to set
  void paginate(client, "/lead-lists/{id}", { path: { id: "l" }, query: { "page[after]": "x" } });
  // @ts-expect-error the list id is required
  void paginate(client, "/lead-lists/{id}", {});
});
