import {
  createInstantlyClient,
  descriptor,
  type InstantlyAddLeadsResponse,
  type InstantlyLeadInput,
} from "@leadbridge/instantly";
import {
  all,
  answerOf,
  destinationKeysOf,
  type Interpretation,
  type InterpretContext,
  invalid,
  type LeadVerdict,
  rawBody,
  refusedBatch,
  sending,
  type ValidateContext,
  type VendorAdapter,
  type VendorAnswer,
  type VendorTransportConfig,
} from "./adapter.js";
import { customFields, describe, email, type FieldReader, isUuid, phone, record } from "./fields.js";

/** Instantly's per-import options (see its "Add leads in bulk" docs). */
export interface InstantlyImportOptions {
  /** Skip leads that exist anywhere in the workspace; overrides the other skip flags. */
  skipIfInWorkspace?: boolean;
  skipIfInCampaign?: boolean;
  skipIfInList?: boolean;
  /** Blocklist to check against; the workspace default when omitted. */
  blocklistId?: string;
  /** User to assign every imported lead to. */
  assignedTo?: string;
  /** Start a background job that verifies the imported emails. */
  verifyLeadsOnImport?: boolean;
}

export type InstantlyDestination =
  | ({ vendor: "instantly"; campaignId: string; listId?: never } & InstantlyImportOptions)
  | ({ vendor: "instantly"; listId: string; campaignId?: never } & InstantlyImportOptions);

export interface InstantlyConfig extends VendorTransportConfig {
  /** Falls back to the environment variable INSTANTLY_API_KEY. */
  apiKey?: string;
}

const PASSTHROUGH = ["lt_interest_status", "personalization", "pl_value_lead", "assigned_to"] as const;

/** `lead.instantly`: fields only Instantly has, sent as they are. */
export type InstantlyPassthrough = Pick<InstantlyLeadInput, (typeof PASSTHROUGH)[number]>;

function destinationFields(d: InstantlyDestination): Record<string, unknown> {
  return {
    campaign_id: d.campaignId,
    list_id: d.listId,
    skip_if_in_workspace: d.skipIfInWorkspace,
    skip_if_in_campaign: d.skipIfInCampaign,
    skip_if_in_list: d.skipIfInList,
    blocklist_id: d.blocklistId,
    assigned_to: d.assignedTo,
    verify_leads_on_import: d.verifyLeadsOnImport,
  };
}

/** The JSON before the leads array: every destination field, then `"leads":[`. */
function prefixOf(fields: Record<string, unknown>): string {
  const head = JSON.stringify(fields);
  return `${head.slice(0, -1)}${head.length > 2 ? "," : ""}"leads":[`;
}

export const instantly: VendorAdapter<InstantlyDestination, InstantlyLeadInput> = {
  descriptor,
  // blocklistId and assignedTo are options of the API only (the CLI has no flags for them).
  destinationKeys: destinationKeysOf(descriptor, ["blocklistId", "assignedTo"]),

  checkDestination(d) {
    const hasCampaign = d.campaignId !== undefined;
    const hasList = d.listId !== undefined;
    if (hasCampaign === hasList) return "an Instantly destination needs exactly one of campaignId or listId";
    const id = hasCampaign ? d.campaignId : d.listId;
    if (!isUuid(id)) return `Instantly ${hasCampaign ? "campaignId" : "listId"} must be a UUID`;
    if (d.blocklistId !== undefined && d.blocklistId !== null && !isUuid(d.blocklistId))
      return "blocklistId must be a UUID";
    if (d.assignedTo !== undefined && !isUuid(d.assignedTo)) return "assignedTo must be a UUID";
    return undefined;
  },

  open(d, transport, context) {
    const client = transport && createInstantlyClient({ apiKey: transport.token, ...transport });
    const fields = destinationFields(d);
    return {
      // A campaign sends email: it needs one. A list takes an email or a name (checked in toVendorLead).
      needs: d.campaignId !== undefined ? ["email"] : [],
      toVendorLead: (lead, fields) => toVendorLead(lead, fields, d, context),
      keys(mapped, key) {
        if (mapped.email) key("email", mapped.email.toLowerCase());
        else if (mapped.phone) key("phone", mapped.phone);
      },
      envelope: { prefix: prefixOf(fields), suffix: "]}" },
      send: (body) =>
        answerOf(sending(client).POST("/api/v2/leads/add", { body: { ...fields, leads: [] }, ...rawBody(body) })),
      interpret: (answer, size, at) => interpret(answer, size, d.campaignId !== undefined ? "campaign" : "list", at),
    };
  },
};

function toVendorLead(
  input: unknown,
  fields: FieldReader,
  d: InstantlyDestination,
  context: ValidateContext,
): InstantlyLeadInput {
  const lead = record(input);
  const mapped: InstantlyLeadInput = {
    email: fields.read("email", email, lead, undefined),
    first_name: fields.text(lead, "firstName"),
    last_name: fields.text(lead, "lastName"),
    company_name: fields.text(lead, "companyName"),
    job_title: fields.text(lead, "jobTitle"),
    website: fields.text(lead, "website"),
    phone: fields.read("phone", phone, lead, context.defaultCountry),
  };
  if (d.campaignId !== undefined && mapped.email === undefined) invalid("an Instantly campaign needs an email");
  if (d.listId !== undefined) {
    fields.need(
      mapped.email !== undefined || mapped.first_name || mapped.last_name,
      "an Instantly list needs an email, a firstName or a lastName",
    );
  }
  // Unified fields Instantly has no column for travel as custom variables.
  const derived: Record<string, string> = {};
  const domain = fields.text(lead, "companyDomain");
  const linkedin = fields.text(lead, "linkedinUrl");
  const timeZone = fields.text(lead, "timeZone");
  const externalId = fields.text(lead, "externalId");
  if (domain !== undefined) derived.company_domain = domain;
  if (linkedin !== undefined) derived.linkedin_url = linkedin;
  if (timeZone !== undefined) derived.time_zone = timeZone;
  if (externalId !== undefined) derived.external_id = externalId;
  const custom = customFields(lead);
  if (custom || Object.keys(derived).length > 0) mapped.custom_variables = { ...derived, ...custom };

  const extra = lead.instantly;
  if (extra !== undefined && extra !== null) {
    if (typeof extra !== "object" || Array.isArray(extra))
      invalid(`instantly must be an object, got ${describe(extra)}`);
    const x = extra as Record<string, unknown>;
    for (const key of Object.keys(x)) {
      if (!(PASSTHROUGH as readonly string[]).includes(key)) {
        invalid(`instantly.${key} is not an Instantly lead field (allowed: ${PASSTHROUGH.join(", ")})`);
      }
    }
    const status = x.lt_interest_status;
    if (status !== undefined) {
      if (typeof status !== "number" || !Number.isInteger(status)) {
        invalid(`instantly.lt_interest_status must be an integer, got ${describe(status)}`);
      }
      mapped.lt_interest_status = status as InstantlyLeadInput["lt_interest_status"];
    }
    for (const key of ["personalization", "pl_value_lead"] as const) {
      const v = x[key];
      if (v !== undefined && v !== null && typeof v !== "string")
        invalid(`instantly.${key} must be text, got ${describe(v)}`);
      if (typeof v === "string") mapped[key] = v;
    }
    if (x.assigned_to !== undefined && x.assigned_to !== null) {
      if (!isUuid(x.assigned_to)) invalid("instantly.assigned_to must be a user UUID");
      mapped.assigned_to = x.assigned_to;
    }
  }
  return mapped;
}

/** Outcomes from Instantly's summary: ids for the created leads, counts (not names) for the rest. */
function interpret(
  answer: VendorAnswer,
  n: number,
  where: "campaign" | "list",
  { afterUnknownOutcome, label }: InterpretContext,
): Interpretation {
  if (answer.status < 200 || answer.status > 299) {
    return refusedBatch("Instantly", answer, n);
  }
  const r = answer.data as Partial<InstantlyAddLeadsResponse> | undefined;
  if (!r || typeof r !== "object") {
    return {
      outcomes: all(
        n,
        "ambiguous_answer",
        "Instantly answered without a summary; whether these leads were added is unknown",
      ),
    };
  }
  const warnings: string[] = [];
  const outcomes: LeadVerdict[] = new Array(n);
  let created = 0;
  for (const c of Array.isArray(r.created_leads) ? r.created_leads : []) {
    if (!Number.isInteger(c?.index) || c.index < 0 || c.index >= n || outcomes[c.index]) {
      warnings.push(
        `${label}: Instantly listed a created lead with index ${String(c?.index)}, which is not in the batch`,
      );
      continue;
    }
    outcomes[c.index] = typeof c.id === "string" ? { code: "added", vendorLeadId: c.id } : ADDED;
    created++;
  }
  const rest = n - created;
  if (typeof r.total_sent === "number" && r.total_sent !== n) {
    warnings.push(`${label}: sent ${n} leads, Instantly counted ${r.total_sent}`);
  }
  if (typeof r.leads_uploaded === "number" && r.leads_uploaded !== created) {
    warnings.push(
      `${label}: Instantly reported ${r.leads_uploaded} leads uploaded but listed ${created} created leads`,
    );
    fill(outcomes, {
      code: "ambiguous_answer",
      reason: `Instantly reported ${r.leads_uploaded} leads uploaded but listed only ${created}; whether this one was added is unknown`,
    });
    return { outcomes, warnings };
  }
  const num = (v: unknown) => (typeof v === "number" && v > 0 ? v : 0);
  const lost = afterUnknownOutcome
    ? "; an earlier attempt of this batch, whose answer was lost, may be what added it"
    : "";
  const kinds = [
    {
      count: num(r.duplicated_leads) + num(r.duplicate_email_count),
      code: "vendor_duplicate" as const,
      reason: `already in this ${where}${lost}`,
    },
    {
      count: num(r.skipped_count),
      code: "skipped_by_option" as const,
      reason: "skipped by a skip_if_in_* option: already in the workspace",
    },
    { count: num(r.in_blocklist), code: "blocklisted" as const, reason: "on the blocklist" },
    {
      count: num(r.invalid_email_count) + num(r.incomplete_count),
      code: "invalid_by_vendor" as const,
      reason: "Instantly rejected the email as invalid, or the lead as incomplete",
    },
  ].filter((k) => k.count > 0);
  const counted = kinds.reduce((s, k) => s + k.count, 0);
  if (rest === 0) return { outcomes, warnings };
  if (counted !== rest) {
    warnings.push(`${label}: ${rest} leads were not created, but Instantly's counts account for ${counted}`);
    fill(outcomes, { code: "not_added", reason: `not added, and Instantly's counts do not say why${lost}` });
  } else if (kinds.length === 1) {
    fill(outcomes, { code: kinds[0]!.code, reason: kinds[0]!.reason });
  } else {
    // Instantly gives counts per reason but not which lead had which: say so rather than guess.
    const summary = kinds.map((k) => `${k.count} ${SUMMARY_WORD[k.code]}`).join(", ");
    fill(outcomes, {
      code: "not_added",
      reason: `not added; Instantly reported ${summary} among the ${rest} leads of this batch it did not add, without saying which lead was which${lost}`,
    });
  }
  return { outcomes, warnings };
}

const ADDED: LeadVerdict = { code: "added" };
/** How the mixed-count summary names each kind (as the outcomes were named before codes). */
const SUMMARY_WORD = {
  vendor_duplicate: "duplicate",
  skipped_by_option: "skipped",
  blocklisted: "blocklisted",
  invalid_by_vendor: "invalid",
} as const;

function fill(outcomes: LeadVerdict[], value: LeadVerdict): void {
  for (let i = 0; i < outcomes.length; i++) if (!outcomes[i]) outcomes[i] = value;
}
