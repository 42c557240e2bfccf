import type { VendorDescriptor } from "../../vendor-kit/src/index.js";
import { productionServerUrl, requestBodyMaxItems } from "./generated/facts.js";

/** NLPearl as LeadBridge's facade, CLI and simulators know it. */
export const descriptor = {
  name: "nlpearl",
  displayName: "NLPearl",
  credentials: [
    { option: "accountId", env: "NLPEARL_ACCOUNT_ID", description: "Your NLPearl account id (Settings → API)." },
    { option: "secretKey", env: "NLPEARL_SECRET_KEY", description: "Your NLPearl secret key (Settings → API)." },
  ],
  // The bearer token is `AccountId:SecretKey`.
  tokenSeparator: ":",
  destinations: [
    {
      kind: "pearl",
      fields: [
        { option: "pearlId", flag: "pearl", description: "NLPearl pearl (outbound campaign) id", type: "string" },
      ],
    },
  ],
  maxLeadsPerRequest: requestBodyMaxItems.addLeads.leads,
  // NLPearl documents no rate limit.
  rateLimits: [],
  // NLPearl adds a lead every time it is sent: every copy is a phone call.
  resendSafe: false,
  customFields: "call data (callData, as text)",
  productionServer: productionServerUrl,
} as const satisfies VendorDescriptor<"nlpearl">;
