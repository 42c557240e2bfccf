// NLPearl: v2 bulk add, v1 single add, v2 update, and the reads. Outbound ids and pearl ids name the same thing.

import { DESCRIPTORS } from "../descriptors.js";
import {
  bearerToken,
  commonControlRoutes,
  controlError,
  isRecord,
  type Reply,
  type Route,
  type StoreRuntime,
  type VendorModule,
} from "../plumbing.js";
import type { Random } from "../random.js";
import { invalid } from "./nlpearl-checks.js";
import { leadReadRoutes } from "./nlpearl-lead-reads.js";
import {
  type AddLeadReply,
  type AddLeadsReply,
  type NlpearlSeedLead,
  NlpearlStore,
  type NlpearlStoredLead,
  type UpdateLeadReply,
} from "./nlpearl-store.js";

export {
  NLPEARL_INPUT_STATUSES,
  NLPEARL_MAX_LEADS_PER_REQUEST,
  type NlpearlDestination,
  type NlpearlSeedLead,
  NlpearlStore,
  type NlpearlStoredLead,
} from "./nlpearl-store.js";

/**
 * Search Leads: the leads with one of `statuses` whose phone number or external id contains
 * `searchInput`, in creation order; `count` of them all, `limit` (default 100) from `skip`.
 */
function searchLeads(leads: NlpearlStoredLead[], body: unknown) {
  const search = isRecord(body) ? body : {};
  const statuses = Array.isArray(search.statuses) ? search.statuses : undefined;
  const text = typeof search.searchInput === "string" ? search.searchInput : "";
  const found = leads.filter(
    (lead) =>
      (!statuses || statuses.includes(lead.status)) &&
      (!text || lead.phoneNumber.includes(text) || (lead.externalId ?? "").includes(text)),
  );
  const skip = typeof search.skip === "number" && search.skip > 0 ? search.skip : 0;
  const limit = typeof search.limit === "number" && search.limit > 0 ? search.limit : 100;
  return {
    count: found.length,
    results: found.slice(skip, skip + limit).map((lead) => ({
      id: lead.id,
      externalId: lead.externalId,
      phoneNumber: lead.phoneNumber,
      timeZone: lead.timeZoneId,
      status: lead.status,
      created: new Date(lead.created).toISOString(),
      callData: lead.callData,
    })),
  };
}

/**
 * This vendor's simulator, as src/generated/vendors.ts registers it: the credentials it accepts by default
 * (not secrets), whether its 429 carries Retry-After (sends Retry-After), and its factory.
 */
export const simulator = {
  credentials: { accountId: "sim-account", secretKey: "sim-secret-key" },
  sendsRetryAfter: true,
  create: createNlpearl,
};

export function createNlpearl(
  credentials: { accountId: string; secretKey: string },
  runtime: StoreRuntime,
  ids: Random,
) {
  const store = new NlpearlStore(runtime, ids);
  const token = [credentials.accountId, credentials.secretKey].join(DESCRIPTORS.nlpearl.tokenSeparator);
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/v2\/Outbound\/(?<pearlId>[^/]+)\/Leads\/Add$/,
      handle: ({ params, body }): AddLeadsReply => store.answerAddLeads(params.pearlId!, body),
    },
    {
      method: "PUT",
      pattern: /^\/v1\/Outbound\/(?<outboundId>[^/]+)\/Lead$/,
      handle: ({ params, body }): AddLeadReply => store.answerAddLead(params.outboundId!, body),
    },
    {
      method: "PUT",
      pattern: /^\/v2\/Outbound\/(?<pearlId>[^/]+)\/Lead\/(?<leadId>[^/]+)$/,
      handle: ({ params, body }): UpdateLeadReply => store.answerUpdateLead(params.pearlId!, params.leadId!, body),
    },
    {
      method: "GET",
      pattern: /^\/v2\/Pearl$/,
      handle: () => ({
        status: 200,
        body: store.outboundIds().map((id, i) => ({
          id,
          name: `Outbound ${i + 1}`,
          createdAt: new Date(0).toISOString(),
          type: 2,
          status: 1,
        })),
      }),
    },
    {
      method: "POST",
      pattern: /^\/v1\/Outbound\/(?<outboundId>[^/]+)\/Leads$/,
      handle: ({ params, body }) => ({ status: 200, body: searchLeads(store.leads(params.outboundId!), body) }),
    },
    ...leadReadRoutes(store),
  ];
  const controlRoutes: Route[] = [...outboundControlRoutes(store), ...commonControlRoutes(store)];
  // NLPearl answers its errors (401, 429, 5xx) with no body.
  const bare = (status: number): Reply => ({ status });
  const module: VendorModule = {
    routes,
    controlRoutes,
    isAuthorized: (authorization) => bearerToken(authorization) === token,
    unauthorized: () => bare(401),
    rateLimited: (retryAfterSeconds) =>
      retryAfterSeconds === undefined
        ? bare(429)
        : { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
    serverError: bare,
    badRequest: (message) => invalid({ "": [message] }),
    notFound: () => bare(404),
  };
  return { module, store };
}

/** The control API's outbounds: create, list, read and seed their leads. */
function outboundControlRoutes(store: NlpearlStore): Route[] {
  return [
    {
      method: "POST",
      pattern: /^\/outbounds$/,
      handle({ body }) {
        const id = isRecord(body) && typeof body.id === "string" ? body.id : undefined;
        return { status: 201, body: { id: store.createOutbound(id) } };
      },
    },
    {
      method: "GET",
      pattern: /^\/outbounds$/,
      handle: () => ({
        status: 200,
        body: store.outboundIds().map((id) => ({ id, leadCount: store.leads(id).length })),
      }),
    },
    {
      method: "GET",
      pattern: /^\/outbounds\/(?<id>[^/]+)\/leads$/,
      handle: ({ params }) => ({ status: 200, body: store.leads(params.id!) }),
    },
    {
      method: "POST",
      pattern: /^\/outbounds\/(?<id>[^/]+)\/leads$/,
      handle({ params, body }) {
        const leads = isRecord(body) ? body.leads : undefined;
        if (!Array.isArray(leads) || !leads.every((l) => isRecord(l) && typeof l.phoneNumber === "string")) {
          return controlError(400, "expected { leads: { phoneNumber: string, ... }[] }");
        }
        return { status: 201, body: store.seedLeads(params.id!, leads as NlpearlSeedLead[]) };
      },
    },
  ];
}
