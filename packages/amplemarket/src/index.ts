import {
  type Client,
  createBearerClient,
  type ErrorBodyOf,
  requireString,
  type TransportOptions,
  type VendorApiError,
} from "../../vendor-kit/src/index.js";
import { productionServerUrl } from "./generated/facts.js";
import type { operations, paths } from "./generated/schema.js";

export type { VendorDescriptor } from "../../vendor-kit/src/index.js";
export { MissingCredentialError, unwrap, VendorApiError } from "../../vendor-kit/src/index.js";
export { descriptor } from "./descriptor.js";
export type { components, operations, paths } from "./generated/schema.js";

type AddToList = operations["addLeadsToLeadList"];

/** The body of `POST /lead-lists/{id}/leads`. */
export type AmplemarketAddLeadsRequest = AddToList["requestBody"]["content"]["application/json"];
/** One lead of an add-to-list call. */
export type AmplemarketLeadInput = AmplemarketAddLeadsRequest["leads"][number];
/** The kind of lead list, which decides the field each lead needs. */
export type AmplemarketLeadListType = NonNullable<AmplemarketAddLeadsRequest["type"]>;
/** The `202` answer: how many leads were processed and how many were added. */
export type AmplemarketAddLeadsResponse = AddToList["responses"][202]["content"]["application/json"];

export interface AmplemarketClientOptions extends TransportOptions {
  /** An Amplemarket API key (Settings → API), sent as a bearer token. */
  apiKey: string;
}

export type AmplemarketClient = Client<paths, "application/json">;

/** The body of every error response the spec documents, across all operations (a union). */
export type AmplemarketErrorBody = ErrorBodyOf<operations>;
/** What {@link unwrap} throws for an error answer. */
export type AmplemarketApiError = VendorApiError<AmplemarketErrorBody>;

/** A typed client for the Amplemarket API. Every request is authenticated and asks for JSON. */
export function createAmplemarketClient(options: AmplemarketClientOptions): AmplemarketClient {
  const apiKey = requireString(
    "createAmplemarketClient",
    "apiKey",
    options?.apiKey,
    "Create one in Amplemarket under Settings → API.",
  );
  return createBearerClient<paths>(apiKey, productionServerUrl, options);
}
