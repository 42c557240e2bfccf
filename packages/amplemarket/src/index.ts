import { createBearerClient, requireString, type TransportOptions } from "../../vendor-kit/src/index.js";
import type { operations, paths } from "./generated/schema.js";
import { productionServerUrl } from "./generated/server.js";

export { MissingCredentialError } from "../../vendor-kit/src/index.js";
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
/** Amplemarket's error envelope, `{ object: "error", _errors: [...] }`. */
export type AmplemarketErrorBody = AddToList["responses"][400]["content"]["application/json"];

export interface AmplemarketClientOptions extends TransportOptions {
  /** An Amplemarket API key (Settings → API), sent as a bearer token. */
  apiKey: string;
}

/** A typed client for the Amplemarket API. Every request is authenticated and asks for JSON. */
export function createAmplemarketClient(options: AmplemarketClientOptions) {
  const apiKey = requireString(
    "createAmplemarketClient",
    "apiKey",
    options?.apiKey,
    "Create one in Amplemarket under Settings → API.",
  );
  return createBearerClient<paths>(apiKey, productionServerUrl, options);
}

export type AmplemarketClient = ReturnType<typeof createAmplemarketClient>;
