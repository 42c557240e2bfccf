// Amplemarket: POST /lead-lists/{id}/leads, with per-type required fields and the 60,000 cap.
import type { AmplemarketAddLeadsRequest, operations } from "@leadbridge/amplemarket";
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
import { leadListRoutes } from "./amplemarket-lead-lists.js";

type AddReply = ReplyOf<operations["addLeadsToLeadList"]>;
type ErrorObject = { code: string; title: string; detail: string; source?: { pointer: string } };

/** The kind of list, which decides the field each lead must carry (the spec's spelling). */
export type AmplemarketListType = "linkedin" | "email" | "titles_and_company";
export const AMPLEMARKET_LIST_TYPES: readonly AmplemarketListType[] = ["linkedin", "email", "titles_and_company"];
export const AMPLEMARKET_MAX_LEADS_PER_REQUEST = 10_000;
export const AMPLEMARKET_MAX_LEADS_PER_LIST = 60_000;

/** A lead as sent (Amplemarket accepts extra fields). */
export interface AmplemarketLead {
  email?: string;
  linkedin_url?: string;
  title?: string;
  company_name?: string;
  company_domain?: string;
  [field: string]: unknown;
}

export interface AmplemarketListInfo {
  id: string;
  type: AmplemarketListType;
  name: string;
  deleted: boolean;
  leadCount: number;
}

interface LeadList {
  type: AmplemarketListType;
  name: string;
  deleted: boolean;
  leads: AmplemarketLead[];
  /** Identity of each stored lead for its list type (see `identityOf`). */
  identities: Set<string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LINKEDIN_PROFILE = /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(?:in|pub)\/[^/?#\s]+\/?(?:[?#]\S*)?$/i;

/** What makes two leads the same lead in a list of this type. */
function identityOf(type: AmplemarketListType, lead: AmplemarketLead): string {
  switch (type) {
    case "email":
      return String(lead.email).trim().toLowerCase();
    case "linkedin":
      return String(lead.linkedin_url)
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\//, "")
        .replace(/^[a-z]{2,3}\./, "")
        .replace(/[?#].*$/, "")
        .replace(/\/$/, "");
    case "titles_and_company": {
      // The domain when there is one (null or "" is none), else the name.
      const company = filled(lead.company_domain) ? lead.company_domain : lead.company_name;
      return `${String(lead.title).trim().toLowerCase()}\u0000${String(company).trim().toLowerCase()}`;
    }
  }
}

function filled(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

let addLeads: (store: AmplemarketStore, listId: string, body: unknown) => AddReply;

/** In-memory Amplemarket account: typed lead lists. */
export class AmplemarketStore {
  readonly #runtime: StoreRuntime;
  readonly #ids: Random;
  readonly #lists = new Map<string, LeadList>();

  /** @internal */
  constructor(runtime: StoreRuntime, ids: Random) {
    this.#runtime = runtime;
    this.#ids = ids;
  }

  /** Creates a lead list of `type` and returns its id (a fresh uuid unless `id` is given). */
  createList({ type, id, name }: { type: AmplemarketListType; id?: string; name?: string }): string {
    if (!AMPLEMARKET_LIST_TYPES.includes(type)) {
      throw new TypeError(`Amplemarket list type must be one of ${AMPLEMARKET_LIST_TYPES.join(", ")}`);
    }
    const listId = id ?? uuidV4(this.#ids);
    if (this.#lists.has(listId)) throw new RangeError(`Amplemarket list ${listId} already exists`);
    this.#lists.set(listId, { type, name: name ?? listId, deleted: false, leads: [], identities: new Set() });
    return listId;
  }

  /** Deletes a list: its leads are dropped and adding to it answers 410 Gone from now on. */
  deleteList(id: string): void {
    const list = this.#get(id);
    list.deleted = true;
    list.leads = [];
    list.identities = new Set();
  }

  list(id: string): AmplemarketListInfo {
    const list = this.#get(id);
    return { id, type: list.type, name: list.name, deleted: list.deleted, leadCount: list.leads.length };
  }

  lists(): AmplemarketListInfo[] {
    return [...this.#lists.keys()].map((id) => this.list(id));
  }

  /** The leads of a list, in insertion order. */
  leads(listId: string): readonly AmplemarketLead[] {
    return this.#get(listId).leads;
  }

  leadCount(): number {
    let total = 0;
    for (const list of this.#lists.values()) total += list.leads.length;
    return total;
  }

  /**
   * Stores leads as if added earlier, without validation: duplicates are skipped and the
   * 60,000 cap holds (leads past it are dropped). Returns how many were stored.
   */
  seedLeads(listId: string, leads: readonly AmplemarketLead[]): number {
    const list = this.#get(listId);
    if (list.deleted) throw new RangeError(`Amplemarket list ${listId} is deleted`);
    return this.#insert(list, leads);
  }

  stats(): SimulatorStats {
    return cloneStats(this.#runtime.stats.current);
  }

  /** Forgets every list and lead, and zeroes the stats, request ordinals and limiter. */
  reset(): void {
    this.#lists.clear();
    this.#runtime.resetServer();
  }

  #get(id: string): LeadList {
    const list = this.#lists.get(id);
    if (!list) throw new RangeError(`no such Amplemarket list ${id}`);
    return list;
  }

  /** Adds new leads in order until the list is full; returns how many were added. */
  #insert(list: LeadList, leads: readonly AmplemarketLead[]): number {
    let added = 0;
    for (const lead of leads) {
      if (list.leads.length >= AMPLEMARKET_MAX_LEADS_PER_LIST) break;
      const identity = identityOf(list.type, lead);
      if (list.identities.has(identity)) continue;
      list.identities.add(identity);
      list.leads.push({ ...lead });
      added++;
    }
    return added;
  }

  static {
    addLeads = (store, listId, body) => store.#addLeads(listId, body);
  }

  #addLeads(listId: string, body: unknown): AddReply {
    const list = this.#lists.get(listId);
    if (!list)
      return amplemarketError(404, { code: "not_found", title: "Not Found", detail: "Could not find lead list." });
    if (list.deleted) {
      return amplemarketError(410, { code: "gone", title: "Gone", detail: "Lead list is no longer available." });
    }
    const invalid = validate(body, list.type);
    if (invalid.length > 0) return amplemarketError(400, ...invalid);
    const { leads } = body as AmplemarketAddLeadsRequest & { leads: AmplemarketLead[] };
    if (list.leads.length >= AMPLEMARKET_MAX_LEADS_PER_LIST) {
      return amplemarketError(409, {
        code: "conflict",
        title: "Conflict",
        detail: "The maximum of 60,000 leads per list has been reached.",
        source: { pointer: "/leads" },
      });
    }
    const added = this.#insert(list, leads);
    return { status: 202, body: { total: leads.length, total_added_to_lead_list: added } };
  }
}

function amplemarketError<S extends AddReply["status"]>(status: S, ...errors: ErrorObject[]) {
  return { status, body: { object: "error", _errors: errors } } as Extract<AddReply, { status: S }>;
}

const missing = (field: string, pointer: string): ErrorObject => ({
  code: "missing_field",
  title: "Missing Field",
  detail: `Missing field from request: ${field}`,
  source: { pointer },
});
const unsupported = (detail: string, pointer: string): ErrorObject => ({
  code: "unsupported_value",
  title: "Unsupported Value",
  detail,
  source: { pointer },
});

/** The documented 400s, in the documented wording; every failing lead is reported. */
function validate(body: unknown, listType: AmplemarketListType): ErrorObject[] {
  if (!isRecord(body)) return [unsupported("The request body must be a JSON object.", "")];
  // The body is `additionalProperties: false`.
  const unknown = Object.keys(body).filter((key) => key !== "type" && key !== "leads");
  if (unknown.length > 0) return unknown.map((key) => unsupported(`Unsupported field provided: ${key}`, `/${key}`));
  if (body.type === undefined) return [missing("type", "/type")];
  if (!AMPLEMARKET_LIST_TYPES.includes(body.type as AmplemarketListType)) {
    return [unsupported(`'${String(body.type)}' is not a supported type.`, "/type")];
  }
  if (body.type !== listType) {
    return [unsupported(`'${body.type}' does not match the lead list type '${listType}'.`, "/type")];
  }
  if (body.leads === undefined) return [missing("leads", "/leads")];
  if (!Array.isArray(body.leads)) return [unsupported("leads must be an array.", "/leads")];
  if (body.leads.length > AMPLEMARKET_MAX_LEADS_PER_REQUEST) {
    return [unsupported("Number of leads exceeds 10,000 limit.", "/leads")];
  }
  const errors: ErrorObject[] = [];
  for (const [i, lead] of (body.leads as unknown[]).entries()) {
    if (!isRecord(lead)) {
      errors.push(unsupported(`Unsupported value provided for field: leads[${i}]`, `/leads/${i}`));
      continue;
    }
    const check = (field: string, valid: (value: string) => boolean) => {
      const value = lead[field];
      // The docs answer a lead's missing field with code unsupported_value, unlike a missing top-level field.
      if (value === undefined || value === null || value === "") {
        errors.push(unsupported(`Missing field from request: leads[${i}].${field}`, `/leads/${i}/${field}`));
      } else if (typeof value !== "string" || !valid(value.trim())) {
        errors.push(unsupported(`Unsupported value provided for field: leads[${i}].${field}`, `/leads/${i}/${field}`));
      }
    };
    if (listType === "email") check("email", (v) => EMAIL.test(v));
    else if (listType === "linkedin") check("linkedin_url", (v) => LINKEDIN_PROFILE.test(v));
    else {
      check("title", (v) => v !== "");
      // Either company field will do; a null or empty domain beside a name is no domain.
      if (filled(lead.company_domain)) check("company_domain", (v) => v !== "");
      else check("company_name", (v) => v !== "");
    }
  }
  return errors;
}

export function createAmplemarket(credentials: { apiKey: string }, runtime: StoreRuntime, ids: Random) {
  const store = new AmplemarketStore(runtime, ids);
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/lead-lists\/(?<id>[^/]+)\/leads$/,
      handle: ({ params, body }): AddReply => addLeads(store, params.id!, body),
    },
    ...leadListRoutes(
      store,
      (id, body) => addLeads(store, id, body),
      () => uuidV4(ids),
    ),
  ];
  const exists = (id: string) => store.lists().some((list) => list.id === id);
  const controlRoutes: Route[] = [
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
    ...commonControlRoutes(store),
  ];
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
        detail: "Rate limit of 500 requests per minute exceeded.",
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
