// NLPearl: v2 bulk add, v1 single add, v2 update. Outbound ids and pearl ids name the same thing.
import type { NlpearlLeadStatusInput, NlpearlLeadView, operations } from "@leadbridge/nlpearl";
import { findIana } from "windows-iana";
import { DESCRIPTORS, destinationKind } from "../descriptors.js";
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
import { objectId, type Random } from "../random.js";
import { cloneStats, type SimulatorStats } from "../stats.js";

type AddLeadsReply = ReplyOf<operations["addLeads"]>;
type AddLeadReply = ReplyOf<operations["addLead"]>;
type UpdateLeadReply = ReplyOf<operations["updateLead"]>;
type Errors = Record<string, string[]>;

/** From the vendor package's descriptor (the spec's `maxItems`). */
export const NLPEARL_MAX_LEADS_PER_REQUEST: number = DESCRIPTORS.nlpearl.maxLeadsPerRequest;

/** A pearl as the facade names it: `{ vendor: "nlpearl", pearlId }`. */
export interface NlpearlDestination {
  vendor?: "nlpearl";
  pearlId: string;
}
/** The statuses a client may set (`eLeadStatusInputApi`): New, NeedRetry, Success, NotSuccessful, Completed. */
export const NLPEARL_INPUT_STATUSES: readonly number[] = [1, 10, 100, 110, 130];

/** A lead as the simulator holds it. `status` is NLPearl's numeric lead status (1 = New). */
export interface NlpearlStoredLead {
  id: string;
  phoneNumber: string;
  externalId: string | null;
  timeZoneId: string | null;
  callData: Record<string, string> | null;
  status: number;
  /** Epoch milliseconds. */
  created: number;
}

export interface NlpearlSeedLead {
  phoneNumber: string;
  externalId?: string | null;
  timeZoneId?: string | null;
  callData?: Record<string, string> | null;
  status?: number;
}

/** Digits with an optional leading +, 7 to 15 digits once spaces, dots, dashes and parentheses are removed. */
const PHONE = /^\+?[1-9]\d{6,14}$/;
const PHONE_SEPARATORS = /[\s().-]/g;

let addLeads: (store: NlpearlStore, outboundId: string, body: unknown) => AddLeadsReply;
let addLead: (store: NlpearlStore, outboundId: string, body: unknown) => AddLeadReply;
let updateLead: (store: NlpearlStore, outboundId: string, leadId: string, body: unknown) => UpdateLeadReply;

/**
 * In-memory NLPearl account: outbounds and their leads. NLPearl documents no answer for an
 * unknown outbound, so the simulator never invents one: the first lead sent to an id creates it.
 */
export class NlpearlStore {
  readonly #runtime: StoreRuntime;
  readonly #ids: Random;
  readonly #outbounds = new Map<string, Map<string, NlpearlStoredLead>>();

  /** @internal */
  constructor(runtime: StoreRuntime, ids: Random) {
    this.#runtime = runtime;
    this.#ids = ids;
  }

  /** Creates an outbound (an ObjectId-like id unless `id` is given) and returns its id. */
  createOutbound(id: string = objectId(this.#ids)): string {
    this.#outbound(id);
    return id;
  }

  /** Creates the outbound a facade destination's `pearlId` names (left as it is when already there). */
  prepareDestination(destination: NlpearlDestination): void {
    this.createOutbound(destinationKind("nlpearl", destination).id);
  }

  /** How many leads the outbound a facade destination names holds (0 for one never used). */
  storedCount(destination: NlpearlDestination): number {
    return this.#outbounds.get(destinationKind("nlpearl", destination).id)?.size ?? 0;
  }

  outboundIds(): string[] {
    return [...this.#outbounds.keys()];
  }

  /** The leads of an outbound in insertion order; empty for an id never used. */
  leads(outboundId: string): NlpearlStoredLead[] {
    return [...(this.#outbounds.get(outboundId)?.values() ?? [])];
  }

  lead(outboundId: string, leadId: string): NlpearlStoredLead | undefined {
    return this.#outbounds.get(outboundId)?.get(leadId);
  }

  leadCount(): number {
    let total = 0;
    for (const leads of this.#outbounds.values()) total += leads.size;
    return total;
  }

  /** Stores leads as if added earlier, without validation. Returns them. */
  seedLeads(outboundId: string, leads: readonly NlpearlSeedLead[]): NlpearlStoredLead[] {
    const outbound = this.#outbound(outboundId);
    return leads.map((lead) => this.#insert(outbound, lead));
  }

  stats(): SimulatorStats {
    return cloneStats(this.#runtime.stats.current);
  }

  /** Forgets every outbound and lead, and zeroes the stats, request ordinals and limiter. */
  reset(): void {
    this.#outbounds.clear();
    this.#runtime.resetServer();
  }

  #outbound(id: string): Map<string, NlpearlStoredLead> {
    let outbound = this.#outbounds.get(id);
    if (!outbound) {
      outbound = new Map();
      this.#outbounds.set(id, outbound);
    }
    return outbound;
  }

  #insert(outbound: Map<string, NlpearlStoredLead>, lead: NlpearlSeedLead): NlpearlStoredLead {
    const stored: NlpearlStoredLead = {
      id: objectId(this.#ids),
      phoneNumber: lead.phoneNumber,
      externalId: lead.externalId ?? null,
      timeZoneId: lead.timeZoneId ?? null,
      callData: lead.callData ?? null,
      status: lead.status ?? 1,
      created: Date.now(),
    };
    outbound.set(stored.id, stored);
    return stored;
  }

  static {
    addLeads = (store, outboundId, body) => {
      if (!isRecord(body)) return invalid({ "": ["A non-empty request body is required."] });
      if (!Array.isArray(body.leads)) return invalid({ leads: ["The leads field is required."] });
      if (body.leads.length > NLPEARL_MAX_LEADS_PER_REQUEST) {
        return invalid({ leads: [`The field leads must have at most ${NLPEARL_MAX_LEADS_PER_REQUEST} items.`] });
      }
      const errors: Errors = {};
      for (const [i, lead] of (body.leads as unknown[]).entries()) validateLead(lead, `leads[${i}].`, errors);
      // All or nothing: a retry of a rejected batch never duplicates its valid leads.
      if (Object.keys(errors).length > 0) return invalid(errors);
      const outbound = store.#outbound(outboundId);
      for (const lead of body.leads as NlpearlSeedLead[]) store.#insert(outbound, toSeed(lead));
      return { status: 200, body: true };
    };
    addLead = (store, outboundId, body) => {
      const errors: Errors = {};
      validateLead(body, "", errors);
      if (Object.keys(errors).length > 0) return invalid(errors);
      const stored = store.#insert(store.#outbound(outboundId), toSeed(body as NlpearlSeedLead));
      return { status: 200, body: { leadId: stored.id } };
    };
    updateLead = (store, outboundId, leadId, body) => {
      const lead = store.#outbounds.get(outboundId)?.get(leadId);
      if (!lead) return invalid({ leadId: [`Lead '${leadId}' was not found in outbound '${outboundId}'.`] });
      if (!isRecord(body)) return invalid({ "": ["A non-empty request body is required."] });
      const errors: Errors = {};
      if (body.phoneNumber != null) checkPhone(body.phoneNumber, "phoneNumber", errors);
      checkOptionalString(body.externalId, "externalId", errors);
      checkOptionalString(body.timeZoneId, "timeZoneId", errors);
      checkCallData(body.callData, "callData", errors);
      if (body.status != null && !NLPEARL_INPUT_STATUSES.includes(body.status as number)) {
        errors.status = [`The status must be one of ${NLPEARL_INPUT_STATUSES.join(", ")}.`];
      }
      if (Object.keys(errors).length > 0) return invalid(errors);
      // Only the values provided (not null) change, as the docs say.
      if (body.phoneNumber != null) lead.phoneNumber = (body.phoneNumber as string).trim();
      if (body.externalId != null) lead.externalId = body.externalId as string;
      if (body.timeZoneId != null) lead.timeZoneId = body.timeZoneId as string;
      if (body.callData != null) lead.callData = body.callData as Record<string, string>;
      if (body.status != null) lead.status = body.status as NlpearlLeadStatusInput;
      return { status: 200, body: viewOf(lead) };
    };
  }
}

function viewOf(lead: NlpearlStoredLead): NlpearlLeadView {
  return {
    id: lead.id,
    externalId: lead.externalId,
    phoneNumber: lead.phoneNumber,
    timeZone: utcOffset(lead.timeZoneId),
    status: lead.status as NlpearlLeadView["status"],
    created: new Date(lead.created).toISOString(),
    callsId: [],
    lastCall: null,
    callData: lead.callData,
    collectedData: null,
  };
}

// NLPearl's own docs use Microsoft's new spelling; windows-iana knows the zone as "Turkey Standard Time".
const WINDOWS_ALIASES: Record<string, string> = { "Türkiye Standard Time": "Turkey Standard Time" };

/**
 * A Windows time zone as the lead view shows it: its standard UTC offset in hours, as text ("-5.0" for
 * Eastern Standard Time, "5.75" for Nepal). Null when unset or unknown.
 */
function utcOffset(windowsZone: string | null): string | null {
  if (windowsZone === null) return null;
  const iana = findIana(WINDOWS_ALIASES[windowsZone] ?? windowsZone)[0];
  if (iana === undefined) return null;
  // The standard offset is the smaller of January's and July's (summer time adds to it).
  const year = new Date().getUTCFullYear();
  const hours = Math.min(offsetAt(iana, Date.UTC(year, 0, 1)), offsetAt(iana, Date.UTC(year, 6, 1)));
  return Number.isInteger(hours) ? hours.toFixed(1) : String(hours);
}

function offsetAt(zone: string, at: number): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) + Number(match[3]) / 60);
}

function toSeed(lead: NlpearlSeedLead): NlpearlSeedLead {
  return {
    phoneNumber: lead.phoneNumber.trim(),
    externalId: lead.externalId ?? null,
    timeZoneId: lead.timeZoneId ?? null,
    callData: lead.callData ?? null,
  };
}

/** ASP.NET's answer to a failed model validation. */
function invalid(errors: Errors) {
  return {
    status: 400 as const,
    body: {
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "One or more validation errors occurred.",
      status: 400,
      errors,
    },
  };
}

function validateLead(lead: unknown, prefix: string, errors: Errors): void {
  if (!isRecord(lead)) {
    errors[prefix.replace(/\.$/, "") || "$"] = ["The lead must be a JSON object."];
    return;
  }
  checkPhone(lead.phoneNumber, `${prefix}phoneNumber`, errors);
  checkOptionalString(lead.externalId, `${prefix}externalId`, errors);
  checkOptionalString(lead.timeZoneId, `${prefix}timeZoneId`, errors);
  checkCallData(lead.callData, `${prefix}callData`, errors);
}

function checkPhone(value: unknown, key: string, errors: Errors): void {
  if (typeof value !== "string" || value.trim() === "") errors[key] = ["The phoneNumber field is required."];
  else if (!PHONE.test(value.replace(PHONE_SEPARATORS, ""))) errors[key] = [`'${value}' is not a valid phone number.`];
}

function checkOptionalString(value: unknown, key: string, errors: Errors): void {
  if (value != null && typeof value !== "string") errors[key] = [`The ${key.split(".").pop()} field must be a string.`];
}

function checkCallData(value: unknown, key: string, errors: Errors): void {
  if (value == null) return;
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === "string")) {
    errors[key] = ["callData must map names to string values."];
  }
}

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
      handle: ({ params, body }): AddLeadsReply => addLeads(store, params.pearlId!, body),
    },
    {
      method: "PUT",
      pattern: /^\/v1\/Outbound\/(?<outboundId>[^/]+)\/Lead$/,
      handle: ({ params, body }): AddLeadReply => addLead(store, params.outboundId!, body),
    },
    {
      method: "PUT",
      pattern: /^\/v2\/Outbound\/(?<pearlId>[^/]+)\/Lead\/(?<leadId>[^/]+)$/,
      handle: ({ params, body }): UpdateLeadReply => updateLead(store, params.pearlId!, params.leadId!, body),
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
  ];
  const controlRoutes: Route[] = [
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
    ...commonControlRoutes(store),
  ];
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
