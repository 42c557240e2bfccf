import type { VendorDescriptor } from "../../vendor-kit/src/index.js";
import { productionServerUrl, requestBodyEnums, requestBodyMaxItems } from "./generated/facts.js";

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
          values: requestBodyEnums.addLeadsToLeadList.type,
        },
      ],
    },
  ],
  maxLeadsPerRequest: requestBodyMaxItems.addLeadsToLeadList.leads,
  // Not spec facts: a list's capacity is prose in the spec's `leads` description (no schema keyword holds it),
  // and the rate limit is on docs.amplemarket.com/api-reference/introduction ("Rate Limits": 500 requests a minute).
  maxLeadsPerDestination: 60_000,
  rateLimits: [{ limit: 500, windowMs: 60_000 }],
  // Amplemarket does not add a lead that is already in the list (it counts it out of total_added_to_lead_list).
  resendSafe: true,
  productionServer: productionServerUrl,
} as const satisfies VendorDescriptor<"amplemarket">;
