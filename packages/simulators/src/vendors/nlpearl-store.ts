// NLPearl's account in memory: outbounds and their leads, and the adds and updates NLPearl answers.
import type { NlpearlLeadStatusInput, NlpearlLeadView, operations } from "@leadbridge/nlpearl";
import { findIana } from "windows-iana";
import { DESCRIPTORS, destinationKind } from "../descriptors.js";
import { isRecord, type ReplyOf, type StoreRuntime } from "../plumbing.js";
import { objectId, type Random } from "../random.js";
import { cloneStats, type SimulatorStats } from "../stats.js";
import {
  checkCallData,
  checkOptionalString,
  checkPhone,
  type Errors,
  invalid,
  validateLead,
} from "./nlpearl-checks.js";

export type AddLeadsReply = ReplyOf<operations["addLeads"]>;
export type AddLeadReply = ReplyOf<operations["addLead"]>;
export type UpdateLeadReply = ReplyOf<operations["updateLead"]>;

/** From the vendor package's descriptor (the spec's `maxItems`). */
export const NLPEARL_MAX_LEADS_PER_REQUEST: number = DESCRIPTORS.nlpearl.maxLeadsPerRequest;

/** A pearl as the facade names it: `{ vendor: "nlpearl", pearlId }`. */
export interface NlpearlDestination {
  vendor?: "nlpearl";
  pearlId: string;
}
/** The statuses a client may set (`eLeadStatusInputApi`): New, NeedRetry, Success, NotSuccessful, Completed. */
export const NLPEARL_INPUT_STATUSES: readonly number[] = Object.freeze([1, 10, 100, 110, 130]);

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

/**
 * In-memory NLPearl account: outbounds and their leads. NLPearl documents no answer for an
 * unknown outbound, so the simulator never invents one: the first lead sent to an id creates it.
 */
export class NlpearlStore {
  readonly #runtime: StoreRuntime;
  readonly #ids: Random;
  readonly #outbounds = new Map<string, Map<string, NlpearlStoredLead>>();

  /** Made by `startSimulator`, which owns the runtime and the ids. */
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

  /** @internal POST /v2/Outbound/{id}/Leads/Add, all or nothing (the HTTP route's handler). */
  answerAddLeads(outboundId: string, body: unknown): AddLeadsReply {
    if (!isRecord(body)) return invalid({ "": ["A non-empty request body is required."] });
    if (!Array.isArray(body.leads)) return invalid({ leads: ["The leads field is required."] });
    if (body.leads.length > NLPEARL_MAX_LEADS_PER_REQUEST) {
      return invalid({ leads: [`The field leads must have at most ${NLPEARL_MAX_LEADS_PER_REQUEST} items.`] });
    }
    const errors: Errors = {};
    for (const [i, lead] of (body.leads as unknown[]).entries()) validateLead(lead, `leads[${i}].`, errors);
    // All or nothing: a retry of a rejected batch never duplicates its valid leads.
    if (Object.keys(errors).length > 0) return invalid(errors);
    const outbound = this.#outbound(outboundId);
    for (const lead of body.leads as NlpearlSeedLead[]) this.#insert(outbound, toSeed(lead));
    return { status: 200, body: true };
  }

  /** @internal POST /v1/Outbound/{id}/Lead: one lead (the HTTP route's handler). */
  answerAddLead(outboundId: string, body: unknown): AddLeadReply {
    const errors: Errors = {};
    validateLead(body, "", errors);
    if (Object.keys(errors).length > 0) return invalid(errors);
    const stored = this.#insert(this.#outbound(outboundId), toSeed(body as NlpearlSeedLead));
    return { status: 200, body: { leadId: stored.id } };
  }

  /** @internal PUT /v2/Outbound/{id}/Lead/{leadId}: only the values provided (not null) change, as the docs say (the HTTP route's handler). */
  answerUpdateLead(outboundId: string, leadId: string, body: unknown): UpdateLeadReply {
    const lead = this.#outbounds.get(outboundId)?.get(leadId);
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
    if (body.phoneNumber != null) lead.phoneNumber = (body.phoneNumber as string).trim();
    if (body.externalId != null) lead.externalId = body.externalId as string;
    if (body.timeZoneId != null) lead.timeZoneId = body.timeZoneId as string;
    if (body.callData != null) lead.callData = body.callData as Record<string, string>;
    if (body.status != null) lead.status = body.status as NlpearlLeadStatusInput;
    return { status: 200, body: viewOf(lead) };
  }
}

export function viewOf(lead: NlpearlStoredLead): NlpearlLeadView {
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
