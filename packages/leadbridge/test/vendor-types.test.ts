// The public vendor types come from the generated registry (src/generated/vendors.ts); they are exactly
// what they were when written by hand. Checked by `tsc` (pnpm typecheck) and at run time by vitest.
import { descriptor as amplemarketDescriptor } from "@leadbridge/amplemarket";
import type { InstantlyLeadInput } from "@leadbridge/instantly";
import { descriptor as instantlyDescriptor } from "@leadbridge/instantly";
import { descriptor as nlpearlDescriptor } from "@leadbridge/nlpearl";
import { expect, expectTypeOf, test } from "vitest";
import {
  type AmplemarketConfig,
  type AmplemarketDestination,
  type AmplemarketPassthrough,
  type CustomFieldValue,
  type Destination,
  descriptors,
  type InstantlyConfig,
  type InstantlyDestination,
  type InstantlyImportOptions,
  type InstantlyPassthrough,
  type Lead,
  type LeadFields,
  type NlpearlConfig,
  type NlpearlDestination,
  type NlpearlPassthrough,
  type VendorConfigs,
  type VendorName,
  type Vendors,
} from "../src/index.js";

test("Vendors, VendorName, Destination, VendorConfigs and descriptors are what they were", () => {
  expectTypeOf<VendorName>().toEqualTypeOf<"instantly" | "amplemarket" | "nlpearl">();
  expectTypeOf<Vendors>().toEqualTypeOf<{
    instantly: { destination: InstantlyDestination; config: InstantlyConfig };
    amplemarket: { destination: AmplemarketDestination; config: AmplemarketConfig };
    nlpearl: { destination: NlpearlDestination; config: NlpearlConfig };
  }>();
  expectTypeOf<Destination>().toEqualTypeOf<InstantlyDestination | AmplemarketDestination | NlpearlDestination>();
  expectTypeOf<VendorConfigs>().toEqualTypeOf<{
    instantly?: InstantlyConfig;
    amplemarket?: AmplemarketConfig;
    nlpearl?: NlpearlConfig;
  }>();
  expectTypeOf(descriptors).toEqualTypeOf<{
    readonly instantly: typeof instantlyDescriptor;
    readonly amplemarket: typeof amplemarketDescriptor;
    readonly nlpearl: typeof nlpearlDescriptor;
  }>();
  expect(descriptors).toEqual({
    instantly: instantlyDescriptor,
    amplemarket: amplemarketDescriptor,
    nlpearl: nlpearlDescriptor,
  });
});

test("Lead: the common fields, and each vendor's own under its name, as they were written by hand", () => {
  expectTypeOf<InstantlyPassthrough>().toEqualTypeOf<
    Pick<InstantlyLeadInput, "lt_interest_status" | "personalization" | "pl_value_lead" | "assigned_to">
  >();
  expectTypeOf<AmplemarketPassthrough>().toEqualTypeOf<Record<string, string | number | boolean | null>>();
  expectTypeOf<NlpearlPassthrough>().toEqualTypeOf<{ callData?: Record<string, string> }>();
  expectTypeOf<Lead["instantly"]>().toEqualTypeOf<InstantlyPassthrough | undefined>();
  expectTypeOf<Lead["amplemarket"]>().toEqualTypeOf<AmplemarketPassthrough | undefined>();
  expectTypeOf<Lead["nlpearl"]>().toEqualTypeOf<NlpearlPassthrough | undefined>();
  expectTypeOf<Exclude<keyof Lead, keyof LeadFields>>().toEqualTypeOf<"instantly" | "amplemarket" | "nlpearl">();
  expectTypeOf<InstantlyDestination>().toMatchTypeOf<InstantlyImportOptions>();
  expectTypeOf<LeadFields["customFields"]>().toEqualTypeOf<Record<string, CustomFieldValue> | null | undefined>();
});
