import type { VendorDescriptor } from "../../vendor-kit/src/index.js";
import { productionServerUrl } from "./generated/server.js";

/** Amplemarket as LeadBridge's facade, CLI and simulators know it. */
export const descriptor = {
  name: "amplemarket",
  displayName: "Amplemarket",
  credentials: [
    { option: "apiKey", env: "AMPLEMARKET_API_KEY", description: "An Amplemarket API key (Settings → API)." },
  ],
  destinations: [
    {
      kind: "list",
      fields: [
        { option: "listId", flag: "list", description: "Amplemarket lead list id", type: "string" },
        {
          option: "type",
          flag: "type",
          description: "Amplemarket list type",
          type: "string",
          values: ["email", "linkedin", "titles_and_company"],
        },
      ],
    },
  ],
  maxLeadsPerRequest: 10_000,
  maxLeadsPerDestination: 60_000,
  rateLimits: [{ limit: 500, windowMs: 60_000 }],
  // Amplemarket does not add a lead that is already in the list (it counts it out of total_added_to_lead_list).
  resendSafe: true,
  productionServer: productionServerUrl,
} as const satisfies VendorDescriptor<"amplemarket">;
