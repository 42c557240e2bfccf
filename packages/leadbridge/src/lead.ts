import type { InstantlyLeadInput } from "@leadbridge/instantly";

/** A value Instantly accepts in `custom_variables`; other vendors receive it as text. */
export type CustomFieldValue = string | number | boolean | null;

/** One lead, in the same shape for every vendor. Empty or whitespace-only strings count as absent. */
export interface Lead {
  email?: string | null;
  /** International (`+1 415 555 0100`) or national with the `defaultCountry` option. Sent in E.164. */
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  companyDomain?: string | null;
  jobTitle?: string | null;
  linkedinUrl?: string | null;
  website?: string | null;
  /** An IANA name (`America/Los_Angeles`) or a Windows zone ID (`Pacific Standard Time`). */
  timeZone?: string | null;
  /** Your id for the lead (a CRM row id). */
  externalId?: string | null;
  /** Extra values: Instantly `custom_variables`, NLPearl `callData` (as text). */
  customFields?: Record<string, CustomFieldValue> | null;
  /** Fields only Instantly has, sent as they are. */
  instantly?: InstantlyPassthrough;
  /** Extra properties for Amplemarket's lead object (it accepts additional properties), sent as they are. */
  amplemarket?: Record<string, string | number | boolean | null>;
  /** Fields only NLPearl has. `callData` entries are merged over the ones derived from the lead. */
  nlpearl?: NlpearlPassthrough;
}

export type InstantlyPassthrough = Pick<
  InstantlyLeadInput,
  "lt_interest_status" | "personalization" | "pl_value_lead" | "assigned_to"
>;

export interface NlpearlPassthrough {
  callData?: Record<string, string>;
}

/** What happened to one input lead. */
export type Outcome = "added" | "duplicate" | "skipped" | "invalid" | "rejected" | "failed" | "unknown";

export const OUTCOMES: readonly Outcome[] = [
  "added",
  "duplicate",
  "skipped",
  "invalid",
  "rejected",
  "failed",
  "unknown",
] as const;

export interface LeadResult {
  /** The lead's position in the input (0-based). */
  index: number;
  outcome: Outcome;
  /** Why, for every outcome but a plain `added`. Machine-readable for `aborted` and `list_full`. */
  reason?: string;
  /** The vendor's id for the lead, when its answer gives one (Instantly). */
  vendorLeadId?: string;
}

/** Input LeadBridge accepts: an array, any iterable, or an async iterable (a CSV stream), never buffered whole. */
export type LeadSource<L = Lead> = Iterable<L> | AsyncIterable<L>;

/** Reasons with fixed spellings, for code that branches on them. */
export const Reasons = {
  aborted: "aborted",
  listFull: "list_full",
  dryRun: "dry_run",
} as const;
