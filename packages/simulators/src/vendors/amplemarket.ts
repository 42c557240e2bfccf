// Amplemarket: POST /lead-lists/{id}/leads, with per-type required fields and the 60,000 cap; its control API.
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
import { type Random, uuidV4 } from "../random.js";
import { leadListRoutes } from "./amplemarket-lead-lists.js";
import {
  type AddReply,
  AMPLEMARKET_LIST_TYPES,
  type AmplemarketListType,
  amplemarketError,
  descriptor,
  unsupported,
} from "./amplemarket-schema.js";
import { AmplemarketStore } from "./amplemarket-store.js";

export {
  AMPLEMARKET_LIST_TYPES,
  AMPLEMARKET_MAX_LEADS_PER_LIST,
  AMPLEMARKET_MAX_LEADS_PER_REQUEST,
  type AmplemarketDestination,
  type AmplemarketLead,
  type AmplemarketListInfo,
  type AmplemarketListType,
} from "./amplemarket-schema.js";
export { AmplemarketStore } from "./amplemarket-store.js";

// Amplemarket's wording, with its documented limit.
const RATE_LIMIT_DETAIL = `Rate limit of ${descriptor.rateLimits[0].limit} requests per minute exceeded.`;

/**
 * This vendor's simulator, as src/generated/vendors.ts registers it: the credentials it accepts by default
 * (not secrets), whether its 429 carries Retry-After (documents Retry-After on its 429), and its factory.
 */
export const simulator = {
  credentials: { apiKey: "sim-amplemarket-api-key" },
  sendsRetryAfter: true,
  create: createAmplemarket,
};

export function createAmplemarket(credentials: { apiKey: string }, runtime: StoreRuntime, ids: Random) {
  const store = new AmplemarketStore(runtime, ids);
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/lead-lists\/(?<id>[^/]+)\/leads$/,
      handle: ({ params, body }): AddReply => store.answerAddLeads(params.id!, body),
    },
    ...leadListRoutes(
      store,
      (id, body) => store.answerAddLeads(id, body),
      () => uuidV4(ids),
    ),
  ];
  const controlRoutes: Route[] = [...listControlRoutes(store), ...commonControlRoutes(store)];
  const module: VendorModule = {
    routes,
    controlRoutes,
    isAuthorized: (authorization) => bearerToken(authorization) === credentials.apiKey,
    unauthorized: () =>
      amplemarketError(401, { code: "unauthorized", title: "Unauthorized", detail: "Invalid API key." }),
    rateLimited(retryAfterSeconds): Reply {
      const reply = amplemarketError(429, {
        code: "rate_limited",
        title: "Too Many Requests",
        detail: RATE_LIMIT_DETAIL,
      });
      return retryAfterSeconds === undefined
        ? reply
        : { ...reply, headers: { "retry-after": String(retryAfterSeconds) } };
    },
    serverError: (status) =>
      amplemarketError(status, {
        code: status === 500 ? "internal_server_error" : status === 502 ? "bad_gateway" : "service_unavailable",
        title: status === 500 ? "Internal Server Error" : status === 502 ? "Bad Gateway" : "Service Unavailable",
        detail: "Something went wrong.",
      }),
    badRequest: (detail) => amplemarketError(400, unsupported(detail, "")),
    notFound: () => amplemarketError(404, { code: "not_found", title: "Not Found", detail: "Route not found." }),
  };
  return { module, store };
}

/** The control API's lead lists: create, list, delete, read and seed their leads. */
function listControlRoutes(store: AmplemarketStore): Route[] {
  const exists = (id: string) => store.lists().some((list) => list.id === id);
  return [
    {
      method: "POST",
      pattern: /^\/lists$/,
      handle({ body }) {
        if (!isRecord(body) || !AMPLEMARKET_LIST_TYPES.includes(body.type as AmplemarketListType)) {
          return controlError(400, `expected { type: ${AMPLEMARKET_LIST_TYPES.join(" | ")}, id?, name? }`);
        }
        const id = typeof body.id === "string" ? body.id : undefined;
        if (id !== undefined && exists(id)) return controlError(409, `list ${id} already exists`);
        const name = typeof body.name === "string" ? body.name : undefined;
        const listId = store.createList({ type: body.type as AmplemarketListType, id, name });
        return { status: 201, body: store.list(listId) };
      },
    },
    { method: "GET", pattern: /^\/lists$/, handle: () => ({ status: 200, body: store.lists() }) },
    {
      method: "DELETE",
      pattern: /^\/lists\/(?<id>[^/]+)$/,
      handle({ params }) {
        if (!exists(params.id!)) return controlError(404, `no list ${params.id}`);
        store.deleteList(params.id!);
        return { status: 204 };
      },
    },
    {
      method: "GET",
      pattern: /^\/lists\/(?<id>[^/]+)\/leads$/,
      handle({ params }) {
        if (!exists(params.id!)) return controlError(404, `no list ${params.id}`);
        return { status: 200, body: store.leads(params.id!) };
      },
    },
    {
      method: "POST",
      pattern: /^\/lists\/(?<id>[^/]+)\/leads$/,
      handle({ params, body }) {
        if (!exists(params.id!)) return controlError(404, `no list ${params.id}`);
        if (store.list(params.id!).deleted) return controlError(410, `list ${params.id} is deleted`);
        const leads = isRecord(body) ? body.leads : undefined;
        if (!Array.isArray(leads) || !leads.every(isRecord)) return controlError(400, "expected { leads: object[] }");
        return { status: 201, body: { stored: store.seedLeads(params.id!, leads) } };
      },
    },
  ];
}
