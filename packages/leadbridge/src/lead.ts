/** A value Instantly accepts in `custom_variables`; other vendors receive it as text. */
export type CustomFieldValue = string | number | boolean | null;

/**
 * The fields of a lead every vendor takes. Empty or whitespace-only strings count as absent. `Lead` (in the
 * generated registry) adds each vendor's own fields under its name, from the type its adapter exports.
 */
export interface LeadFields {
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
}

/** What happened to one input lead. */
export type Outcome = "added" | "duplicate" | "skipped" | "invalid" | "rejected" | "failed" | "unknown";

export const OUTCOMES: readonly Outcome[] = Object.freeze([
  "added",
  "duplicate",
  "skipped",
  "invalid",
  "rejected",
  "failed",
  "unknown",
] as const);

/**
 * Why a lead ended as it did, for code to branch on (`reason` is for people). Each code belongs to exactly
 * one outcome (`LEAD_CODES[code]`):
 * - `added`: the vendor added it.
 * - `added_maybe_twice`: added, and an earlier attempt whose answer was lost may have added it too (NLPearl).
 * - `dry_run`: valid; not sent because the call was a dry run.
 * - `invalid_field`: a field is malformed, or a field the destination needs is missing (or the lead is not an object).
 * - `unreadable_lead`: reading the lead threw (a getter, a proxy).
 * - `too_large`: the lead alone is over the request size cap.
 * - `duplicate_in_call`: an earlier lead of this call has the same identity; see `duplicateOf`. Not sent.
 * - `vendor_duplicate`: the vendor already had it at the destination.
 * - `skipped_by_option`: skipped by an import option (Instantly's `skipIfIn*`).
 * - `not_added`: the vendor did not add it and did not say why (or gave reasons without saying which lead had which).
 * - `blocklisted`: on the vendor's blocklist.
 * - `invalid_by_vendor`: the vendor refused this lead's fields.
 * - `rejected_by_vendor`: the vendor refused the whole batch (for another lead in it, or as a whole).
 * - `list_full`: the destination is full (Amplemarket's 60,000-lead list cap).
 * - `ambiguous_answer`: the vendor answered but did not say whether this lead was added.
 * - `unknown_outcome`: an attempt's answer was lost, so whether the vendor added it is unknown.
 * - `failed_after_retries`: every attempt failed (rate limited, server errors, no connection); not added.
 * - `call_refused`: the vendor refused the call itself (credentials, permission, destination not found); see the error.
 * - `not_sent`: the call stopped before this lead was sent (another batch's error, a callback's throw).
 * - `input_failed`: not sent because reading the input failed (the call rejects with `InputError`).
 * - `aborted`: the call's `signal` aborted before this lead was sent.
 */
export const LEAD_CODES = Object.freeze({
  added: "added",
  added_maybe_twice: "added",
  dry_run: "skipped",
  invalid_field: "invalid",
  unreadable_lead: "invalid",
  too_large: "invalid",
  duplicate_in_call: "duplicate",
  vendor_duplicate: "duplicate",
  skipped_by_option: "skipped",
  not_added: "skipped",
  blocklisted: "rejected",
  invalid_by_vendor: "invalid",
  rejected_by_vendor: "rejected",
  list_full: "rejected",
  ambiguous_answer: "unknown",
  unknown_outcome: "unknown",
  failed_after_retries: "failed",
  call_refused: "failed",
  not_sent: "failed",
  input_failed: "failed",
  aborted: "failed",
} as const satisfies Record<string, Outcome>);

/** See `LEAD_CODES`. */
export type LeadCode = keyof typeof LEAD_CODES;

/** The codes, in `LEAD_CODES`' order. */
export const LEAD_CODE_LIST: readonly LeadCode[] = Object.freeze(Object.keys(LEAD_CODES) as LeadCode[]);

export interface LeadResult {
  /** The lead's position in the input (0-based). */
  index: number;
  outcome: Outcome;
  /** Why, for code to branch on: one of `LEAD_CODES`, which also says which outcome it belongs to. */
  code: LeadCode;
  /**
   * Why, for people; for every outcome but a plain `added`. Branch on `code`, not on this text (it kept the
   * spellings `aborted`, `list_full` and `dry_run` for compatibility; `Reasons` is deprecated).
   */
  reason?: string;
  /** For a `duplicate_in_call`: the input index (0-based) of the first lead with the same identity. */
  duplicateOf?: number;
  /** The vendor's id for the lead, when its answer gives one (Instantly). */
  vendorLeadId?: string;
  /** What LeadBridge changed in the lead on its way: a field the destination does not need, unusable, dropped. */
  warnings?: LeadWarning[];
  /**
   * Where the lead went, when not the call's destination: the id of the list an `overflow: "new-list"`
   * call created after the destination filled up (Amplemarket).
   */
  destinationId?: string;
}

/**
 * A field of the lead the destination does not need was unusable (a phone of `ext. 204`, an email of
 * `n/a`), so the lead went without it. With the `strict` option it would have made the lead `invalid`.
 */
export interface LeadWarning {
  /** The lead's field (`phone`, `email`, `linkedinUrl`...). */
  field: string;
  code: "dropped_field";
  /** For people: `phone "ext. 204" is not a valid phone number; sent without it`. */
  reason: string;
}

/**
 * Reasons with fixed spellings, kept as they were.
 * @deprecated Branch on `LeadResult.code` (`"aborted"`, `"list_full"`, `"dry_run"`) instead.
 */
export const Reasons = Object.freeze({
  aborted: "aborted",
  listFull: "list_full",
  dryRun: "dry_run",
} as const);
