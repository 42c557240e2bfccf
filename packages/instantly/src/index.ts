import { createBearerClient, requireString, type TransportOptions } from "../../vendor-kit/src/index.js";
import type { operations, paths } from "./generated/schema.js";
import { productionServerUrl } from "./generated/server.js";

export { MissingCredentialError } from "../../vendor-kit/src/index.js";
export type { components, operations, paths } from "./generated/schema.js";

type BulkAdd = operations["bulkAddLeads"];

/** The body of `POST /api/v2/leads/add`. */
export type InstantlyAddLeadsRequest = BulkAdd["requestBody"]["content"]["application/json"];
/** One lead of a bulk add. */
export type InstantlyLeadInput = InstantlyAddLeadsRequest["leads"][number];
/** A `custom_variables` value: Instantly takes scalars only. */
export type InstantlyCustomVariableValue = NonNullable<InstantlyLeadInput["custom_variables"]>[string];
/** Instantly's static interest statuses (custom statuses are workspace-defined numbers). */
export type InstantlyLeadInterestStatus = NonNullable<InstantlyLeadInput["lt_interest_status"]>;
/** The summary Instantly returns for a bulk add. */
export type InstantlyAddLeadsResponse = BulkAdd["responses"][200]["content"]["application/json"];
/** The body of every documented Instantly error (`{ statusCode, error, message }`). */
export type InstantlyErrorBody = BulkAdd["responses"][401 | 402 | 404 | 429]["content"]["application/json"];

export interface InstantlyClientOptions extends TransportOptions {
  /** An Instantly API v2 key (Settings → Integrations → API keys), sent as a bearer token. */
  apiKey: string;
}

/** A typed client for Instantly API v2. Every request is authenticated and asks for JSON. */
export function createInstantlyClient(options: InstantlyClientOptions) {
  const apiKey = requireString(
    "createInstantlyClient",
    "apiKey",
    options?.apiKey,
    "Create one in Instantly under Settings → Integrations → API keys.",
  );
  return createBearerClient<paths>(apiKey, productionServerUrl, options);
}

export type InstantlyClient = ReturnType<typeof createInstantlyClient>;
