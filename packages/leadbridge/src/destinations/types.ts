import type { ReadTransport } from "../adapters/adapter.js";
import type { VendorName } from "../adapters/index.js";
import { LeadBridgeError } from "../errors.js";

/**
 * A place leads can go, as the vendor's list endpoints describe it: an Instantly campaign or lead list,
 * an Amplemarket lead list, an NLPearl outbound pearl. `id` is what a destination's id field takes.
 */
export interface DestinationInfo {
  vendor: VendorName;
  /** The destination kind of the vendor's descriptor: "campaign", "list", "pearl". */
  kind: string;
  id: string;
  name: string;
  /** The vendor's own status value, as text (Instantly campaigns, NLPearl pearls: the vendor's number). */
  status?: string;
  /** Leads it holds, where the vendor's answer says. */
  leadCount?: number;
  /** Amplemarket's list type (`email`, `linkedin`, `titles_and_company`). */
  type?: string;
}

export interface DestinationsOptions {
  /** Only destinations whose name contains this text (case-insensitive); also sent to the vendor where it searches. */
  search?: string;
}

/** Instantly: a lead list (`POST /api/v2/lead-lists`). */
export interface InstantlyNewList {
  kind: "list";
  name: string;
  /** Run Instantly's enrichment on every lead added. */
  hasEnrichmentTask?: boolean;
  /** The owner's user id (default: the API key's user). */
  ownedBy?: string;
}

/** Amplemarket: a lead list (`POST /lead-lists`), created empty. */
export interface AmplemarketNewList {
  kind: "list";
  name: string;
  type: "linkedin" | "email" | "titles_and_company";
  /** The owner's email: Amplemarket requires it. */
  owner: string;
  /** Shared across the account (default false: Amplemarket requires a value). */
  shared?: boolean;
  visible?: boolean;
  options?: { reveal_phone_numbers?: boolean; validate_email?: boolean; enrich?: boolean };
}

/** What `createDestination` takes, per vendor. */
export interface NewDestinations {
  instantly: InstantlyNewList;
  amplemarket: AmplemarketNewList;
}

export type NewDestination<V extends VendorName> = V extends keyof NewDestinations
  ? NewDestinations[V]
  : { kind: string; name: string };

/** One vendor's destination operations; a vendor without one of them answers {@link UnsupportedOperationError}. */
export interface DestinationOps {
  list?(transport: ReadTransport, options: DestinationsOptions): AsyncIterable<DestinationInfo>;
  create?(transport: ReadTransport, spec: { kind: string; name: string }): Promise<DestinationInfo>;
  /** An operation the vendor documents no endpoint for: which endpoint is missing, and what that means. */
  missing?: { list?: string; why: string };
}

/**
 * The vendor documents no endpoint for this operation, so LeadBridge cannot do it (nothing was sent).
 * `operation` names what is missing, e.g. "GET /lead-lists (list lead lists)".
 */
export class UnsupportedOperationError extends LeadBridgeError {
  override name = "UnsupportedOperationError";
  override readonly code = "unsupported_operation";
  constructor(
    vendor: string,
    readonly operation: string,
    why: string,
  ) {
    super(`${vendor}: ${why}: the vendor documents no ${operation} endpoint`, { vendor });
  }
}
