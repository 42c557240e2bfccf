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

type Schemas = components["schemas"];

/** One lead of a v2 bulk add (`POST /v2/Outbound/{pearlId}/Leads/Add`). */
export type NlpearlLeadInput = Schemas["LeadToAddApi"];
/** The body of a v2 bulk add: at most 50,000 leads. */
export type NlpearlAddLeadsRequest = Schemas["LeadsToAddApi"];
/** The body of the v1 single add (`PUT /v1/Outbound/{outboundId}/Lead`). */
export type NlpearlAddLeadV1Request = Schemas["LeadToAddV1Api"];
/** The body of a v2 lead update; every field is optional. */
export type NlpearlLeadUpdate = Schemas["LeadToUpdateApi"];
/** A lead as NLPearl returns it. */
export type NlpearlLeadView = Schemas["LeadApiView"];
/** Every status a lead can be in: 1 New … 500 Error. */
export type NlpearlLeadStatus = Schemas["eLeadStatusView"];
/** The statuses a client may set: New, NeedRetry, Success, NotSuccessful, Completed. */
export type NlpearlLeadStatusInput = Schemas["eLeadStatusInputApi"];
/** The status of a call: InProgress … Canceled. */
export type NlpearlCallStatus = Schemas["eCallStatusView"];
/** ASP.NET's problem details; `errors` maps a field path such as `leads[3].phoneNumber` to messages. */
export type NlpearlValidationProblem = Schemas["ValidationProblemDetails"];

export type NlpearlClientOptions = TransportOptions &
  (
    | {
        /** Your NLPearl account id (Settings → API). */
        accountId: string;
        /** Your NLPearl secret key (Settings → API). */
        secretKey: string;
        token?: never;
      }
    | {
        /** A ready bearer token, `AccountId:SecretKey`. */
        token: string;
        accountId?: never;
        secretKey?: never;
      }
  );

const FACTORY = "createNlpearlClient";
const HINT = "Find the account id and secret key in NLPearl under Settings → API, or pass a ready `token`.";

/** NLPearl's bearer token is the account id and the secret key joined by a colon. */
function tokenOf(options: NlpearlClientOptions): string {
  if (options?.token !== undefined) return requireString(FACTORY, "token", options.token, HINT);
  const accountId = requireString(FACTORY, "accountId", options?.accountId, HINT);
  const secretKey = requireString(FACTORY, "secretKey", options?.secretKey, HINT);
  if (accountId.includes(":")) {
    throw new TypeError(`${FACTORY}: option "accountId" must not contain ":", which separates it from the secret key.`);
  }
  return `${accountId}:${secretKey}`;
}

export type NlpearlClient = Client<paths, "application/json">;

/** The body of every error response the spec documents, across all operations (a union). */
export type NlpearlErrorBody = ErrorBodyOf<operations>;
/** What {@link unwrap} throws for an error answer. */
export type NlpearlApiError = VendorApiError<NlpearlErrorBody>;

/** A typed client for the NLPearl API (v1 and v2 lead endpoints). Every request is authenticated and asks for JSON. */
export function createNlpearlClient(options: NlpearlClientOptions): NlpearlClient {
  return createBearerClient<paths>(tokenOf(options), productionServerUrl, options);
}

/** A lead as Search Leads lists it. */
export type NlpearlLeadSearchResult = Schemas["LeadSearchResultApiView"];
/** Search Leads' criteria; `skip` is {@link paginate}'s to set. */
export type NlpearlLeadSearch = Schemas["LeadSearch"];
/** The list operations that page with `skip` / `limit` and answer `{ count, results }`. */
export type NlpearlListPath = "/v1/Outbound/{outboundId}/Leads";

export interface NlpearlPageOptions {
  path: { outboundId: string };
  /** The search; `limit` is the page size. */
  body?: Omit<NlpearlLeadSearch, "skip">;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Every lead an outbound's search finds, page after page (`skip` += the page's length, until `count`):
 * `for await (const lead of paginate(client, "/v1/Outbound/{outboundId}/Leads", { path: { outboundId }, body: { limit: 100 } }))`.
 * An error answer stops it with an {@link NlpearlApiError}.
 */
export function paginate(
  client: NlpearlClient,
  path: NlpearlListPath,
  { path: pathParams, body, ...init }: NlpearlPageOptions,
): AsyncGenerator<NlpearlLeadSearchResult, void, undefined> {
  type Results = Schemas["LeadSearchResults"];
  const post = client.POST as unknown as (path: string, init: object) => Promise<FetchResult<Results>>;
  return paginatePages(
    (skip) => post(path, { ...init, params: { path: pathParams }, body: { ...body, skip: skip ?? 0 } }),
    (data, skip) => {
      const items = data.results ?? [];
      const next = Number(skip ?? 0) + items.length;
      return { items, next: next < (data.count ?? 0) ? next : undefined };
    },
  );
}
