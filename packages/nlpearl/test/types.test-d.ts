// Wrong payloads must not compile. Checked by `vitest --typecheck` (see vitest.config.ts).
import { expectTypeOf, test } from "vitest";
import {
  createNlpearlClient,
  type NlpearlLeadInput,
  type NlpearlLeadStatus,
  type NlpearlLeadStatusInput,
  type NlpearlLeadUpdate,
} from "../src/index.js";

test("a lead needs a phone number", () => {
  // @ts-expect-error phoneNumber is required
  const lead: NlpearlLeadInput = { externalId: "crm-1" };
  void lead;
  const client = createNlpearlClient({ token: "a:b" });
  // @ts-expect-error phoneNumber is required in v1 too
  void client.PUT("/v1/Outbound/{outboundId}/Lead", { params: { path: { outboundId: "o" } }, body: {} });
});

test("statuses are unions of the documented values", () => {
  expectTypeOf<NlpearlLeadStatusInput>().toEqualTypeOf<1 | 10 | 100 | 110 | 130>();
  expectTypeOf<NlpearlLeadStatus>().toEqualTypeOf<
    1 | 10 | 20 | 30 | 40 | 70 | 100 | 110 | 130 | 150 | 220 | 300 | 500
  >();
  // @ts-expect-error 42 is not a lead status
  const update: NlpearlLeadUpdate = { status: 42 };
  void update;
});

test("callData values are strings", () => {
  // @ts-expect-error a number must be sent as a string
  const lead: NlpearlLeadInput = { phoneNumber: "+1", callData: { seats: 3 } };
  void lead;
});

test("credentials are a pair or a token, not both", () => {
  // @ts-expect-error a token excludes accountId / secretKey
  createNlpearlClient({ token: "a:b", accountId: "a", secretKey: "b" });
  // @ts-expect-error secretKey is required with accountId
  createNlpearlClient({ accountId: "a" });
});
