import type { Destination } from "leadbridge";

export const VENDORS = ["instantly", "amplemarket", "nlpearl"] as const;
export type VendorName = (typeof VENDORS)[number];

export const DISPLAY: Record<VendorName, string> = {
  instantly: "Instantly",
  amplemarket: "Amplemarket",
  nlpearl: "NLPearl",
};

/** The environment variables the facade reads for each vendor's credentials (never printed, only named). */
export const CREDENTIAL_ENV: Record<VendorName, readonly string[]> = {
  instantly: ["INSTANTLY_API_KEY"],
  amplemarket: ["AMPLEMARKET_API_KEY"],
  nlpearl: ["NLPEARL_ACCOUNT_ID", "NLPEARL_SECRET_KEY"],
};

/**
 * Whether the vendor drops a lead it already has (as each facade adapter's `dedupes` says): then resending a
 * lead whose first sending is in doubt is safe. NLPearl does not: every copy is a phone call.
 */
export const DEDUPES: Record<VendorName, boolean> = { instantly: true, amplemarket: true, nlpearl: false };

/** Overrides the vendor's API base URL (https, or http on loopback), like `--base-url`. */
export function baseUrlEnv(vendor: VendorName): string {
  return `LEADBRIDGE_${vendor.toUpperCase()}_BASE_URL`;
}

export function describeDestination(destination: Destination): string {
  switch (destination.vendor) {
    case "instantly":
      return destination.campaignId !== undefined
        ? `Instantly campaign ${destination.campaignId}`
        : `Instantly list ${destination.listId}`;
    case "amplemarket":
      return `Amplemarket ${destination.type} list ${destination.listId}`;
    case "nlpearl":
      return `NLPearl pearl ${destination.pearlId}`;
  }
}

/** How each vendor receives custom fields (unmapped columns and `--map custom.<name>`), as the facade sends them. */
export const CUSTOM_FIELDS_AT: Record<VendorName, string | undefined> = {
  instantly: "custom variables (custom_variables)",
  nlpearl: "call data (callData, as text)",
  amplemarket: undefined, // the facade sends Amplemarket no custom fields
};

/** A notice when the mapping has custom fields the vendor will not receive, else nothing. */
export function customFieldsNotice(vendor: VendorName, names: string[]): string | undefined {
  if (CUSTOM_FIELDS_AT[vendor] !== undefined || names.length === 0) return undefined;
  return `${DISPLAY[vendor]} lead lists take no custom fields: ${names.join(", ")} ${names.length === 1 ? "is" : "are"} not sent.`;
}
