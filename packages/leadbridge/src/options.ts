// What `createLeadBridge` and `addLeads` accept, and the checks that turn a bad option into a
// ConfigurationError naming it before anything is read or sent.
import type { CoreAdapter, VendorConfigs, VendorName } from "./adapters/index.js";
import type { DestinationInfo } from "./destinations/types.js";
import { ConfigurationError } from "./errors.js";
import type { LeadResult } from "./lead.js";
import { MAX_CONCURRENCY } from "./pacing.js";
import type { RetryOptions } from "./retry.js";

export interface LeadBridgeOptions extends VendorConfigs {
  /** The fetch to send requests with; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** ISO 3166 alpha-2 country (e.g. "US") for phone numbers written without a country code. */
  defaultCountry?: string;
  /** The default of `addLeads`' `strict` option. */
  strict?: boolean;
  /** Largest request body, in bytes; batches are cut before it. Default 10 MiB. */
  maxBatchBytes?: number;
}

export interface AddLeadsOptions {
  /** Leads per request; at most the vendor's maximum, which is the default. */
  batchSize?: number;
  /**
   * The most requests in flight at once: an integer from 1 to `MAX_CONCURRENCY` (256), the default. Within it,
   * the number adapts per credential: it grows until the rate limit (or the vendor's latency) is what holds
   * requests back, and falls when the vendor shows strain (slower answers, 429, 5xx, timeouts).
   */
  concurrency?: number;
  /** Stops starting batches; in-flight ones settle; the rest are `failed` with reason `aborted`. */
  signal?: AbortSignal;
  /** Validate and map only: no request is sent; valid leads are `skipped` with reason `dry_run`. */
  dryRun?: boolean;
  /** Keep per-lead results in the report (default true). Off, `report.results` is empty: use `onResult`. */
  keepResults?: boolean;
  /**
   * Report a lead whose email, phone or LinkedIn URL an earlier lead of this call had as `duplicate`, and
   * do not send it. The check remembers up to `maxKeys` keys (about 40 bytes each), so memory stays
   * bounded on any input; past that, new keys go unremembered and the report warns. `false` leaves
   * duplicates to the vendor. Default `{ maxKeys: 1_000_000 }`.
   */
  checkDuplicates?: boolean | { maxKeys: number };
  /** Overrides the bridge's option for this call. */
  defaultCountry?: string;
  /**
   * Any unusable field makes the lead `invalid` (`invalid_field`). By default only a field the destination
   * needs does (an Instantly campaign's email, an NLPearl pearl's phone, an Amplemarket list's key field);
   * another unusable field (a phone of `ext. 204` for an Instantly campaign) is dropped, the lead is sent
   * without it, and its result's `warnings` say so (code `dropped_field`). Overrides the bridge's option.
   */
  strict?: boolean;
  /** Overrides the bridge's option for this call. */
  maxBatchBytes?: number;
  /** Overrides fields of the bridge's retry policy for this call. */
  retry?: RetryOptions;
  onProgress?: (progress: Progress) => void;
  /**
   * Right before a batch's first request is sent, and awaited: a resume journal records the batch as
   * in flight here, so a crash after the send leaves its leads "in doubt" rather than "never sent".
   * A throw (or rejection) stops the call, and this batch is not sent.
   */
  onBatchStart?: (batch: BatchStarting) => void | Promise<void>;
  /** After each batch settles: which leads it held and what became of them (for resume journals). */
  onBatch?: (batch: BatchSettled) => void;
  /** Every final result, in the order they settle (invalid and duplicate leads settle as they are read). */
  onResult?: (result: LeadResult) => void;
  /**
   * What to do when the destination is full (Amplemarket: 60,000 leads a list). `"rejected"` (the default):
   * the rest are `rejected` with code `list_full`. `"new-list"`: the rest go to a new list named after the
   * destination (`<name> (2)`, `(3)`, …) with its type and settings; `LeadResult.destinationId` names it.
   */
  overflow?: "rejected" | "new-list";
  /**
   * Leads the destination holds when the call starts, when known (a list just created: 0). With
   * `overflow: "new-list"`, batches are then split at the cap exactly; otherwise the cap is learnt from the
   * vendor's `list_full` answer, and a batch that straddles it is reported `unknown` for the leads it did not say.
   */
  destinationLeadCount?: number;
  /** Called when the call creates a destination (`overflow: "new-list"`), before any lead is sent to it. */
  onDestination?: (destination: DestinationInfo) => void;
}

export interface Progress {
  /** Leads read from the input so far. */
  read: number;
  /** Leads in requests sent so far (each lead counted once, however many attempts). */
  sent: number;
  /** Leads the vendor has answered for. */
  acknowledged: number;
  /** Leads settled in any way. */
  settled: number;
}

export interface BatchStarting {
  /** 0-based sequence number of the batch in this call (the same as its `BatchSettled.batch`). */
  batch: number;
  vendor: VendorName;
  /** The input indexes of the batch's leads. */
  indexes: number[];
  /** Resending this batch after a lost answer is harmless: the vendor deduplicates, or `retry.retryUnknownOutcome`. */
  resendable: boolean;
}

export interface BatchSettled {
  /** 0-based sequence number of the batch in this call. */
  batch: number;
  vendor: VendorName;
  /** The batch's leads, by input index, with their outcomes. */
  results: LeadResult[];
  /** Requests sent for this batch (0 when it was never sent). */
  attempts: number;
  /** The vendor answered for this batch, so its outcomes are final. False when sent without an answer, or unsent. */
  acknowledged: boolean;
}

export const DEFAULT_MAX_BATCH_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_DUPLICATE_KEYS = 1_000_000;
/**
 * The most requests one call keeps in flight. No vendor gains from more (Instantly allows 100 requests a
 * second, Amplemarket 500 a minute), and each one holds a batch in memory: a larger number is a mistake.
 */
export { MAX_CONCURRENCY };

/** A call's limits, checked. */
export interface CallLimits {
  batchSize: number;
  concurrency: number;
  /** 0: no duplicate check. */
  maxDuplicateKeys: number;
  maxBatchBytes: number;
}

/** The call's limits from its options and the bridge's, or a ConfigurationError naming the bad one. */
export function callLimits(adapter: CoreAdapter, bridge: LeadBridgeOptions, call: AddLeadsOptions): CallLimits {
  const vendor = adapter.descriptor.name;
  const max = adapter.descriptor.maxLeadsPerRequest;
  const batchSize = call.batchSize ?? max;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= max)) {
    throw new ConfigurationError(`batchSize must be an integer from 1 to ${max} for ${vendor}`);
  }
  const concurrency = call.concurrency ?? MAX_CONCURRENCY;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_CONCURRENCY))
    throw new ConfigurationError(
      `concurrency must be an integer from 1 to ${MAX_CONCURRENCY} (requests in flight at once), got ${concurrency}`,
    );
  const check = call.checkDuplicates ?? true;
  const maxDuplicateKeys =
    check === false ? 0 : check === true ? DEFAULT_MAX_DUPLICATE_KEYS : (check as { maxKeys?: unknown })?.maxKeys;
  if (!(check === false || (Number.isInteger(maxDuplicateKeys) && (maxDuplicateKeys as number) >= 1)))
    throw new ConfigurationError("checkDuplicates must be true, false or { maxKeys: an integer ≥ 1 }");
  const maxBatchBytes = call.maxBatchBytes ?? bridge.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  if (!(maxBatchBytes > 0)) throw new ConfigurationError("maxBatchBytes must be a positive number");
  return { batchSize, concurrency, maxDuplicateKeys: maxDuplicateKeys as number, maxBatchBytes };
}
