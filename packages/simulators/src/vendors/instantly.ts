// Instantly API v2: the routes the simulator serves (POST /api/v2/leads/add and the reads), and its control API.
import type { InstantlyAddLeadsRequest } from "@leadbridge/instantly";
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
import { leadRoutes } from "./instantly-leads.js";
import { validate } from "./instantly-schema.js";
import { type BulkAddReply, type InstantlyDestination, InstantlyStore, instantlyError } from "./instantly-store.js";

export {
  INSTANTLY_MAX_LEADS_PER_REQUEST,
  type InstantlyDestination,
  type InstantlySeedLead,
  InstantlyStore,
  type InstantlyStoredLead,
} from "./instantly-store.js";

/**
 * One page of `ids` as Instantly lists them: `limit` (1–100, default 100) items after the one
 * named by `starting_after`, filtered by `search` on the name; `next_starting_after` while more remain.
 */
function pageOf<View extends { id: string; name: string }>(
  ids: string[],
  query: URLSearchParams | undefined,
  view: (id: string) => View,
) {
  const search = query?.get("search")?.toLowerCase();
  const all = ids.map(view).filter((item) => !search || item.name.toLowerCase().includes(search));
  const limit = Math.min(100, Math.max(1, Number(query?.get("limit") ?? 100) || 100));
  const after = query?.get("starting_after");
  const start = after ? all.findIndex((item) => item.id === after) + 1 : 0;
  const items = all.slice(start, start + limit);
  const last = items.at(-1);
  return last && start + limit < all.length ? { items, next_starting_after: last.id } : { items };
}

/**
 * This vendor's simulator, as src/generated/vendors.ts registers it: the credentials it accepts by default
 * (not secrets), whether its 429 carries Retry-After (does not document Retry-After), and its factory.
 */
export const simulator = {
  credentials: { apiKey: "sim-instantly-api-key" },
  sendsRetryAfter: false,
  create: createInstantly,
};

export function createInstantly(credentials: { apiKey: string }, runtime: StoreRuntime, ids: Random) {
  const store = new InstantlyStore(runtime, ids);
  const workspace = uuidV4(ids);
  const { campaignView, listView } = workspaceViews(store, workspace);
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/api\/v2\/leads\/add$/,
      handle({ body }): BulkAddReply {
        const problem = validate(body);
        if (problem) return instantlyError(400, problem);
        return store.answerBulkAdd(body as InstantlyAddLeadsRequest);
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/v2\/campaigns$/,
      handle: ({ query }) => ({ status: 200, body: pageOf(store.campaignIds(), query, campaignView) }),
    },
    {
      method: "GET",
      pattern: /^\/api\/v2\/lead-lists$/,
      handle: ({ query }) => ({ status: 200, body: pageOf(store.listIds(), query, listView) }),
    },
    {
      method: "POST",
      pattern: /^\/api\/v2\/lead-lists$/,
      handle({ body }) {
        if (!isRecord(body) || typeof body.name !== "string" || body.name.trim() === "") {
          return instantlyError(400, "name is required");
        }
        return { status: 200, body: listView(store.createList(undefined, body.name)) };
      },
    },
  ];

  routes.push(...leadRoutes(store, workspace));
  const controlRoutes: Route[] = [
    ...destinationControlRoutes(
      store,
      "campaigns",
      (id, name) => store.createCampaign(id, name),
      (id) => ({ campaignId: id }),
    ),
    ...destinationControlRoutes(
      store,
      "lists",
      (id, name) => store.createList(id, name),
      (id) => ({ listId: id }),
    ),
    ...blocklistRoutes(store),
    ...commonControlRoutes(store),
  ];

  const module: VendorModule = {
    routes,
    controlRoutes,
    isAuthorized: (authorization) => bearerToken(authorization) === credentials.apiKey,
    unauthorized: () => instantlyError(401, "Invalid API key"),
    rateLimited(retryAfterSeconds): Reply {
      const reply = instantlyError(429, "Rate limit exceeded");
      return retryAfterSeconds === undefined
        ? reply
        : { ...reply, headers: { "retry-after": String(retryAfterSeconds) } };
    },
    serverError: (status) =>
      instantlyError(status, status === 503 ? "Service temporarily unavailable" : "Something went wrong"),
    badRequest: (message) => instantlyError(400, message),
    notFound: () => instantlyError(404, "Route not found"),
  };
  return { module, store };
}

/** Campaigns and lists as Instantly's read endpoints show them. */
function workspaceViews(store: InstantlyStore, workspace: string) {
  function campaignView(id: string) {
    const { name, created } = store.described(id);
    return {
      id,
      name,
      status: 0,
      campaign_schedule: {
        schedules: [
          { name: "Weekdays", timing: { from: "09:00", to: "17:00" }, days: { 1: true }, timezone: "Etc/GMT+12" },
        ],
      },
      timestamp_created: created,
      timestamp_updated: created,
    };
  }
  function listView(id: string) {
    const { name, created } = store.described(id);
    return { id, organization_id: workspace, name, timestamp_created: created };
  }
  return { campaignView, listView };
}

function destinationControlRoutes(
  store: InstantlyStore,
  collection: "campaigns" | "lists",
  create: (id?: string, name?: string) => string,
  destination: (id: string) => InstantlyDestination,
): Route[] {
  const exists = (id: string) => (collection === "campaigns" ? store.campaignIds() : store.listIds()).includes(id);
  return [
    {
      method: "POST",
      pattern: new RegExp(`^/${collection}$`),
      handle({ body }) {
        const id = isRecord(body) && typeof body.id === "string" ? body.id : undefined;
        const name = isRecord(body) && typeof body.name === "string" ? body.name : undefined;
        return { status: 201, body: { id: create(id, name) } };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^/${collection}$`),
      handle: () => ({
        status: 200,
        body: (collection === "campaigns" ? store.campaignIds() : store.listIds()).map((id) => ({
          id,
          leadCount: store.leads(destination(id)).length,
        })),
      }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/${collection}/(?<id>[^/]+)/leads$`),
      handle({ params }) {
        if (!exists(params.id!)) return controlError(404, `no ${collection.slice(0, -1)} ${params.id}`);
        return { status: 200, body: store.leads(destination(params.id!)) };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^/${collection}/(?<id>[^/]+)/leads$`),
      handle({ params, body }) {
        if (!exists(params.id!)) return controlError(404, `no ${collection.slice(0, -1)} ${params.id}`);
        const leads = isRecord(body) ? body.leads : undefined;
        if (!Array.isArray(leads) || !leads.every(isRecord)) return controlError(400, "expected { leads: object[] }");
        return { status: 201, body: store.seedLeads(destination(params.id!), leads) };
      },
    },
  ];
}

/** The control API's view of the workspace's one blocklist. */
function blocklistRoutes(store: InstantlyStore): Route[] {
  return [
    {
      method: "POST",
      pattern: /^\/blocklist$/,
      handle({ body }) {
        const entries = isRecord(body) ? body.entries : undefined;
        if (!Array.isArray(entries) || !entries.every((e) => typeof e === "string")) {
          return controlError(400, "expected { entries: string[] }");
        }
        store.block(...entries);
        return { status: 200, body: { blocklistId: store.blocklistId, entries: store.blocklist() } };
      },
    },
    {
      method: "GET",
      pattern: /^\/blocklist$/,
      handle: () => ({ status: 200, body: { blocklistId: store.blocklistId, entries: store.blocklist() } }),
    },
  ];
}
