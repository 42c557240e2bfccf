import type { Pacer, SharedPacing } from "../bridge.js";
import type { LeadResult, Outcome } from "../lead.js";
import type { RateWindow } from "../limiter.js";

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

/** A lead that passed validation, mapped to the vendor's body and serialized once. */
export interface PreparedLead<Mapped> {
  index: number;
  /** Not kept after serialization (memory): the JSON is what is sent. Present only as a type witness. */
  body?: Mapped;
  /**
   * `JSON.stringify(body)`; requests are assembled from these strings so each lead is serialized only once.
   * Empty once the batch is sent: `encodeLeads` keeps its bytes instead.
   */
  json: string;
  bytes: number;
}

export interface ValidateContext {
  /** ISO 3166 alpha-2 country for phone numbers written without a country code. */
  defaultCountry?: string;
}

/** What the vendor answered, as openapi-fetch returns it. */
export interface VendorAnswer {
  status: number;
  data?: unknown;
  error?: unknown;
  headers: Headers;
}

export interface Interpretation {
  /** One per batch item, in batch order. */
  outcomes: Array<Omit<LeadResult, "index">>;
  warnings?: string[];
  /** Send nothing more to this destination in this call; unsent leads are `rejected` with this reason. */
  closeDestination?: string;
}

export interface InterpretContext {
  /** An earlier attempt of this batch may have been processed (its answer was lost). */
  afterUnknownOutcome: boolean;
  /** Human label for the batch, e.g. "batch 3 (leads 2000–2999)". */
  label: string;
}

/** What a duplicate key is, as a reason names it. */
export type DedupeKind = "email" | "phone" | "LinkedIn URL" | "title and company";

/** Thrown by `validate` to reject one lead; `reason` is shown to a person. */
export class InvalidLead {
  constructor(readonly reason: string) {}
}

export function invalid(reason: string): never {
  throw new InvalidLead(reason);
}

/** Reads an environment variable wherever there is one (Node, Bun, Deno with --allow-env); undefined elsewhere. */
export function env(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Everything that differs between vendors. The core only ever talks to this interface; a new vendor is
 * a spec folder, a client package and one of these, registered in `adapters/index.ts`.
 */
export interface VendorAdapter<Destination extends { vendor: string }, Config, Mapped, Client> {
  readonly vendor: Destination["vendor"];
  readonly maxBatchSize: number;
  /** The vendor's documented rate limits, per credential. Empty when it documents none. */
  readonly rateLimits: readonly RateWindow[];
  /** The credential (joined into one token) from the config or the environment, or the names of what is missing. */
  credentials(config: Config | undefined): { token: string; secrets: string[] } | { missing: string[] };
  createClient(
    token: string,
    transport: { baseUrl?: string; fetch: typeof fetch; headers?: Record<string, string> },
  ): Client;
  /** Every key a destination of this vendor may have (`vendor` included); any other is a typo. */
  readonly destinationKeys: readonly string[];
  /** A problem with the destination itself (a malformed id), or undefined. */
  checkDestination(destination: Destination): string | undefined;
  /** Whether resending the same leads to this destination is harmless (the vendor drops leads it already has). */
  dedupes(destination: Destination): boolean;
  /** Maps one input lead to the vendor's lead object, or throws `InvalidLead` with a reason. */
  validate(lead: unknown, destination: Destination, context: ValidateContext): Mapped;
  /**
   * Passes each key under which two leads of one call count as the same lead at this destination
   * (lower-cased email, E.164 phone, or whatever identity the destination has) to `key`, stopping when it
   * returns false. A callback, not an array of joined strings: this runs once per lead and the joined
   * strings cost more to hash than the work they saved.
   */
  dedupeKeys(mapped: Mapped, key: (kind: DedupeKind, value: string) => boolean, destination: Destination): void;
  /** Bytes of the request body around the leads. */
  requestOverhead(destination: Destination): number;
  send(client: Client, destination: Destination, batch: readonly PreparedLead<Mapped>[]): Promise<VendorAnswer>;
  /** Outcomes for a batch from an answer that is neither retryable nor call-stopping. */
  interpret(
    answer: VendorAnswer,
    batch: readonly PreparedLead<Mapped>[],
    destination: Destination,
    context: InterpretContext,
  ): Interpretation;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds adapters of different types.
export type AnyAdapter = VendorAdapter<any, any, any, any>;

const encoder = new TextEncoder();
/** A body built from encoded leads, with the prefix and suffix it was built with. */
interface Body {
  prefix: string;
  suffix: string;
  bytes: Uint8Array;
}
/**
 * A sent batch's leads as UTF-8 joined by commas (set by `encodeLeads`), then the whole body built from
 * them by `joinLeads`, which replaces them: a batch holds one copy of its bytes, reused on every attempt.
 */
const encodedLeads = new WeakMap<readonly PreparedLead<unknown>[], Uint8Array | Body>();

/**
 * Encodes the batch's leads to UTF-8 once (joined by commas) and drops their JSON strings. The strings
 * would otherwise stay on the JS heap until the batch settles, long enough to be promoted to the old
 * generation; bytes outside the heap are freed with the batch and keep the heap from growing with them.
 */
export function encodeLeads(batch: PreparedLead<unknown>[]): void {
  let total = batch.length > 0 ? batch.length - 1 : 0;
  for (let i = 0; i < batch.length; i++) total += batch[i]!.bytes;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < batch.length; i++) {
    const lead = batch[i]!;
    if (i > 0) out[at++] = 0x2c;
    at += encoder.encodeInto(lead.json, out.subarray(at)).written;
    lead.json = "";
  }
  encodedLeads.set(batch, at === total ? out : out.subarray(0, at));
}

/**
 * Assembles a request body from pre-serialized leads: `prefix` + leads joined by commas + `suffix`, as
 * bytes when the batch went through `encodeLeads`, else as a string. The bytes are not handed over:
 * `fetch` copies a byte body into its request, so the same bytes serve every attempt.
 */
export function joinLeads(
  prefix: string,
  batch: readonly PreparedLead<unknown>[],
  suffix: string,
): string | Uint8Array {
  const encoded = encodedLeads.get(batch);
  if (encoded) {
    let leads: Uint8Array;
    if (encoded instanceof Uint8Array) leads = encoded;
    else {
      if (encoded.prefix === prefix && encoded.suffix === suffix) return encoded.bytes;
      const start = encoder.encode(encoded.prefix).length;
      leads = encoded.bytes.subarray(start, encoded.bytes.length - encoder.encode(encoded.suffix).length);
    }
    const head = encoder.encode(prefix);
    const tail = encoder.encode(suffix);
    const bytes = new Uint8Array(head.length + leads.length + tail.length);
    bytes.set(head, 0);
    bytes.set(leads, head.length);
    bytes.set(tail, head.length + leads.length);
    encodedLeads.set(batch, { prefix, suffix, bytes });
    return bytes;
  }
  const parts = new Array<string>(batch.length);
  for (let i = 0; i < batch.length; i++) parts[i] = batch[i]!.json;
  // One join allocates the body once; `+=` in a loop would build a rope and flatten it.
  return prefix + parts.join(",") + suffix;
}

/** The same outcome for every lead of a batch. */
export function all(batch: readonly unknown[], outcome: Outcome, reason?: string): Interpretation["outcomes"] {
  const one = reason === undefined ? { outcome } : { outcome, reason };
  return batch.map(() => one);
}

/** Every lead of a batch the vendor refused as a whole, with its status and message. */
export function refusedBatch(vendorName: string, answer: VendorAnswer, batch: readonly unknown[]): Interpretation {
  return {
    outcomes: all(
      batch,
      "rejected",
      `${vendorName} refused the batch (${answer.status}): ${vendorMessage(answer.error)}`,
    ),
  };
}

/** A short human text for a vendor error body, whatever its shape. */
export function vendorMessage(body: unknown): string {
  if (body == null) return "no details";
  if (typeof body === "string") return body.slice(0, 300);
  if (typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (typeof b.message === "string") return b.message;
    if (Array.isArray(b._errors)) {
      return b._errors
        .map((e) => (e && typeof e === "object" ? String((e as { detail?: unknown }).detail ?? "") : ""))
        .filter(Boolean)
        .join("; ");
    }
    if (typeof b.title === "string") return b.title;
  }
  return JSON.stringify(body).slice(0, 300);
}
