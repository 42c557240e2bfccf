import {
  type Client,
  createBearerClient,
  type ErrorBodyOf,
  requireString,
  type TransportOptions,
  type VendorApiError,
} from "../../vendor-kit/src/index.js";
import type { components, operations, paths } from "./generated/schema.js";
import { productionServerUrl } from "./generated/server.js";

export { MissingCredentialError, unwrap, VendorApiError } from "../../vendor-kit/src/index.js";
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
