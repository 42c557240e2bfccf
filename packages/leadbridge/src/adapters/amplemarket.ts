import {
  type AmplemarketAddLeadsResponse,
  type AmplemarketLeadInput,
  type AmplemarketLeadListType,
  createAmplemarketClient,
  descriptor,
} from "@leadbridge/amplemarket";
import { Reasons } from "../lead.js";
import {
  all,
  answerOf,
  type DedupeKind,
  destinationKeysOf,
  fieldValues,
  type Interpretation,
  type InterpretContext,
  invalid,
  type LeadVerdict,
  rawBody,
  refusedBatch,
  sending,
  type VendorAdapter,
  type VendorAnswer,
  type VendorTransportConfig,
  vendorMessage,
} from "./adapter.js";
import { interpretParts, ListRollover } from "./amplemarket-overflow.js";
import { describe, email, type FieldReader, linkedinUrl, record } from "./fields.js";

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

/** `lead.amplemarket`: extra properties for Amplemarket's lead object (it accepts additional properties), sent as they are. */
export type AmplemarketPassthrough = Record<string, string | number | boolean | null>;

const TYPES = fieldValues(descriptor, "type") as readonly AmplemarketLeadListType[];

export const amplemarket: VendorAdapter<AmplemarketDestination, AmplemarketLeadInput> = {
  descriptor,
  destinationKeys: destinationKeysOf(descriptor),

  checkDestination(d) {
    if (typeof d.listId !== "string" || d.listId.trim() === "") return "an Amplemarket destination needs a listId";
    if (!TYPES.includes(d.type)) return `Amplemarket list type must be one of ${TYPES.join(", ")}`;
    return undefined;
  },

  open(d, transport, { overflow }) {
    const client = transport && createAmplemarketClient({ apiKey: transport.token, ...transport });
    const post = (id: string, body: Uint8Array) =>
      answerOf(
        sending(client).POST("/lead-lists/{id}/leads", {
          params: { path: { id } },
          body: { type: d.type, leads: [] },
          ...rawBody(body),
        }),
      );
    const rollover =
      overflow && new ListRollover({ ...overflow, listId: d.listId, cap: descriptor.maxLeadsPerDestination, post });
    return {
      needs: NEEDS[d.type],
      toVendorLead: (lead, fields) => toVendorLead(lead, fields, d),
      keys: (mapped, key) => keys(mapped, key, d),
      envelope: { prefix: `{"type":${JSON.stringify(d.type)},"leads":[`, suffix: "]}" },
      send: (body) => (rollover ? rollover.send(body) : post(d.listId, body)),
      interpret: rollover ? (answer, n, at) => interpretParts(answer, n, at, d.listId, interpret) : interpret,
    };
  },
};

/** The field each list type is keyed by (a titles_and_company list also needs a companyName or companyDomain). */
const NEEDS: Record<AmplemarketLeadListType, readonly string[]> = {
  email: ["email"],
  linkedin: ["linkedinUrl"],
  titles_and_company: ["jobTitle"],
};

function toVendorLead(input: unknown, fields: FieldReader, d: AmplemarketDestination): AmplemarketLeadInput {
  const lead = record(input);
  const mapped: AmplemarketLeadInput = {
    email: fields.read("email", email, lead, undefined),
    linkedin_url: fields.read("linkedinUrl", linkedinUrl, lead, undefined),
    title: fields.text(lead, "jobTitle"),
    company_name: fields.text(lead, "companyName"),
    company_domain: fields.text(lead, "companyDomain"),
  };
  if (d.type === "email" && !mapped.email) invalid("an Amplemarket email list needs an email");
  if (d.type === "linkedin" && !mapped.linkedin_url) invalid("an Amplemarket linkedin list needs a linkedinUrl");
  if (d.type === "titles_and_company") {
    fields.need(
      mapped.title && (mapped.company_name || mapped.company_domain),
      "an Amplemarket titles_and_company list needs a jobTitle and a companyName or companyDomain",
    );
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
}

/**
 * The list's own identity, as Amplemarket decides what is already in it: one key per list type, so a
 * lead the vendor would add is never held back, and one it would drop is a `duplicate` before sending.
 */
function keys(
  mapped: AmplemarketLeadInput,
  key: (kind: DedupeKind, value: string) => boolean,
  d: AmplemarketDestination,
): void {
  if (d.type === "email") {
    if (mapped.email) key("email", mapped.email.toLowerCase());
  } else if (d.type === "linkedin") {
    if (mapped.linkedin_url) key("LinkedIn URL", linkedinIdentity(mapped.linkedin_url));
  } else {
    const company = nonBlank(mapped.company_domain) ?? nonBlank(mapped.company_name);
    const title = nonBlank(mapped.title);
    if (title && company) key("title and company", `${title.toLowerCase()}\u0000${company.toLowerCase()}`);
  }
}

/** Outcomes from Amplemarket's counts: it answers per batch, never per lead (but for a 400's pointers). */
function interpret(answer: VendorAnswer, n: number, { afterUnknownOutcome, label }: InterpretContext): Interpretation {
  const lost = afterUnknownOutcome
    ? "; an earlier attempt of this batch, whose answer was lost, may have added it"
    : "";
  if (answer.status === 409) {
    // The list holds 60,000 leads at most; once full, nothing more can go in.
    return {
      outcomes: all(
        n,
        afterUnknownOutcome ? "unknown_outcome" : "list_full",
        afterUnknownOutcome ? `${Reasons.listFull}${lost}` : Reasons.listFull,
      ),
      closeDestination: { code: "list_full", reason: Reasons.listFull },
    };
  }
  if (answer.status === 400) return { outcomes: rejectedByPointer(answer.error, n) };
  if (answer.status < 200 || answer.status > 299) {
    return refusedBatch("Amplemarket", answer, n);
  }
  const r = answer.data as Partial<AmplemarketAddLeadsResponse> | undefined;
  const added = r?.total_added_to_lead_list;
  if (typeof added !== "number") {
    return {
      outcomes: all(
        n,
        "ambiguous_answer",
        "Amplemarket answered without counts; whether these leads were added is unknown",
      ),
    };
  }
  const warnings: string[] = [];
  if (typeof r?.total === "number" && r.total !== n)
    warnings.push(`${label}: sent ${n} leads, Amplemarket counted ${r.total}`);
  if (added > n) warnings.push(`${label}: Amplemarket reported ${added} leads added of ${n} sent`);
  if (added >= n) return { outcomes: all(n, "added"), warnings };
  if (added === 0) return { outcomes: all(n, "vendor_duplicate", `already in the list${lost}`), warnings };
  // Amplemarket answers per batch: it does not say which leads it added.
  return {
    outcomes: all(
      n,
      "ambiguous_answer",
      `Amplemarket added ${added} of the ${n} leads in this batch without saying which; the others were already in the list or over its 60,000-lead cap`,
    ),
    warnings,
  };
}

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
function rejectedByPointer(body: unknown, n: number): LeadVerdict[] {
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
  return Array.from(
    { length: n },
    (_, i): LeadVerdict =>
      perLead.has(i)
        ? { code: "invalid_by_vendor", reason: `Amplemarket: ${perLead.get(i)}` }
        : { code: "rejected_by_vendor", reason: others },
  );
}
