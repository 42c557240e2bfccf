import {
  type Client,
  createBearerClient,
  type ErrorBodyOf,
  type FetchResult,
  paginate as paginatePages,
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
/** The body of every error response the spec documents, across all operations (a union). */
export type InstantlyErrorBody = ErrorBodyOf<operations>;
/** What {@link unwrap} and {@link paginate} throw for an Instantly error answer. */
export type InstantlyApiError = VendorApiError<InstantlyErrorBody>;

export interface InstantlyClientOptions extends TransportOptions {
  /** An Instantly API v2 key (Settings → Integrations → API keys), sent as a bearer token. */
  apiKey: string;
}

export type InstantlyClient = Client<paths, "application/json">;

/** A typed client for Instantly API v2. Every request is authenticated and asks for JSON. */
export function createInstantlyClient(options: InstantlyClientOptions): InstantlyClient {
  const apiKey = requireString(
    "createInstantlyClient",
    "apiKey",
    options?.apiKey,
    "Create one in Instantly under Settings → Integrations → API keys.",
  );
  return createBearerClient<paths>(apiKey, productionServerUrl, options);
}

type ListPage = { items: readonly unknown[]; next_starting_after?: string | null };
type Get<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;
type OkBody<O> = O extends { responses: { 200: { content: { "application/json": infer B } } } } ? B : never;

/** The GET operations that page with `starting_after` / `next_starting_after`. */
export type InstantlyListPath = {
  [P in keyof paths]: [OkBody<Get<P>>] extends [never] ? never : OkBody<Get<P>> extends ListPage ? P : never;
}[keyof paths];
/** One item of the list at `P`. */
export type InstantlyListItem<P extends InstantlyListPath> =
  OkBody<Get<P>> extends { items: readonly (infer Item)[] } ? Item : never;
type Params<P extends InstantlyListPath> = Get<P> extends { parameters: infer Q } ? Q : never;

/** The request of a paginated list, without the cursor, which {@link paginate} sets. */
export interface InstantlyPageOptions<P extends InstantlyListPath> {
  query?: Omit<NonNullable<Params<P> extends { query?: infer Q } ? Q : never>, "starting_after">;
  path?: Params<P> extends { path?: infer X } ? X : never;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Every item of an Instantly list, page after page (`starting_after` ← `next_starting_after`):
 * `for await (const campaign of paginate(client, "/api/v2/campaigns", { query: { limit: 100 } }))`.
 * An error answer stops it with an {@link InstantlyApiError}.
 */
export function paginate<P extends InstantlyListPath>(
  client: InstantlyClient,
  path: P,
  { query, path: pathParams, ...init }: InstantlyPageOptions<P> = {},
): AsyncGenerator<InstantlyListItem<P>, void, undefined> {
  const get = client.GET as unknown as (path: string, init: object) => Promise<FetchResult<ListPage>>;
  return paginatePages(
    (cursor) => get(path, { ...init, params: { path: pathParams, query: { ...query, starting_after: cursor } } }),
    (data) => ({ items: data.items as InstantlyListItem<P>[], next: data.next_starting_after }),
  );
}
