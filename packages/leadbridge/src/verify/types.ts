import type { AmplemarketLeadListType } from "@leadbridge/amplemarket";
import type { NlpearlCallStatus, NlpearlLeadStatus } from "@leadbridge/nlpearl";
import type { InstantlyDestination } from "../adapters/instantly.js";
import type { NlpearlDestination } from "../adapters/nlpearl.js";
import type { Outcome } from "../lead.js";
import type { RetryOptions } from "../retry.js";

/**
 * Where the leads to read back went. As `addLeads` takes it, but for Amplemarket the list's `type` may be
 * left out (it is read from the list), and import options are ignored.
 */
export type VerifyDestination =
  | InstantlyDestination
  | { vendor: "amplemarket"; listId: string; type?: AmplemarketLeadListType }
  | NlpearlDestination;

/**
 * One lead as an earlier import reported it: a `LeadResult` with the lead's identifiers beside it, or a
 * row of the CLI's results file. Only `outcome` is required; leads whose outcome is neither `added` nor
 * `unknown` are passed through unchecked. Empty strings count as absent.
 */
export interface VerifyInput {
  outcome: Outcome | string;
  /** The vendor's id for the lead, when the import's answer gave one (Instantly). Looked up first. */
  vendorLeadId?: string | null;
  email?: string | null;
  phone?: string | null;
  linkedinUrl?: string | null;
  /** Your id for the lead, as sent (NLPearl looks leads up by it). */
  externalId?: string | null;
  /** For Amplemarket `titles_and_company` lists: the title and company the lead was sent with. */
  jobTitle?: string | null;
  companyName?: string | null;
  companyDomain?: string | null;
}

/**
 * What the read found: `present` (the vendor holds the lead at the destination), `missing` (it does not),
 * `cannot_check` (the vendor offers no way to look this lead up: `reason` says why), or `not_checked`
 * (the import did not report it `added` or `unknown`).
 */
export type Verified = "present" | "missing" | "cannot_check" | "not_checked";

export const VERIFIED: readonly Verified[] = ["present", "missing", "cannot_check", "not_checked"] as const;

/** What NLPearl says about a lead it holds. Numbers as NLPearl's enums (`eLeadStatusView`, `eCallStatusView`). */
export interface NlpearlLeadState {
  /** The lead's status (the status of its last conversation): 1 New, 10 NeedRetry, 100 Success, … */
  status?: NlpearlLeadStatus;
  /** How many calls the lead has received, when NLPearl lists them. */
  calls?: number;
  /** The last call's status (3 InProgress, 4 Completed, 5 Busy, 6 Failed, 7 NoAnswer, 8 Canceled) and start. */
  lastCall?: { status?: NlpearlCallStatus; startTime?: string };
}

export interface VerifyResult<R extends VerifyInput = VerifyInput> {
  /** The input record, as given. */
  lead: R;
  verified: Verified;
  /** The outcome after the read: an `unknown` lead found present is `added`; every other keeps the input's. */
  outcome: Outcome | string;
  /** Why, for people: how it was looked up and what was (not) found, or why it could not be checked. */
  reason?: string;
  /** The vendor's id for the lead, when the read found one. */
  vendorLeadId?: string;
  /** NLPearl: how many leads of the pearl have this phone (NLPearl does not deduplicate; more than 1 means more calls). */
  matches?: number;
  /** NLPearl: the lead's status and last call, where the API gives them. */
  nlpearl?: NlpearlLeadState;
}

export interface VerifyOptions {
  /** Overrides of the bridge's retry policy for this read (the same policy imports use). */
  retry?: RetryOptions;
  /** ISO 3166 alpha-2 country for phone numbers written without a country code, as the import had it. */
  defaultCountry?: string;
  signal?: AbortSignal;
}
