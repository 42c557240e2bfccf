// What Instantly checks of a bulk add's body before it looks at the workspace: the answer is a documented 400.
import type { InstantlyAddLeadsRequest, InstantlyLeadInput, InstantlyLeadInterestStatus } from "@leadbridge/instantly";
import { isRecord } from "../plumbing.js";
import { INSTANTLY_MAX_LEADS_PER_REQUEST } from "./instantly-store.js";

/** Checks what the spec cannot express (XOR, counts) and shapes; the answer is a documented 400. */
export function validate(body: unknown): string | undefined {
  if (!isRecord(body)) return "Body must be a JSON object";
  const hasCampaign = body.campaign_id !== undefined && body.campaign_id !== null;
  const hasList = body.list_id !== undefined && body.list_id !== null;
  if (hasCampaign === hasList) return "Provide either campaign_id or list_id, but not both";
  if (hasCampaign && typeof body.campaign_id !== "string") return "campaign_id must be a string";
  if (hasList && typeof body.list_id !== "string") return "list_id must be a string";
  if (!Array.isArray(body.leads)) return "leads must be an array";
  if (body.leads.length < 1) return "leads must contain at least 1 lead";
  if (body.leads.length > INSTANTLY_MAX_LEADS_PER_REQUEST) {
    return `leads must contain at most ${INSTANTLY_MAX_LEADS_PER_REQUEST} leads`;
  }
  const index = body.leads.findIndex((lead) => !isRecord(lead));
  if (index >= 0) return `leads[${index}] must be an object`;
  return schemaProblem(body);
}

// What the spec's JSON schema says, checked as Instantly's Fastify/ajv does: the first violation, worded
// as ajv words it (`body/leads/3/email must be string,null`).
const UUID_FORMAT = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
type Check = (value: unknown, at: string) => string | undefined;
const stringOrNull: Check = (v, at) => (v === null || typeof v === "string" ? undefined : `${at} must be string,null`);
const uuid =
  (nullable: boolean): Check =>
  (v, at) => {
    if (v === null && nullable) return undefined;
    if (typeof v !== "string") return `${at} must be ${nullable ? "string,null" : "string"}`;
    return UUID_FORMAT.test(v) ? undefined : `${at} must match format "uuid"`;
  };
const boolean: Check = (v, at) => (typeof v === "boolean" ? undefined : `${at} must be boolean`);
// Typed against the generated spec: a status added to or dropped from its enum fails to compile here.
const INTEREST_STATUSES: Record<InstantlyLeadInterestStatus, true> = {
  0: true,
  1: true,
  2: true,
  3: true,
  4: true,
  "-1": true,
  "-2": true,
  "-3": true,
  "-4": true,
};
/** Every field of the spec's lead object (`additionalProperties: false`), keyed by the generated type. */
const LEAD_FIELDS: Record<keyof InstantlyLeadInput, Check> = {
  email: stringOrNull,
  personalization: stringOrNull,
  website: stringOrNull,
  last_name: stringOrNull,
  first_name: stringOrNull,
  company_name: stringOrNull,
  job_title: stringOrNull,
  phone: stringOrNull,
  pl_value_lead: stringOrNull,
  lt_interest_status: (v, at) =>
    typeof v !== "number"
      ? `${at} must be number`
      : Object.hasOwn(INTEREST_STATUSES, String(v))
        ? undefined
        : `${at} must be equal to one of the allowed values`,
  assigned_to: uuid(true),
  custom_variables(v, at) {
    if (!isRecord(v)) return `${at} must be object`;
    for (const [key, value] of Object.entries(v)) {
      if (!(value === null || ["string", "number", "boolean"].includes(typeof value)))
        return `${at}/${key} must be string,number,boolean,null`;
    }
    return undefined;
  },
};
const BODY_FIELDS: Partial<Record<keyof InstantlyAddLeadsRequest, Check>> = {
  campaign_id: uuid(false),
  list_id: uuid(false),
  blocklist_id: uuid(true),
  assigned_to: uuid(false),
  verify_leads_on_import: boolean,
  skip_if_in_workspace: boolean,
  skip_if_in_campaign: boolean,
  skip_if_in_list: boolean,
};

function schemaProblem(body: Record<string, unknown>): string | undefined {
  for (const [field, check] of Object.entries(BODY_FIELDS) as [string, Check][]) {
    // A null campaign_id or list_id is absent to the XOR check above; the schema types them string.
    if (body[field] !== undefined && !(body[field] === null && (field === "campaign_id" || field === "list_id"))) {
      const problem = check(body[field], `body/${field}`);
      if (problem) return problem;
    }
  }
  for (const [i, lead] of (body.leads as Record<string, unknown>[]).entries()) {
    for (const [field, value] of Object.entries(lead)) {
      const check = LEAD_FIELDS[field as keyof InstantlyLeadInput] as Check | undefined;
      if (!Object.hasOwn(LEAD_FIELDS, field) || !check) return `body/leads/${i} must NOT have additional properties`;
      const problem = check(value, `body/leads/${i}/${field}`);
      if (problem) return problem;
    }
  }
  return undefined;
}
