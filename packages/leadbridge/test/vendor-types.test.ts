// The public vendor types come from the generated registry (src/generated/vendors.ts); they are exactly
// what they were when written by hand. Checked by `tsc` (pnpm typecheck) and at run time by vitest.
import { descriptor as amplemarketDescriptor } from "@leadbridge/amplemarket";
import { descriptor as instantlyDescriptor } from "@leadbridge/instantly";
import { descriptor as nlpearlDescriptor } from "@leadbridge/nlpearl";
import { expect, expectTypeOf, test } from "vitest";
import {
  type AmplemarketConfig,
  type AmplemarketDestination,
  type Destination,
  descriptors,
  type InstantlyConfig,
  type InstantlyDestination,
  type NlpearlConfig,
  type NlpearlDestination,
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
