import {
  type AmplemarketAddLeadsResponse,
  type AmplemarketClient,
  type AmplemarketLeadInput,
  type AmplemarketLeadListType,
  createAmplemarketClient,
} from "@leadbridge/amplemarket";
import { Reasons } from "../lead.js";
import {
  all,
  env,
  type Interpretation,
  invalid,
  joinLeads,
  refusedBatch,
  type VendorAdapter,
  type VendorTransportConfig,
  vendorMessage,
} from "./adapter.js";
import { describe, email, linkedinUrl, record, text } from "./fields.js";

export interface AmplemarketDestination {
  vendor: "amplemarket";
  listId: string;
  /** The list's type, which decides the field each lead needs: email, linkedinUrl, or jobTitle with a company. */
  type: AmplemarketLeadListType;
}

export interface AmplemarketConfig extends VendorTransportConfig {
  /** Falls back to the environment variable AMPLEMARKET_API_KEY. */
  apiKey?: string;
}

const TYPES: readonly AmplemarketLeadListType[] = ["email", "linkedin", "titles_and_company"];

export const amplemarket: VendorAdapter<
  AmplemarketDestination,
  AmplemarketConfig,
  AmplemarketLeadInput,
  AmplemarketClient
> = {
  vendor: "amplemarket",
  maxBatchSize: 10_000,
  rateLimits: [{ limit: 500, windowMs: 60_000 }],

  credentials(config) {
    const apiKey = config?.apiKey ?? env("AMPLEMARKET_API_KEY");
    if (typeof apiKey !== "string" || apiKey.trim() === "") {
      return { missing: ["amplemarket.apiKey (or AMPLEMARKET_API_KEY)"] };
    }
    return { token: apiKey, secrets: [apiKey] };
  },

  createClient(apiKey, transport) {
    return createAmplemarketClient({ apiKey, ...transport });
  },

  destinationKeys: ["vendor", "listId", "type"] satisfies (keyof AmplemarketDestination)[],

  checkDestination(d) {
    if (typeof d.listId !== "string" || d.listId.trim() === "") return "an Amplemarket destination needs a listId";
    if (!TYPES.includes(d.type)) return `Amplemarket list type must be one of ${TYPES.join(", ")}`;
    return undefined;
  },

  // Amplemarket does not add a lead that is already in the list (it counts it out of total_added_to_lead_list).
  dedupes: () => true,

  validate(input, d) {
    const lead = record(input);
    const mapped: AmplemarketLeadInput = {
      email: email(lead),
      linkedin_url: linkedinUrl(lead),
      title: text(lead, "jobTitle"),
      company_name: text(lead, "companyName"),
      company_domain: text(lead, "companyDomain"),
    };
    if (d.type === "email" && !mapped.email) invalid("an Amplemarket email list needs an email");
    if (d.type === "linkedin" && !mapped.linkedin_url) invalid("an Amplemarket linkedin list needs a linkedinUrl");
    if (d.type === "titles_and_company" && !(mapped.title && (mapped.company_name || mapped.company_domain))) {
      invalid("an Amplemarket titles_and_company list needs a jobTitle and a companyName or companyDomain");
    }
    const extra = lead.amplemarket;
    if (extra !== undefined && extra !== null) {
      if (typeof extra !== "object" || Array.isArray(extra))
        invalid(`amplemarket must be an object, got ${describe(extra)}`);
      for (const [key, v] of Object.entries(extra as Record<string, unknown>)) {
        if (!(v === null || ["string", "number", "boolean"].includes(typeof v))) {
          invalid(`amplemarket.${key} must be text, a number, true/false or null, got ${describe(v)}`);
        }
        if (key in mapped && mapped[key] !== undefined) invalid(`amplemarket.${key} repeats a field LeadBridge maps`);
        mapped[key] = v;
      }
    }
    return mapped;
  },

  // The list's own identity, as Amplemarket decides what is already in it: one key per list type, so a
  // lead the vendor would add is never held back, and one it would drop is a `duplicate` before sending.
  dedupeKeys(mapped, key, d) {
    if (d.type === "email") {
      if (mapped.email) key("email", mapped.email.toLowerCase());
    } else if (d.type === "linkedin") {
      if (mapped.linkedin_url) key("LinkedIn URL", linkedinIdentity(mapped.linkedin_url));
    } else {
      const company = nonBlank(mapped.company_domain) ?? nonBlank(mapped.company_name);
      const title = nonBlank(mapped.title);
      if (title && company) key("title and company", `${title.toLowerCase()}\u0000${company.toLowerCase()}`);
    }
  },

  requestOverhead: (d) => `{"type":${JSON.stringify(d.type)},"leads":[]}`.length,

  async send(client, d, batch) {
    const { data, error, response } = await client.POST("/lead-lists/{id}/leads", {
      params: { path: { id: d.listId } },
      body: { type: d.type, leads: [] },
      bodySerializer: () => joinLeads(`{"type":${JSON.stringify(d.type)},"leads":[`, batch, "]}"),
    });
    return { status: response.status, data, error, headers: response.headers };
  },

  interpret(answer, batch, _d, { afterUnknownOutcome, label }): Interpretation {
    const n = batch.length;
    const lost = afterUnknownOutcome
      ? "; an earlier attempt of this batch, whose answer was lost, may have added it"
      : "";
    if (answer.status === 409) {
      // The list holds 60,000 leads at most; once full, nothing more can go in.
      return {
        outcomes: all(
          batch,
          afterUnknownOutcome ? "unknown" : "rejected",
          afterUnknownOutcome ? `${Reasons.listFull}${lost}` : Reasons.listFull,
        ),
        closeDestination: Reasons.listFull,
      };
    }
    if (answer.status === 400) return { outcomes: rejectedByPointer(answer.error, n) };
    if (answer.status < 200 || answer.status > 299) {
      return refusedBatch("Amplemarket", answer, batch);
    }
    const r = answer.data as Partial<AmplemarketAddLeadsResponse> | undefined;
    const added = r?.total_added_to_lead_list;
    if (typeof added !== "number") {
      return {
        outcomes: all(
          batch,
          "unknown",
          "Amplemarket answered without counts; whether these leads were added is unknown",
        ),
      };
    }
    const warnings: string[] = [];
    if (typeof r?.total === "number" && r.total !== n)
      warnings.push(`${label}: sent ${n} leads, Amplemarket counted ${r.total}`);
    if (added > n) warnings.push(`${label}: Amplemarket reported ${added} leads added of ${n} sent`);
    if (added >= n) return { outcomes: all(batch, "added"), warnings };
    if (added === 0) return { outcomes: all(batch, "duplicate", `already in the list${lost}`), warnings };
    // Amplemarket answers per batch: it does not say which leads it added.
    return {
      outcomes: all(
        batch,
        "unknown",
        `Amplemarket added ${added} of the ${n} leads in this batch without saying which; the others were already in the list or over its 60,000-lead cap`,
      ),
      warnings,
    };
  },
};

/** A profile as Amplemarket compares them: no scheme, no `www.` or country subdomain, lower-cased. */
function linkedinIdentity(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^[a-z]{2,3}\.(?=linkedin\.com\/)/, "");
}

/** The trimmed text of a field a passthrough may have set to anything; undefined when blank or not text. */
function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A 400 names the failing leads by JSON pointer (`/leads/3/email`); the whole request was refused. */
function rejectedByPointer(body: unknown, n: number): Interpretation["outcomes"] {
  const perLead = new Map<number, string>();
  const general: string[] = [];
  const errors = (body as { _errors?: unknown })?._errors;
  for (const e of Array.isArray(errors) ? errors : []) {
    const detail = String(e?.detail ?? e?.title ?? "invalid");
    const match = /^\/leads\/(\d+)(?:\/|$)/.exec(String(e?.source?.pointer ?? ""));
    const at = match ? Number(match[1]) : -1;
    if (at >= 0 && at < n) perLead.set(at, perLead.has(at) ? `${perLead.get(at)}; ${detail}` : detail);
    else general.push(detail);
  }
  const others =
    perLead.size > 0
      ? `not added: Amplemarket refused the whole batch because of ${perLead.size} other lead(s) in it`
      : `Amplemarket refused the batch (400): ${general.join("; ") || vendorMessage(body)}`;
  return Array.from({ length: n }, (_, i) =>
    perLead.has(i)
      ? { outcome: "invalid" as const, reason: `Amplemarket: ${perLead.get(i)}` }
      : { outcome: "rejected" as const, reason: others },
  );
}
