import type { VendorDescriptor } from "@leadbridge/instantly";
import type { DestinationInfo } from "../destinations/types.js";
import { vendorMessage } from "../errors.js";
import type { LeadCode, LeadResult } from "../lead.js";
import type { RateWindow } from "../limiter.js";
import type { Pacer, SharedPacing } from "../pacing.js";
import type { Redactor } from "../redact.js";
import type { FieldReader } from "./fields.js";

export { vendorMessage };

/** Options every vendor accepts besides its credentials. */
export interface VendorTransportConfig {
  /** Defaults to the vendor's production server. Must be https unless it is a loopback address. */
  baseUrl?: string;
  /** Headers sent with every request to this vendor. */
  headers?: Record<string, string>;
  /**
   * Pacing for this credential: windows to keep under (default: the vendor's documented limits), or `false`
   * to send unpaced. A `SlidingWindowLimiter` instance is used as is, e.g. to share one between two keys of
   * one Instantly workspace. An object with `pacerFor(key)` (e.g. `@leadbridge/redis`'s pacing) is handed
   * the vendor, base URL, a hash of the credential and the vendor's limits, and makes the pacer.
   */
  rateLimit?: readonly RateWindow[] | false | Pacer | SharedPacing;
}

export interface ValidateContext {
  /** ISO 3166 alpha-2 country for phone numbers written without a country code. */
  defaultCountry?: string;
  /** `overflow: "new-list"`: where full destinations roll over to (only for vendors with a per-destination cap). */
  overflow?: OverflowContext;
}

/** What an adapter needs to roll a full destination over to new ones. */
export interface OverflowContext {
  /** The call's transport, retried, for reading the destination and creating the next. */
  transport: ReadTransport;
  /** Leads the destination holds when the call starts, when known. */
  heldAtStart?: number;
  onDestination?: (destination: DestinationInfo) => void;
}

/** How a call reaches the vendor: the joined credential and the client options. */
export interface Transport {
  token: string;
  baseUrl?: string;
  headers?: Record<string, string>;
  fetch: typeof fetch;
}

/** A transport for reads and creates outside an import, with the bridge's redactor for the errors they raise. */
export interface ReadTransport extends Transport {
  redactor: Redactor;
}

/** What the vendor answered, as openapi-fetch returns it. */
export interface VendorAnswer {
  status: number;
  data?: unknown;
  error?: unknown;
  headers: Headers;
}

/** One lead's outcome as an adapter reads it from an answer (the outcome follows from the code). */
export type LeadVerdict = Omit<LeadResult, "index" | "outcome" | "duplicateOf">;

export interface Interpretation {
  /** One per batch item, in batch order. */
  outcomes: LeadVerdict[];
  warnings?: string[];
  /** Send nothing more to this destination in this call; unsent leads are `rejected` with this reason. */
  closeDestination?: { code: LeadCode; reason: string };
}

export interface InterpretContext {
  /** An earlier attempt of this batch may have been processed (its answer was lost). */
  afterUnknownOutcome: boolean;
  /** Human label for the batch, e.g. "batch 3 (leads 2000–2999)". */
  label: string;
}

/** What a duplicate key is, as a reason names it. */
export type DedupeKind = "email" | "phone" | "LinkedIn URL" | "title and company";

/** The JSON around a batch's leads: `prefix` + leads joined by commas + `suffix` is the request body. */
export interface Envelope {
  prefix: string;
  suffix: string;
}

/** An adapter bound to one call's destination (and, unless the call is a dry run, its transport). */
export interface OpenAdapter<Mapped> {
  /**
   * The lead fields this destination cannot do without (Instantly campaign: `email`; NLPearl: `phone`): one
   * of them unusable makes the lead invalid, while another unusable field is dropped with a warning (unless
   * the call is `strict`). The one place a vendor says so; a need several fields can meet (an Instantly
   * list's email or name) is checked in `toVendorLead` with `fields.need`.
   */
  readonly needs: readonly string[];
  /**
   * Maps one input lead to the vendor's lead object, reading its fields through `fields` (which drops an
   * unusable field the destination does not need), or throws `InvalidLead` with a reason.
   */
  toVendorLead(lead: unknown, fields: FieldReader): Mapped;
  /**
   * Passes each key under which two leads of one call count as the same lead at this destination
   * (lower-cased email, E.164 phone, or the destination's own identity) to `key`. A callback, not an array
   * of joined strings: this runs once per lead and the joined strings cost more to hash than they save.
   */
  keys(mapped: Mapped, key: (kind: DedupeKind, value: string) => boolean): void;
  readonly envelope: Envelope;
  /** Sends one batch's body: `envelope` around the leads' JSON. */
  send(body: Uint8Array): Promise<VendorAnswer>;
  /** Outcomes for a batch of `size` leads from an answer that is neither retryable nor call-stopping. */
  interpret(answer: VendorAnswer, size: number, context: InterpretContext): Interpretation;
}

/**
 * Everything that differs between vendors, beside the facts in its descriptor. The core only talks to
 * this interface; a new vendor is a spec folder, a client package and one of these, listed in `index.ts`.
 */
export interface VendorAdapter<Destination extends { vendor: string }, Mapped> {
  readonly descriptor: VendorDescriptor<Destination["vendor"]>;
  /** Every key a destination of this vendor may have (`vendor` included); any other is a typo. */
  readonly destinationKeys: readonly string[];
  /** A problem with the destination itself (a malformed id), or undefined. */
  checkDestination(destination: Destination): string | undefined;
  /** Binds the adapter to one call. Without a transport (a dry run), `send` throws. */
  open(destination: Destination, transport: Transport | undefined, context: ValidateContext): OpenAdapter<Mapped>;
}

/** Thrown by `toVendorLead` to reject one lead; `reason` is shown to a person. */
export class InvalidLead {
  constructor(readonly reason: string) {}
}

export function invalid(reason: string): never {
  throw new InvalidLead(reason);
}

/** Every key a destination of `descriptor`'s vendor may have: `vendor`, its fields, its import options, `more`. */
export function destinationKeysOf(descriptor: VendorDescriptor, more: readonly string[] = []): string[] {
  const fields = descriptor.destinations.flatMap((kind) => kind.fields.map((f) => f.option));
  const options = (descriptor.importOptions ?? []).map((f) => f.option);
  return [...new Set(["vendor", ...fields, ...options, ...more])];
}

/** The values a destination field allows, from the descriptor (e.g. Amplemarket's list types). */
export function fieldValues(descriptor: VendorDescriptor, option: string): readonly string[] {
  for (const kind of descriptor.destinations)
    for (const field of kind.fields) if (field.option === option && field.values) return field.values;
  throw new Error(`${descriptor.name}'s descriptor lists no values for ${option}`);
}

/** openapi-fetch request options that send `body` as it is: the bytes the core assembled. */
export function rawBody(body: Uint8Array): { bodySerializer: () => Uint8Array } {
  return { bodySerializer: () => body };
}

/** The one way every adapter's `send` turns openapi-fetch's result into a `VendorAnswer`. */
export async function answerOf(
  request: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<VendorAnswer> {
  const { data, error, response } = await request;
  return { status: response.status, data, error, headers: response.headers };
}

/** The client to send with; a dry run has none, and never sends. */
export function sending<Client>(client: Client | undefined): Client {
  if (client === undefined) throw new Error("LeadBridge bug: a dry run tried to send a request");
  return client;
}

/** The same verdict for every lead of a batch of `size`. */
export function all(size: number, code: LeadCode, reason?: string): LeadVerdict[] {
  const one: LeadVerdict = reason === undefined ? { code } : { code, reason };
  return new Array<LeadVerdict>(size).fill(one);
}

/** Every lead of a batch the vendor refused as a whole, with its status and message. */
export function refusedBatch(vendorName: string, answer: VendorAnswer, size: number): Interpretation {
  return {
    outcomes: all(
      size,
      "rejected_by_vendor",
      `${vendorName} refused the batch (${answer.status}): ${vendorMessage(answer.error)}`,
    ),
  };
}
