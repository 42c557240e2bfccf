// Instantly's lead reads: GET /api/v2/leads/{id} and POST /api/v2/leads/list (filtered by campaign,
// list, ids, contacts (emails) and a search on names and email; `limit` / `starting_after`, `next_starting_after` while more remain).
import type { components } from "@leadbridge/instantly";
import { isRecord, type Reply, type Route } from "../plumbing.js";
import type { InstantlyStore, InstantlyStoredLead } from "./instantly.js";

type Lead = components["schemas"]["Lead"];

/** The fields a stored lead keeps as it was sent, under the same name in the Lead view. */
const SENT_FIELDS = [
  "email",
  "first_name",
  "last_name",
  "company_name",
  "job_title",
  "phone",
  "website",
  "personalization",
] as const;

const notFound = (message: string): Reply => ({
  status: 404,
  body: { statusCode: 404, error: "Not Found", message },
});

/** A stored lead and where it is stored. */
type Located = { lead: InstantlyStoredLead; campaign?: string; list?: string };

/** Each lead of the workspace with where it is stored, campaigns first, in insertion order. */
function everyLead(store: InstantlyStore): Located[] {
  return [
    ...store
      .campaignIds()
      .flatMap((campaign) => store.leads({ campaignId: campaign }).map((lead) => ({ lead, campaign }))),
    ...store.listIds().flatMap((list) => store.leads({ listId: list }).map((lead) => ({ lead, list }))),
  ];
}

/** `contacts`: "Array of emails the leads needs to have", compared case-insensitively; undefined when not given. */
function emailsOf(contacts: unknown): Set<string> | undefined {
  if (!Array.isArray(contacts)) return undefined;
  return new Set(contacts.filter((c): c is string => typeof c === "string").map((c) => c.toLowerCase()));
}

export function leadRoutes(store: InstantlyStore, organization: string): Route[] {
  function view({ lead, campaign, list }: Located): Lead {
    const created = store.described(campaign ?? list!).created;
    const sent = Object.fromEntries(SENT_FIELDS.filter((field) => lead[field] !== undefined).map((f) => [f, lead[f]]));
    const email = typeof lead.email === "string" ? lead.email : "";
    return {
      id: lead.id,
      timestamp_created: created,
      timestamp_updated: created,
      organization,
      campaign: campaign ?? null,
      list_id: list ?? null,
      status: 1,
      ...sent,
      ...(isRecord(lead.custom_variables) ? { payload: lead.custom_variables as Lead["payload"] } : {}),
      email_open_count: 0,
      email_reply_count: 0,
      email_click_count: 0,
      company_domain: email.slice(email.lastIndexOf("@") + 1),
      status_summary: {},
    };
  }

  return [
    {
      method: "GET",
      pattern: /^\/api\/v2\/leads\/(?<id>[^/]+)$/,
      handle({ params }): Reply {
        const found = everyLead(store).find(({ lead }) => lead.id === params.id);
        return found ? { status: 200, body: view(found) } : notFound("Lead not found");
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/v2\/leads\/list$/,
      handle({ body }): Reply {
        const request = isRecord(body) ? body : {};
        const { campaign, list_id, ids, search, starting_after } = request;
        const term = typeof search === "string" ? search.trim().toLowerCase() : "";
        const contacts = emailsOf(request.contacts);
        const matches = everyLead(store).filter(
          (entry) =>
            (campaign === undefined || entry.campaign === campaign) &&
            (list_id === undefined || entry.list === list_id) &&
            (!Array.isArray(ids) || ids.includes(entry.lead.id)) &&
            (!contacts || contacts.has(String(entry.lead.email).toLowerCase())) &&
            (!term ||
              [entry.lead.first_name, entry.lead.last_name, entry.lead.email].some(
                (value) => typeof value === "string" && value.toLowerCase().includes(term),
              )),
        );
        const limit = typeof request.limit === "number" ? request.limit : 100;
        const start = starting_after ? matches.findIndex(({ lead }) => lead.id === starting_after) + 1 : 0;
        const items = matches.slice(start, start + limit).map(view);
        const last = items.at(-1);
        return {
          status: 200,
          body: last && start + limit < matches.length ? { items, next_starting_after: last.id } : { items },
        };
      },
    },
  ];
}
