// Instantly API v2: POST /api/v2/leads/add, with the counters its docs define.
import type {
  InstantlyAddLeadsRequest,
  InstantlyLeadInput,
  InstantlyLeadInterestStatus,
  operations,
} from "@leadbridge/instantly";
import {
  bearerToken,
  commonControlRoutes,
  controlError,
  isRecord,
  type Reply,
  type ReplyOf,
  type Route,
  type StoreRuntime,
  type VendorModule,
} from "../plumbing.js";
import { type Random, uuidV4 } from "../random.js";
import { cloneStats, type SimulatorStats } from "../stats.js";
import { leadRoutes } from "./instantly-leads.js";

type BulkAddReply = ReplyOf<operations["bulkAddLeads"]>;

/** A lead as the simulator stored it: the fields it was sent with, and the id it was given. */
export interface InstantlyStoredLead {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company_name?: string | null;
  phone?: string | null;
  [field: string]: unknown;
}

/** A lead to seed: any of the fields Instantly takes. */
export type InstantlySeedLead = Omit<InstantlyStoredLead, "id">;

/** Where leads go: exactly one of the two. */
export type InstantlyDestination = { campaignId: string; listId?: never } | { listId: string; campaignId?: never };

export const INSTANTLY_MAX_LEADS_PER_REQUEST = 1_000;

interface Destination {
  leads: InstantlyStoredLead[];
  /** Lower-cased emails of `leads`; leads without an email are never duplicates. */
  emails: Set<string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Assigned in InstantlyStore's static block: the HTTP route reaches the private bulk add
// without making it (and the vendor types it uses) part of the store's public surface.
let bulkAdd: (store: InstantlyStore, body: InstantlyAddLeadsRequest) => BulkAddReply;

/** In-memory Instantly workspace: campaigns, lists, one blocklist. */
export class InstantlyStore {
  readonly #runtime: StoreRuntime;
  readonly #ids: Random;
  readonly #campaigns = new Map<string, Destination>();
  readonly #lists = new Map<string, Destination>();
  readonly #blockedEmails = new Set<string>();
  /** Names and creation times of campaigns and lists, for the read endpoints. */
  readonly #named = new Map<string, { name: string; created: string }>();
  readonly #blockedDomains = new Set<string>();
  #uploadedToCampaigns = 0;
  /** The workspace's default blocklist; a request naming another `blocklist_id` gets 404. */
  readonly blocklistId: string;
  /** Lead uploads the plan allows, reported back as `remaining_in_plan` for campaigns. */
  planLeadLimit = 1_000_000;

  /** @internal */
  constructor(runtime: StoreRuntime, ids: Random) {
    this.#runtime = runtime;
    this.#ids = ids;
    this.blocklistId = uuidV4(ids);
  }

  /** Creates a campaign (a fresh uuid unless `id` is given) and returns its id. */
  createCampaign(id: string = uuidV4(this.#ids), name?: string): string {
    this.#name(id, name ?? `Campaign ${this.#campaigns.size + 1}`);
    if (!this.#campaigns.has(id)) this.#campaigns.set(id, { leads: [], emails: new Set() });
    return id;
  }

  /** Creates a lead list (a fresh uuid unless `id` is given) and returns its id. */
  createList(id: string = uuidV4(this.#ids), name?: string): string {
    this.#name(id, name ?? `List ${this.#lists.size + 1}`);
    if (!this.#lists.has(id)) this.#lists.set(id, { leads: [], emails: new Set() });
    return id;
  }

  #name(id: string, name: string): void {
    if (!this.#named.has(id)) this.#named.set(id, { name, created: new Date().toISOString() });
  }

  /** A campaign's or list's name and creation time. */
  described(id: string): { name: string; created: string } {
    return this.#named.get(id) ?? { name: id, created: new Date(0).toISOString() };
  }

  campaignIds(): string[] {
    return [...this.#campaigns.keys()];
  }

  listIds(): string[] {
    return [...this.#lists.keys()];
  }

  /** Adds emails (`joe@example.com`) or whole domains (`example.com`) to the blocklist. */
  block(...entries: string[]): void {
    for (const entry of entries) {
      const normalized = entry.trim().toLowerCase();
      (normalized.includes("@") ? this.#blockedEmails : this.#blockedDomains).add(normalized);
    }
  }

  /** Blocked emails and domains. */
  blocklist(): string[] {
    return [...this.#blockedEmails, ...this.#blockedDomains];
  }

  /** The leads stored in a campaign or list, in insertion order. Throws for an unknown one. */
  leads(destination: InstantlyDestination): readonly InstantlyStoredLead[] {
    return this.#destination(destination).leads;
  }

  /** Every lead of the workspace. */
  leadCount(): number {
    let total = 0;
    for (const destination of [...this.#campaigns.values(), ...this.#lists.values()]) total += destination.leads.length;
    return total;
  }

  /**
   * Stores leads as if added earlier, without validation or counters; an email already in the
   * destination is not stored twice. Returns the stored leads.
   */
  seedLeads(destination: InstantlyDestination, leads: readonly InstantlySeedLead[]): InstantlyStoredLead[] {
    const target = this.#destination(destination);
    const stored: InstantlyStoredLead[] = [];
    for (const lead of leads) {
      const key = typeof lead.email === "string" ? lead.email.trim().toLowerCase() : undefined;
      if (key && target.emails.has(key)) continue;
      stored.push(this.#store(target, lead, key, destination.campaignId !== undefined));
    }
    return stored;
  }

  stats(): SimulatorStats {
    return cloneStats(this.#runtime.stats.current);
  }

  /** Forgets every campaign, list, blocklist entry and lead, and zeroes the stats, request ordinals and limiter. */
  reset(): void {
    this.#campaigns.clear();
    this.#lists.clear();
    this.#named.clear();
    this.#blockedEmails.clear();
    this.#blockedDomains.clear();
    this.#uploadedToCampaigns = 0;
    this.#runtime.resetServer();
  }

  #destination(destination: InstantlyDestination): Destination {
    const found =
      destination.campaignId !== undefined
        ? this.#campaigns.get(destination.campaignId)
        : this.#lists.get(destination.listId);
    if (!found) throw new RangeError(`no such Instantly ${destination.campaignId !== undefined ? "campaign" : "list"}`);
    return found;
  }

  #store(target: Destination, lead: InstantlySeedLead, emailKey: string | undefined, toCampaign: boolean) {
    const stored: InstantlyStoredLead = { id: uuidV4(this.#ids), ...lead };
    target.leads.push(stored);
    if (emailKey) target.emails.add(emailKey);
    if (toCampaign) this.#uploadedToCampaigns++;
    return stored;
  }

  #isBlocked(email: string): boolean {
    return this.#blockedEmails.has(email) || this.#blockedDomains.has(email.slice(email.lastIndexOf("@") + 1));
  }

  #inAny(destinations: Map<string, Destination>, email: string): boolean {
    for (const destination of destinations.values()) if (destination.emails.has(email)) return true;
    return false;
  }

  static {
    bulkAdd = (store, body) => store.#bulkAdd(body);
  }

  /** The bulk add, counter by counter; the README lists the order of the checks. */
  #bulkAdd(body: InstantlyAddLeadsRequest): BulkAddReply {
    const toCampaign = typeof body.campaign_id === "string";
    const destinationId = (toCampaign ? body.campaign_id : body.list_id) as string;
    const target = (toCampaign ? this.#campaigns : this.#lists).get(destinationId);
    if (!target) return instantlyError(404, `${toCampaign ? "Campaign" : "List"} not found`);
    if (body.blocklist_id != null && body.blocklist_id !== this.blocklistId) {
      return instantlyError(404, "Blocklist not found");
    }
    const counts = {
      in_blocklist: 0,
      duplicated_leads: 0,
      skipped_count: 0,
      invalid_email_count: 0,
      incomplete_count: 0,
      duplicate_email_count: 0,
    };
    const created: Array<{
      index: number;
      id: string;
      email?: string | null;
      first_name?: string | null;
      last_name?: string | null;
      phone?: string | null;
    }> = [];
    const seenInPayload = new Set<string>();
    for (const [index, lead] of body.leads.entries() as IterableIterator<[number, InstantlyLeadInput]>) {
      const email = typeof lead.email === "string" && lead.email.trim() !== "" ? lead.email.trim() : undefined;
      if (email === undefined) {
        if (toCampaign) {
          counts.invalid_email_count++;
          continue;
        }
        if (!lead.first_name && !lead.last_name) {
          counts.incomplete_count++;
          continue;
        }
      } else if (!EMAIL.test(email)) {
        counts.invalid_email_count++;
        continue;
      }
      const key = email?.toLowerCase();
      if (key !== undefined) {
        if (seenInPayload.has(key)) {
          counts.duplicate_email_count++;
          continue;
        }
        seenInPayload.add(key);
        if (this.#isBlocked(key)) {
          counts.in_blocklist++;
          continue;
        }
        if (target.emails.has(key)) {
          counts.duplicated_leads++;
          continue;
        }
        const skip = body.skip_if_in_workspace
          ? this.#inAny(this.#campaigns, key) || this.#inAny(this.#lists, key)
          : (body.skip_if_in_campaign && this.#inAny(this.#campaigns, key)) ||
            (body.skip_if_in_list && this.#inAny(this.#lists, key));
        if (skip) {
          counts.skipped_count++;
          continue;
        }
      }
      const fields: InstantlySeedLead = { ...lead };
      if (email !== undefined) fields.email = email;
      if (body.assigned_to !== undefined && fields.assigned_to == null) fields.assigned_to = body.assigned_to;
      const stored = this.#store(target, fields, key, toCampaign);
      created.push({
        index,
        id: stored.id,
        email: stored.email ?? null,
        first_name: stored.first_name ?? null,
        last_name: stored.last_name ?? null,
        phone: stored.phone ?? null,
      });
    }
    return {
      status: 200,
      body: {
        status: "success",
        total_sent: body.leads.length,
        leads_uploaded: created.length,
        ...counts,
        blocklist_used: this.blocklistId,
        remaining_in_plan: toCampaign ? Math.max(0, this.planLeadLimit - this.#uploadedToCampaigns) : null,
        created_leads: created,
      },
    };
  }
}

const REASONS = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
} as const;

function instantlyError<S extends keyof typeof REASONS>(status: S, message: string) {
  return { status, body: { statusCode: status, error: REASONS[status], message } } as Extract<
    BulkAddReply,
    { status: S }
  >;
}

/** Checks what the spec cannot express (XOR, counts) and shapes; the answer is a documented 400. */
function validate(body: unknown): string | undefined {
  if (!isRecord(body)) return "Body must be a JSON object";
  const hasCampaign = body.campaign_id !== undefined && body.campaign_id !== null;
  const hasList = body.list_id !== undefined && body.list_id !== null;
  if (hasCampaign === hasList) return "Provide either campaign_id or list_id, but not both";
  if (hasCampaign && typeof body.campaign_id !== "string") return "campaign_id must be a string";
  if (hasList && typeof body.list_id !== "string") return "list_id must be a string";
  if (!Array.isArray(body.leads)) return "leads must be an array";
  if (body.leads.length < 1) return "leads must contain at least 1 lead";
  if (body.leads.length > INSTANTLY_MAX_LEADS_PER_REQUEST) {
    return `leads must contain at most ${INSTANTLY_MAX_LEADS_PER_REQUEST} leads`;
  }
  const index = body.leads.findIndex((lead) => !isRecord(lead));
  if (index >= 0) return `leads[${index}] must be an object`;
  return schemaProblem(body);
}

// What the spec's JSON schema says, checked as Instantly's Fastify/ajv does: the first violation, worded
// as ajv words it (`body/leads/3/email must be string,null`).
const UUID_FORMAT = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
type Check = (value: unknown, at: string) => string | undefined;
const stringOrNull: Check = (v, at) => (v === null || typeof v === "string" ? undefined : `${at} must be string,null`);
const uuid =
  (nullable: boolean): Check =>
  (v, at) => {
    if (v === null && nullable) return undefined;
    if (typeof v !== "string") return `${at} must be ${nullable ? "string,null" : "string"}`;
    return UUID_FORMAT.test(v) ? undefined : `${at} must match format "uuid"`;
  };
const boolean: Check = (v, at) => (typeof v === "boolean" ? undefined : `${at} must be boolean`);
// Typed against the generated spec: a status added to or dropped from its enum fails to compile here.
const INTEREST_STATUSES: Record<InstantlyLeadInterestStatus, true> = {
  0: true,
  1: true,
  2: true,
  3: true,
  4: true,
  "-1": true,
  "-2": true,
  "-3": true,
  "-4": true,
};
/** Every field of the spec's lead object (`additionalProperties: false`), keyed by the generated type. */
const LEAD_FIELDS: Record<keyof InstantlyLeadInput, Check> = {
  email: stringOrNull,
  personalization: stringOrNull,
  website: stringOrNull,
  last_name: stringOrNull,
  first_name: stringOrNull,
  company_name: stringOrNull,
  job_title: stringOrNull,
  phone: stringOrNull,
  pl_value_lead: stringOrNull,
  lt_interest_status: (v, at) =>
    typeof v !== "number"
      ? `${at} must be number`
      : Object.hasOwn(INTEREST_STATUSES, String(v))
        ? undefined
        : `${at} must be equal to one of the allowed values`,
  assigned_to: uuid(true),
  custom_variables(v, at) {
    if (!isRecord(v)) return `${at} must be object`;
    for (const [key, value] of Object.entries(v)) {
      if (!(value === null || ["string", "number", "boolean"].includes(typeof value)))
        return `${at}/${key} must be string,number,boolean,null`;
    }
    return undefined;
  },
};
const BODY_FIELDS: Partial<Record<keyof InstantlyAddLeadsRequest, Check>> = {
  campaign_id: uuid(false),
  list_id: uuid(false),
  blocklist_id: uuid(true),
  assigned_to: uuid(false),
  verify_leads_on_import: boolean,
  skip_if_in_workspace: boolean,
  skip_if_in_campaign: boolean,
  skip_if_in_list: boolean,
};

function schemaProblem(body: Record<string, unknown>): string | undefined {
  for (const [field, check] of Object.entries(BODY_FIELDS) as [string, Check][]) {
    // A null campaign_id or list_id is absent to the XOR check above; the schema types them string.
    if (body[field] !== undefined && !(body[field] === null && (field === "campaign_id" || field === "list_id"))) {
      const problem = check(body[field], `body/${field}`);
      if (problem) return problem;
    }
  }
  for (const [i, lead] of (body.leads as Record<string, unknown>[]).entries()) {
    for (const [field, value] of Object.entries(lead)) {
      const check = LEAD_FIELDS[field as keyof InstantlyLeadInput] as Check | undefined;
      if (!Object.hasOwn(LEAD_FIELDS, field) || !check) return `body/leads/${i} must NOT have additional properties`;
      const problem = check(value, `body/leads/${i}/${field}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

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

export function createInstantly(credentials: { apiKey: string }, runtime: StoreRuntime, ids: Random) {
  const store = new InstantlyStore(runtime, ids);
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/api\/v2\/leads\/add$/,
      handle({ body }): BulkAddReply {
        const problem = validate(body);
        if (problem) return instantlyError(400, problem);
        return bulkAdd(store, body as InstantlyAddLeadsRequest);
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

  const workspace = uuidV4(ids);
  routes.push(...leadRoutes(store, workspace));
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
  const controlRoutes: Route[] = [
    ...destinationControlRoutes(
      "campaigns",
      (id) => store.createCampaign(id),
      (id) => ({ campaignId: id }),
    ),
    ...destinationControlRoutes(
      "lists",
      (id) => store.createList(id),
      (id) => ({ listId: id }),
    ),
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
    ...commonControlRoutes(store),
  ];

  function destinationControlRoutes(
    collection: "campaigns" | "lists",
    create: (id?: string) => string,
    destination: (id: string) => InstantlyDestination,
  ): Route[] {
    const exists = (id: string) => (collection === "campaigns" ? store.campaignIds() : store.listIds()).includes(id);
    return [
      {
        method: "POST",
        pattern: new RegExp(`^/${collection}$`),
        handle({ body }) {
          const id = isRecord(body) && typeof body.id === "string" ? body.id : undefined;
          return { status: 201, body: { id: create(id) } };
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
