// Amplemarket's vendor facts (from its descriptor), its error answers, and the 400s it documents for a body.
import type { AmplemarketLeadListType, operations } from "@leadbridge/amplemarket";
import { DESCRIPTORS, fieldValues, formatCount } from "../descriptors.js";
import { isRecord, type ReplyOf } from "../plumbing.js";

export type AddReply = ReplyOf<operations["addLeadsToLeadList"]>;
export type ErrorObject = { code: string; title: string; detail: string; source?: { pointer: string } };

export const descriptor = DESCRIPTORS.amplemarket;

/** The kind of list, which decides the field each lead must carry (the spec's spelling). */
export type AmplemarketListType = "linkedin" | "email" | "titles_and_company";
// Spelled out so that the published types stand alone; checked against the spec's enum, so that a type
// added to or dropped from it fails to compile here.
true satisfies SameType<AmplemarketListType, AmplemarketLeadListType>;
type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The list types, from the vendor package's descriptor. */
export const AMPLEMARKET_LIST_TYPES = fieldValues(descriptor, "type") as readonly AmplemarketListType[];
export const AMPLEMARKET_MAX_LEADS_PER_REQUEST: number = descriptor.maxLeadsPerRequest;
export const AMPLEMARKET_MAX_LEADS_PER_LIST: number = descriptor.maxLeadsPerDestination;

/** A lead list as the facade names it: `{ vendor: "amplemarket", listId, type }`. */
export interface AmplemarketDestination {
  vendor?: "amplemarket";
  listId: string;
  type: AmplemarketListType;
}

/** A lead as sent (Amplemarket accepts extra fields). */
export interface AmplemarketLead {
  email?: string;
  linkedin_url?: string;
  title?: string;
  company_name?: string;
  company_domain?: string;
  [field: string]: unknown;
}

export interface AmplemarketListInfo {
  id: string;
  type: AmplemarketListType;
  name: string;
  deleted: boolean;
  leadCount: number;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const LINKEDIN_PROFILE =
  /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(?:in|pub)\/[^/?#\s]+\/?(?:[?#]\S*)?$/i;

export function filled(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

export function amplemarketError<S extends AddReply["status"]>(status: S, ...errors: ErrorObject[]) {
  return { status, body: { object: "error", _errors: errors } } as Extract<AddReply, { status: S }>;
}

const missing = (field: string, pointer: string): ErrorObject => ({
  code: "missing_field",
  title: "Missing Field",
  detail: `Missing field from request: ${field}`,
  source: { pointer },
});
export const unsupported = (detail: string, pointer: string): ErrorObject => ({
  code: "unsupported_value",
  title: "Unsupported Value",
  detail,
  source: { pointer },
});

/** The documented 400s, in the documented wording; every failing lead is reported. */
export function validate(body: unknown, listType: AmplemarketListType): ErrorObject[] {
  if (!isRecord(body)) return [unsupported("The request body must be a JSON object.", "")];
  // The body is `additionalProperties: false`.
  const unknown = Object.keys(body).filter((key) => key !== "type" && key !== "leads");
  if (unknown.length > 0) return unknown.map((key) => unsupported(`Unsupported field provided: ${key}`, `/${key}`));
  if (body.type === undefined) return [missing("type", "/type")];
  if (!AMPLEMARKET_LIST_TYPES.includes(body.type as AmplemarketListType)) {
    return [unsupported(`'${String(body.type)}' is not a supported type.`, "/type")];
  }
  if (body.type !== listType) {
    return [unsupported(`'${body.type}' does not match the lead list type '${listType}'.`, "/type")];
  }
  if (body.leads === undefined) return [missing("leads", "/leads")];
  if (!Array.isArray(body.leads)) return [unsupported("leads must be an array.", "/leads")];
  if (body.leads.length > AMPLEMARKET_MAX_LEADS_PER_REQUEST) {
    return [unsupported(`Number of leads exceeds ${formatCount(AMPLEMARKET_MAX_LEADS_PER_REQUEST)} limit.`, "/leads")];
  }
  const errors: ErrorObject[] = [];
  for (const [i, lead] of (body.leads as unknown[]).entries()) {
    if (!isRecord(lead)) {
      errors.push(unsupported(`Unsupported value provided for field: leads[${i}]`, `/leads/${i}`));
      continue;
    }
    const check = (field: string, valid: (value: string) => boolean) => {
      const value = lead[field];
      // The docs answer a lead's missing field with code unsupported_value, unlike a missing top-level field.
      if (value === undefined || value === null || value === "") {
        errors.push(unsupported(`Missing field from request: leads[${i}].${field}`, `/leads/${i}/${field}`));
      } else if (typeof value !== "string" || !valid(value.trim())) {
        errors.push(unsupported(`Unsupported value provided for field: leads[${i}].${field}`, `/leads/${i}/${field}`));
      }
    };
    if (listType === "email") check("email", (v) => EMAIL.test(v));
    else if (listType === "linkedin") check("linkedin_url", (v) => LINKEDIN_PROFILE.test(v));
    else {
      check("title", (v) => v !== "");
      // Either company field will do; a null or empty domain beside a name is no domain.
      if (filled(lead.company_domain)) check("company_domain", (v) => v !== "");
      else check("company_name", (v) => v !== "");
    }
  }
  return errors;
}
