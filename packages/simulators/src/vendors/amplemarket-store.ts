// Amplemarket's account in memory: typed lead lists, each with its identity rule and the 60,000 cap.
import type { AmplemarketAddLeadsRequest } from "@leadbridge/amplemarket";
import { destinationKind, formatCount } from "../descriptors.js";
import type { StoreRuntime } from "../plumbing.js";
import { type Random, uuidV4 } from "../random.js";
import { cloneStats, type SimulatorStats } from "../stats.js";
import {
  type AddReply,
  AMPLEMARKET_LIST_TYPES,
  AMPLEMARKET_MAX_LEADS_PER_LIST,
  type AmplemarketDestination,
  type AmplemarketLead,
  type AmplemarketListInfo,
  type AmplemarketListType,
  amplemarketError,
  filled,
  validate,
} from "./amplemarket-schema.js";

interface LeadList {
  type: AmplemarketListType;
  name: string;
  deleted: boolean;
  leads: AmplemarketLead[];
  /** Identity of each stored lead for its list type (see `identityOf`). */
  identities: Set<string>;
}

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

/** In-memory Amplemarket account: typed lead lists. */
export class AmplemarketStore {
  readonly #runtime: StoreRuntime;
  readonly #ids: Random;
  readonly #lists = new Map<string, LeadList>();

  /** Made by `startSimulator`, which owns the runtime and the ids. */
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

  /**
   * Creates the list a facade destination names, of its type; a list already there of that type is left
   * as it is (another type is a RangeError).
   */
  prepareDestination(destination: AmplemarketDestination): void {
    const { id } = destinationKind("amplemarket", destination);
    const existing = this.#lists.get(id);
    if (!existing) this.createList({ type: destination.type, id });
    else if (existing.type !== destination.type) {
      throw new RangeError(`Amplemarket list ${id} is a ${existing.type} list, not ${destination.type}`);
    }
  }

  /** How many leads the list a facade destination names holds. */
  storedCount(destination: AmplemarketDestination): number {
    return this.leads(destinationKind("amplemarket", destination).id).length;
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

  /** @internal POST /lead-lists/{id}/leads, answered as Amplemarket does (the HTTP route's handler). */
  answerAddLeads(listId: string, body: unknown): AddReply {
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
        detail: `The maximum of ${formatCount(AMPLEMARKET_MAX_LEADS_PER_LIST)} leads per list has been reached.`,
        source: { pointer: "/leads" },
      });
    }
    const added = this.#insert(list, leads);
    return { status: 202, body: { total: leads.length, total_added_to_lead_list: added } };
  }
}
