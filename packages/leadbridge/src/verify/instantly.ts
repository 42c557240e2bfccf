// Instantly: leads are found in bulk through `POST /api/v2/leads/list`, by `ids` (the lead ids an import's
// answer gave) or else by `contacts` (emails), a page of 100 at a time.
import { type components, createInstantlyClient } from "@leadbridge/instantly";
import { InvalidLead } from "../adapters/adapter.js";
import { email } from "../adapters/fields.js";
import { dataOf, given } from "../reads.js";
import { type Check, cannotCheck, type LeadReader, type ReaderFactory } from "./reader.js";
import type { VerifyInput } from "./types.js";

type LeadView = components["schemas"]["Lead"];

/** Instantly's `limit` maximum for a page of leads. */
const PAGE = 100;

export const instantlyReader: ReaderFactory = (destination, transport): LeadReader => {
  const d = destination as { campaignId?: string; listId?: string };
  // The destination's id, matched against a lead's campaign and its list: a lead holds one or the other.
  const id = d.campaignId ?? d.listId;
  const client = createInstantlyClient({ apiKey: transport.token, ...transport });
  const here = (lead: LeadView) => lead.campaign === id || lead.list_id === id;

  /** Every lead the filter finds, page after page. */
  async function list(filter: { ids: string[] } | { contacts: string[] }): Promise<LeadView[]> {
    const found: LeadView[] = [];
    const seen = new Set<string>();
    let starting_after: string | undefined;
    do {
      if (starting_after) {
        if (seen.has(starting_after))
          throw new Error(`Instantly repeated the page cursor ${starting_after}; stopping.`);
        seen.add(starting_after);
      }
      const page = await dataOf(
        transport.redactor,
        "Instantly",
        client.POST("/api/v2/leads/list", { body: { ...filter, limit: PAGE, starting_after } }),
      );
      found.push(...(page.items ?? []));
      starting_after = page.next_starting_after ?? undefined;
    } while (starting_after);
    return found;
  }

  async function byId(leads: { at: number; key: string }[], checks: Check[]): Promise<void> {
    if (leads.length === 0) return;
    const found = new Map((await list({ ids: leads.map((l) => l.key) })).map((lead) => [lead.id, lead]));
    for (const { at, key } of leads) {
      const lead = found.get(key);
      checks[at] = !lead
        ? { verified: "missing", reason: `Instantly has no lead with id ${key}` }
        : here(lead)
          ? { verified: "present", vendorLeadId: key, reason: "found by its lead id" }
          : {
              verified: "missing",
              vendorLeadId: key,
              reason: `lead ${key} is in another ${lead.campaign ? "campaign" : "list"}`,
            };
    }
  }

  async function byEmail(leads: { at: number; key: string }[], checks: Check[]): Promise<void> {
    if (leads.length === 0) return;
    const byEmailHere = new Map<string, LeadView>();
    for (const lead of await list({ contacts: [...new Set(leads.map((l) => l.key))] }))
      if (here(lead) && typeof lead.email === "string") byEmailHere.set(lead.email.toLowerCase(), lead);
    for (const { at, key } of leads) {
      const lead = byEmailHere.get(key);
      checks[at] = lead
        ? { verified: "present", vendorLeadId: lead.id, reason: "found by its email" }
        : { verified: "missing", reason: "no lead with this email at this destination" };
    }
  }

  return {
    chunkSize: PAGE,
    async check(leads) {
      const checks: Check[] = new Array(leads.length);
      const ids: { at: number; key: string }[] = [];
      const emails: { at: number; key: string }[] = [];
      for (const [at, lead] of leads.entries()) {
        const id = given(lead.vendorLeadId);
        const key = id ?? emailOf(lead);
        if (id) ids.push({ at, key: id });
        else if (typeof key === "string") emails.push({ at, key });
        else checks[at] = key;
      }
      await byId(ids, checks);
      await byEmail(emails, checks);
      return checks;
    },
  };
};

/** The lead's email as Instantly stores it (lower-cased for matching), or why it cannot be looked up. */
function emailOf(lead: VerifyInput): string | Check {
  try {
    const found = email({ email: lead.email });
    if (found) return found.toLowerCase();
  } catch (error) {
    if (error instanceof InvalidLead) return cannotCheck(`its email cannot be looked up: ${error.reason}`);
    throw error;
  }
  return cannotCheck(
    "no lead id and no email: Instantly's lead search matches names and email text, which cannot single out this lead",
  );
}
