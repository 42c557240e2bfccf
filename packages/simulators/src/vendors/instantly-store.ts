// Instantly's workspace in memory, and its bulk add, with the counters Instantly's docs define.
import type { InstantlyAddLeadsRequest, InstantlyLeadInput, operations } from "@leadbridge/instantly";
import { DESCRIPTORS, destinationKind } from "../descriptors.js";
import type { ReplyOf, StoreRuntime } from "../plumbing.js";
import { type Random, uuidV4 } from "../random.js";
import { cloneStats, type SimulatorStats } from "../stats.js";

export type BulkAddReply = ReplyOf<operations["bulkAddLeads"]>;
type SkipCounter =
  | "in_blocklist"
  | "duplicated_leads"
  | "skipped_count"
  | "invalid_email_count"
  | "incomplete_count"
  | "duplicate_email_count";
type CreatedLead = { index: number; id: string } & Record<
  "email" | "first_name" | "last_name" | "phone",
  string | null
>;

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

/** Where leads go: exactly one of the two (as the facade names it, `vendor` included or not). */
export type InstantlyDestination = { vendor?: "instantly" } & (
  | { campaignId: string; listId?: never }
  | { listId: string; campaignId?: never }
);

/** From the vendor package's descriptor (the spec's `maxItems`). */
export const INSTANTLY_MAX_LEADS_PER_REQUEST: number = DESCRIPTORS.instantly.maxLeadsPerRequest;

interface Destination {
  leads: InstantlyStoredLead[];
  /** Lower-cased emails of `leads`; leads without an email are never duplicates. */
  emails: Set<string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

  /** Made by `startSimulator`, which owns the runtime and the ids. */
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

  /** Creates the campaign or list a facade destination names (left as it is when already there). */
  prepareDestination(destination: InstantlyDestination): void {
    const { kind, id } = destinationKind("instantly", destination);
    if (kind === "campaign") this.createCampaign(id);
    else this.createList(id);
  }

  /** How many leads the campaign or list a facade destination names holds. */
  storedCount(destination: InstantlyDestination): number {
    return this.leads(destination).length;
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

  /** @internal POST /api/v2/leads/add, counter by counter (the HTTP route's handler); the README lists the order of the checks. */
  answerBulkAdd(body: InstantlyAddLeadsRequest): BulkAddReply {
    const toCampaign = typeof body.campaign_id === "string";
    const destinationId = (toCampaign ? body.campaign_id : body.list_id) as string;
    const target = (toCampaign ? this.#campaigns : this.#lists).get(destinationId);
    if (!target) return instantlyError(404, `${toCampaign ? "Campaign" : "List"} not found`);
    if (body.blocklist_id != null && body.blocklist_id !== this.blocklistId) {
      return instantlyError(404, "Blocklist not found");
    }
    const counts: Record<SkipCounter, number> = {
      in_blocklist: 0,
      duplicated_leads: 0,
      skipped_count: 0,
      invalid_email_count: 0,
      incomplete_count: 0,
      duplicate_email_count: 0,
    };
    const created: CreatedLead[] = [];
    const seenInPayload = new Set<string>();
    for (const [index, lead] of body.leads.entries() as IterableIterator<[number, InstantlyLeadInput]>) {
      const email = typeof lead.email === "string" && lead.email.trim() !== "" ? lead.email.trim() : undefined;
      const key = email?.toLowerCase();
      const skipped = this.#skipped(body, lead, { email, key, toCampaign, target, seenInPayload });
      if (skipped) {
        counts[skipped]++;
        continue;
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

  /** The counter a lead lands in instead of being added, checked in the README's order; undefined: add it. */
  #skipped(
    body: InstantlyAddLeadsRequest,
    lead: InstantlyLeadInput,
    at: { email?: string; key?: string; toCampaign: boolean; target: Destination; seenInPayload: Set<string> },
  ): SkipCounter | undefined {
    const { email, key, toCampaign, target, seenInPayload } = at;
    if (email === undefined) {
      if (toCampaign) return "invalid_email_count";
      if (!lead.first_name && !lead.last_name) return "incomplete_count";
      return undefined;
    }
    if (!EMAIL.test(email)) return "invalid_email_count";
    if (key === undefined) return undefined;
    if (seenInPayload.has(key)) return "duplicate_email_count";
    seenInPayload.add(key);
    if (this.#isBlocked(key)) return "in_blocklist";
    if (target.emails.has(key)) return "duplicated_leads";
    const skip = body.skip_if_in_workspace
      ? this.#inAny(this.#campaigns, key) || this.#inAny(this.#lists, key)
      : (body.skip_if_in_campaign && this.#inAny(this.#campaigns, key)) ||
        (body.skip_if_in_list && this.#inAny(this.#lists, key));
    return skip ? "skipped_count" : undefined;
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

export function instantlyError<S extends keyof typeof REASONS>(status: S, message: string) {
  return { status, body: { statusCode: status, error: REASONS[status], message } } as Extract<
    BulkAddReply,
    { status: S }
  >;
}
