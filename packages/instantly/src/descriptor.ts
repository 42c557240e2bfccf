import type { VendorDescriptor } from "../../vendor-kit/src/index.js";
import { productionServerUrl, requestBodyMaxItems } from "./generated/facts.js";

/** Instantly as LeadBridge's facade, CLI and simulators know it. */
export const descriptor = {
  name: "instantly",
  displayName: "Instantly",
  credentials: [
    {
      option: "apiKey",
      env: "INSTANTLY_API_KEY",
      description: "An Instantly API v2 key (Settings → Integrations → API keys).",
    },
  ],
  destinations: [
    {
      kind: "campaign",
      fields: [
        {
          option: "campaignId",
          flag: "campaign",
          description: "Instantly campaign id (in the campaign's URL)",
          type: "string",
          format: "uuid",
        },
      ],
    },
    {
      kind: "list",
      fields: [
        {
          option: "listId",
          flag: "list",
          description: "Instantly lead list id (in the list's URL)",
          type: "string",
          format: "uuid",
        },
      ],
    },
  ],
  importOptions: [
    {
      option: "skipIfInWorkspace",
      flag: "skip-if-in-workspace",
      description: "skip leads already anywhere in the workspace",
      type: "boolean",
    },
    {
      option: "skipIfInCampaign",
      flag: "skip-if-in-campaign",
      description: "skip leads already in any campaign",
      type: "boolean",
    },
    { option: "skipIfInList", flag: "skip-if-in-list", description: "skip leads already in any list", type: "boolean" },
    {
      option: "verifyLeadsOnImport",
      flag: "verify-leads",
      description: "verify the imported emails in the background",
      type: "boolean",
    },
  ],
  maxLeadsPerRequest: requestBodyMaxItems.bulkAddLeads.leads,
  // Not in the spec: developer.instantly.ai/getting-started/rate-limit (per workspace, shared by every key of it,
  // API v1 and v2 together).
  rateLimits: [
    { limit: 100, windowMs: 1_000 },
    { limit: 6_000, windowMs: 60_000 },
  ],
  // Instantly does not re-add a lead already in the campaign or list (it counts it in duplicated_leads).
  resendSafe: true,
  customFields: "custom variables (custom_variables)",
  productionServer: productionServerUrl,
} as const satisfies VendorDescriptor<"instantly">;
