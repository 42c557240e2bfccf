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
import type { components, operations, paths } from "./generated/schema.js";

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

/** A Lead List as Amplemarket returns it: its settings, `status`, a page of `leads` and `_links`. */
export type AmplemarketLeadList = components["schemas"]["lead_list"];
/** One entry of a Lead List. */
export type AmplemarketLeadListEntry = components["schemas"]["lead_list_entry"];
/** The body of `POST /lead-lists`. */
export type AmplemarketCreateLeadListRequest =
  operations["createLeadList"]["requestBody"]["content"]["application/json"];

/** Each paginated list operation and the property of its answer that holds a page's items. */
const LIST_ITEMS = { "/lead-lists/{id}": "leads" } as const;
/** The GET operations that page with `page[after]` / `_links.next`. */
export type AmplemarketListPath = keyof typeof LIST_ITEMS;
type Get<P extends AmplemarketListPath> = paths[P]["get"];
type ListBody<P extends AmplemarketListPath> = Get<P>["responses"][200]["content"]["application/json"];
/** One item of the list at `P`. */
export type AmplemarketListItem<P extends AmplemarketListPath> = NonNullable<
  ListBody<P>[(typeof LIST_ITEMS)[P]]
>[number];

/** The request of a paginated list, without the cursor, which {@link paginate} sets. */
export interface AmplemarketPageOptions<P extends AmplemarketListPath> {
  path: Get<P>["parameters"]["path"];
  query?: Omit<NonNullable<Get<P>["parameters"]["query"]>, "page[after]" | "page[before]">;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The `page[after]` cursor of a `_links.next.href` (a relative URL). */
function cursorOf(href: string | undefined): string | undefined {
  if (!href) return undefined;
  const after = new URL(href, "http://_").searchParams.get("page[after]");
  if (!after) throw new Error(`paginate: the next link ${JSON.stringify(href)} has no page[after]; stopping.`);
  return after;
}

/**
 * Every item of an Amplemarket list, page after page (`page[after]` ← `_links.next.href`):
 * `for await (const entry of paginate(client, "/lead-lists/{id}", { path: { id }, query: { "page[size]": 100 } }))`.
 * An error answer stops it with an {@link AmplemarketApiError}.
 */
export function paginate<P extends AmplemarketListPath>(
  client: AmplemarketClient,
  path: P,
  { query, path: pathParams, ...init }: AmplemarketPageOptions<P>,
): AsyncGenerator<AmplemarketListItem<P>, void, undefined> {
  type Body = { _links?: { next?: { href: string } } } & Record<string, unknown>;
  const get = client.GET as unknown as (path: string, init: object) => Promise<FetchResult<Body>>;
  return paginatePages(
    (after) => get(path, { ...init, params: { path: pathParams, query: { ...query, "page[after]": after } } }),
    (data) => ({
      items: (data[LIST_ITEMS[path]] ?? []) as AmplemarketListItem<P>[],
      get next() {
        return cursorOf(data._links?.next?.href);
      },
    }),
  );
}
