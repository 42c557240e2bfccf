// Every operation of the bundled spec, through this package's client, against `prism mock` of that
// spec (see prism-mock.setup.ts). The cases come from the spec itself: see @leadbridge/testing's contract.ts.
import { fileURLToPath } from "node:url";
import { describeContract, mockFetch } from "@leadbridge/testing";
import { inject } from "vitest";
import { createInstantlyClient } from "../src/index.js";

describeContract(
  fileURLToPath(new URL("../src/generated/openapi.yaml", import.meta.url)),
  createInstantlyClient({ apiKey: "test-key", baseUrl: inject("prismMockUrl"), fetch: mockFetch }),
);
