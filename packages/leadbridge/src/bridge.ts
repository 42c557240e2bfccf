import {
  type AnyAdapter,
  encodeLeads,
  InvalidLead,
  type PreparedLead,
  type VendorAnswer,
  vendorMessage,
} from "./adapters/adapter.js";
import { adapters, type Destination, type VendorConfigs, type VendorName } from "./adapters/index.js";
import { Batcher, iteratorOf, utf8Length } from "./batcher.js";
import { AdaptiveConcurrency, type InFlightPermit } from "./concurrency.js";
import { SeenKeys } from "./dedupe.js";
import {
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  InputError,
  LeadBridgeError,
  MissingCredentialsError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redact,
  registerSecret,
  ServerError,
  TimeoutError,
  UnparseableAnswerError,
} from "./errors.js";
import { type Lead, type LeadResult, type LeadSource, type Outcome, Reasons } from "./lead.js";
import { type RateWindow, SlidingWindowLimiter, sleep } from "./limiter.js";
import { type Report, ReportBuilder } from "./report.js";
import {
  isRetryableStatus,
  parseRetryAfter,
  provedNotSent,
  type ResolvedRetry,
  type RetryOptions,
  resolveRetry,
  retryDelay,
} from "./retry.js";

export interface LeadBridgeOptions extends VendorConfigs {
  /** The fetch to send requests with; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** ISO 3166 alpha-2 country (e.g. "US") for phone numbers written without a country code. */
  defaultCountry?: string;
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

export interface LeadBridge {
  /** Adds `leads` to `destination` and accounts for every one of them. */
  addLeads(destination: Destination, leads: LeadSource<Lead | unknown>, options?: AddLeadsOptions): Promise<Report>;
}

const DEFAULT_MAX_BATCH_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_DUPLICATE_KEYS = 1_000_000;
/**
 * The most requests one call keeps in flight. No vendor gains from more (Instantly allows 100 requests a
 * second, Amplemarket 500 a minute), and each one holds a batch in memory: a larger number is a mistake.
 */
export const MAX_CONCURRENCY = 256;
const DEFAULT_CONCURRENCY = MAX_CONCURRENCY;

export interface Pacer {
  acquire(signal?: AbortSignal): Promise<{ release(): void } | undefined>;
  pauseUntil?(until: number): void;
  /** The vendor answered 429 although paced: stop assuming requests reach it quickly. */
  assumeSlowTransit?(): void;
}

/** What identifies one vendor account's pace, for a pacer shared beyond this process (never the credential). */
export interface PacerKey {
  vendor: VendorName;
  /** `undefined`: the vendor's production server. */
  baseUrl: string | undefined;
  /** SHA-256 (hex) of the credential, domain-separated: `sha256("leadbridge-credential\0" + token)`. */
  credentialHash: string;
  /** The vendor's documented limits. */
  windows: readonly RateWindow[];
}

/** A `rateLimit` that makes one pacer per vendor account, e.g. a Redis-backed one shared by many processes. */
export interface SharedPacing {
  pacerFor(key: PacerKey): Pacer;
}

/** A pacer's `acquire` failed: the request was never sent, and the call stops with the pacer's error. */
class PacerFailure extends Error {}

/** Limiters by vendor, base URL and credential: every bridge and call using one credential shares its pace. */
const sharedLimiters = new Map<string, SlidingWindowLimiter>();

function limiterFor(key: string, windows: readonly RateWindow[]): SlidingWindowLimiter {
  let limiter = sharedLimiters.get(key);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(windows);
    sharedLimiters.set(key, limiter);
  }
  return limiter;
}

/** Adaptive in-flight limits by vendor, base URL and credential, shared like the pacers. */
const sharedConcurrency = new Map<string, AdaptiveConcurrency>();

function concurrencyFor(key: string, pacer: Pacer | undefined): AdaptiveConcurrency {
  // Our own pacer tells the rate ceiling, so slow start can jump to what fills it.
  const ratePerMs =
    pacer instanceof SlidingWindowLimiter
      ? Math.min(...pacer.windows.map((w) => w.limit / w.windowMs))
      : Number.POSITIVE_INFINITY;
  key += `\u0000${ratePerMs}`;
  let limit = sharedConcurrency.get(key);
  if (!limit) {
    limit = new AdaptiveConcurrency({ tuning: { max: MAX_CONCURRENCY, ratePerMs } });
    sharedConcurrency.set(key, limit);
  }
  return limit;
}

/** A base URL must be https, except on loopback (local simulators and proxies). */
export function checkBaseUrl(vendor: string, baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`${vendor}.baseUrl is not a URL`, { vendor });
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ConfigurationError(
      `${vendor}.baseUrl must use https (plain http is allowed only for loopback addresses)`,
      {
        vendor,
      },
    );
  }
}

/** The candidate closest to `word` by edit distance, ignoring case: the likely intended spelling of a typo. */
function nearest(word: string, candidates: readonly string[]): string {
  let best = candidates[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** Creates a bridge to the vendors configured in `options` (credentials fall back to the environment). */
export function createLeadBridge(options: LeadBridgeOptions = {}): LeadBridge {
  const baseFetch = options.fetch ?? globalThis.fetch;
  if (typeof baseFetch !== "function") throw new ConfigurationError("no fetch: pass the `fetch` option");
  const bridgeRetry = resolveRetry(options.retry);
  for (const vendor of Object.keys(adapters) as VendorName[]) {
    const config = options[vendor];
    if (config?.baseUrl !== undefined) checkBaseUrl(vendor, config.baseUrl);
    for (const key of ["apiKey", "secretKey", "accountId"])
      registerSecret((config as Record<string, string> | undefined)?.[key]);
    // Headers that carry credentials (e.g. a proxy's `Authorization: Basic …`) are secrets as well.
    for (const [name, value] of Object.entries(config?.headers ?? {}))
      if (/auth|key|token|secret|cookie/i.test(name)) registerSecret(value);
  }

  return {
    async addLeads(destination, leads, callOptions = {}) {
      const vendor = (destination as { vendor?: unknown })?.vendor;
      const adapter: AnyAdapter | undefined =
        typeof vendor === "string" && Object.hasOwn(adapters, vendor) ? adapters[vendor as VendorName] : undefined;
      if (!adapter) {
        throw new ConfigurationError(
          `unknown destination vendor ${JSON.stringify(vendor)}; use one of ${Object.keys(adapters).join(", ")}`,
        );
      }
      for (const key of Object.keys(destination)) {
        if (!adapter.destinationKeys.includes(key)) {
          throw new ConfigurationError(
            `unknown ${adapter.vendor} destination key ${JSON.stringify(key)}; did you mean ${JSON.stringify(nearest(key, adapter.destinationKeys))}? (${adapter.vendor} destinations take ${adapter.destinationKeys.join(", ")})`,
            { vendor: adapter.vendor },
          );
        }
      }
      const problem = adapter.checkDestination(destination);
      if (problem) throw new ConfigurationError(problem, { vendor: adapter.vendor });
      const config = options[adapter.vendor as VendorName];
      const dryRun = callOptions.dryRun === true;

      const batchSize = callOptions.batchSize ?? adapter.maxBatchSize;
      if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= adapter.maxBatchSize)) {
        throw new ConfigurationError(
          `batchSize must be an integer from 1 to ${adapter.maxBatchSize} for ${adapter.vendor}`,
        );
      }
      const concurrency = callOptions.concurrency ?? DEFAULT_CONCURRENCY;
      if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_CONCURRENCY))
        throw new ConfigurationError(
          `concurrency must be an integer from 1 to ${MAX_CONCURRENCY} (requests in flight at once), got ${concurrency}`,
        );
      const check = callOptions.checkDuplicates ?? true;
      const maxDuplicateKeys =
        check === false ? 0 : check === true ? DEFAULT_MAX_DUPLICATE_KEYS : (check as { maxKeys?: unknown })?.maxKeys;
      if (!(check === false || (Number.isInteger(maxDuplicateKeys) && (maxDuplicateKeys as number) >= 1)))
        throw new ConfigurationError("checkDuplicates must be true, false or { maxKeys: an integer ≥ 1 }");
      const maxBatchBytes = callOptions.maxBatchBytes ?? options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
      if (!(maxBatchBytes > 0)) throw new ConfigurationError("maxBatchBytes must be a positive number");

      let client: unknown;
      let pacer: Pacer | undefined;
      let inFlight: AdaptiveConcurrency | undefined;
      const retry = callOptions.retry ? resolveRetry({ ...bridgeRetry, ...callOptions.retry }) : bridgeRetry;
      if (!dryRun) {
        const credentials = adapter.credentials(config);
        if ("missing" in credentials) throw new MissingCredentialsError(adapter.vendor, credentials.missing);
        for (const secret of credentials.secrets) registerSecret(secret);
        pacer = await pacerFor(adapter, config, credentials.token);
        inFlight = concurrencyFor(`${adapter.vendor}\u0000${config?.baseUrl ?? ""}\u0000${credentials.token}`, pacer);
        client = adapter.createClient(credentials.token, {
          baseUrl: config?.baseUrl,
          headers: config?.headers,
          fetch: timedFetch(baseFetch, pacer, retry.timeoutMs, inFlight),
        });
      }

      return runCall({
        adapter,
        destination,
        leads,
        client,
        pacer,
        inFlight,
        retry,
        dryRun,
        batchSize,
        concurrency,
        maxBatchBytes,
        maxDuplicateKeys: maxDuplicateKeys as number,
        defaultCountry: callOptions.defaultCountry ?? options.defaultCountry,
        options: callOptions,
      });
    },
  };
}

async function pacerFor(
  adapter: AnyAdapter,
  config: { baseUrl?: string; rateLimit?: unknown } | undefined,
  token: string,
): Promise<Pacer | undefined> {
  const setting = config?.rateLimit;
  if (setting === false) return undefined;
  if (setting && typeof (setting as Pacer).acquire === "function") return setting as Pacer;
  if (setting && typeof (setting as SharedPacing).pacerFor === "function") {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`leadbridge-credential\0${token}`));
    const credentialHash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    const windows = adapter.rateLimits;
    return (setting as SharedPacing).pacerFor({
      vendor: adapter.vendor,
      baseUrl: config?.baseUrl,
      credentialHash,
      windows,
    });
  }
  const windows = (Array.isArray(setting) ? setting : adapter.rateLimits) as RateWindow[];
  if (windows.length === 0) return undefined;
  return limiterFor(
    `${adapter.vendor}\u0000${config?.baseUrl ?? ""}\u0000${JSON.stringify(windows)}\u0000${token}`,
    windows,
  );
}

/** Thrown for an attempt whose answer could not be read: a custom fetch gave no `Response`. */
class UnreadableAnswer extends Error {
  override name = "UnreadableAnswer";
}

/** Statuses whose Response must have no body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Takes a pacing permit right before the request leaves, then gives the request `timeoutMs` to answer,
 * body included. The deadline is our own timer racing the fetch and the body, not only an abort signal:
 * undici holds the signal of a wrapping Request weakly (after a garbage collection the abort never
 * arrives), and a custom fetch may ignore the signal or a body may never end. Each attempt's round trip
 * and outcome feed the credential's adaptive in-flight limit.
 */
function timedFetch(
  baseFetch: typeof fetch,
  pacer: Pacer | undefined,
  timeoutMs: number,
  inFlight: AdaptiveConcurrency,
): typeof fetch {
  return async (input, init) => {
    const pacingFrom = inFlight.now();
    const permit = pacer ? await pacer.acquire().catch(pacerFailed) : undefined;
    const sentAt = inFlight.now();
    let overload = true;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError");
        controller.abort(reason);
        reject(reason);
      }, timeoutMs);
    });
    let response: unknown;
    try {
      // One Request, not two: each wrapping of a streamed body adds a proxy stream that copies every chunk.
      // The signal goes in `init`, where fetch follows it directly (a wrapping Request's signal can be collected).
      const request = init === undefined ? input : new Request(input, init);
      response = await Promise.race([baseFetch(request, { signal: controller.signal }), deadline]);
      if (!isResponseLike(response)) {
        throw new UnreadableAnswer(`the fetch function returned ${describeValue(response)}, not a Response`);
      }
      // The whole body under the same deadline, so a body that never ends still ends the attempt.
      const body = await Promise.race([response.arrayBuffer(), deadline]);
      overload = isRetryableStatus(response.status);
      return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: new Headers(response.headers),
      });
    } catch (error) {
      // Frees the connection of a body we will not read.
      if (response instanceof Response && !response.bodyUsed) response.body?.cancel().catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
      // The answer (or the failure) is back: the server has certainly counted this request by now.
      permit?.release();
      const rttMs = inFlight.now() - sentAt;
      inFlight.observe({ sentAt, rttMs, pacedMs: sentAt - pacingFrom, outcome: overload ? "overload" : "ok" });
    }
  };
}

/**
 * A Response by its shape, not its class: fetch libraries (node-fetch, a bundled undici) return their
 * own Response classes, which openapi-fetch reads just as well.
 */
function isResponseLike(value: unknown): value is Response {
  const r = value as Partial<Response> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.status === "number" &&
    typeof r.arrayBuffer === "function" &&
    typeof r.headers?.get === "function"
  );
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `a ${typeof value}`;
}

function pacerFailed(error: unknown): never {
  throw new PacerFailure("pacer failed", { cause: error });
}

interface CallContext {
  adapter: AnyAdapter;
  destination: Destination;
  leads: LeadSource<unknown>;
  client: unknown;
  pacer: Pacer | undefined;
  /** The credential's adaptive in-flight limit; undefined in a dry run. */
  inFlight: AdaptiveConcurrency | undefined;
  retry: ResolvedRetry;
  dryRun: boolean;
  batchSize: number;
  concurrency: number;
  maxBatchBytes: number;
  /** 0: no duplicate check. */
  maxDuplicateKeys: number;
  defaultCountry: string | undefined;
  options: AddLeadsOptions;
}

type Prepared = PreparedLead<unknown>;

async function runCall(ctx: CallContext): Promise<Report> {
  const { adapter, destination, options, retry } = ctx;
  const report = new ReportBuilder(options.keepResults !== false, options.onResult);
  const seen = ctx.maxDuplicateKeys > 0 ? new SeenKeys(ctx.maxDuplicateKeys) : undefined;
  const overhead = adapter.requestOverhead(destination);
  const source = iteratorOf(ctx.leads);
  const progress: Progress = { read: 0, sent: 0, acknowledged: 0, settled: 0 };
  let stopError: unknown;
  let closedReason: string | undefined;
  let batchNumber = 0;
  let sourceBroken = false;

  const emitProgress = () => {
    progress.settled = report.settledCount();
    guard(() => options.onProgress?.({ ...progress }));
  };
  /** User callbacks must not break the accounting: a throw stops the call and is rethrown at the end. */
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      stopError ??= error;
    }
  };
  const settle = (index: number, outcome: Outcome, reason?: string, id?: string, into?: LeadResult[]) => {
    const clean = reason === undefined ? undefined : redact(reason);
    report.settle(index, outcome, clean, id);
    if (into) into.push(resultOf(index, outcome, clean, id));
  };

  const validateContext = { defaultCountry: ctx.defaultCountry };
  // Set per lead before dedupeKeys; one callback for the whole call, not a closure per lead.
  let current = 0;
  let firstOwner = -1;
  let duplicateKind = "";
  const claimKey = (kind: string, value: string): boolean => {
    const first = seen!.claim(kind, value, current);
    if (first >= 0 && first !== current) {
      firstOwner = first;
      duplicateKind = kind;
      return false;
    }
    return true;
  };
  // The hot path: runs once per lead, so no closures or intermediate objects unless the lead is dropped.
  const prepare = (lead: unknown): Prepared | undefined => {
    const index = progress.read++;
    let body: unknown;
    try {
      body = adapter.validate(lead, destination, validateContext);
    } catch (error) {
      const reason =
        error instanceof InvalidLead
          ? error.reason
          : `the lead could not be read: ${String((error as Error)?.message ?? error)}`;
      guard(() => settle(index, "invalid", reason));
      return undefined;
    }
    current = index;
    firstOwner = -1;
    if (seen) adapter.dedupeKeys(body, claimKey, destination);
    if (firstOwner >= 0) {
      const first = firstOwner;
      guard(() => settle(index, "duplicate", `same ${duplicateKind} as lead ${first} of this call; not sent`));
      return undefined;
    }
    const json = JSON.stringify(body);
    const bytes = utf8Length(json);
    if (overhead + bytes > ctx.maxBatchBytes) {
      guard(() =>
        settle(index, "invalid", `the lead is ${bytes} bytes as JSON, over the ${ctx.maxBatchBytes}-byte request cap`),
      );
      return undefined;
    }
    return { index, json, bytes };
  };

  const batcher = new Batcher(source, prepare, {
    maxCount: ctx.batchSize,
    maxBytes: ctx.maxBatchBytes,
    overheadBytes: overhead,
  });

  // Results of the batch being settled, for onBatch; only collected when someone listens.
  const collect = () => (options.onBatch ? ([] as LeadResult[]) : undefined);
  const finishBatch = (
    number: number,
    results: LeadResult[] | undefined,
    size: number,
    attempts: number,
    acknowledged: boolean,
  ) => {
    if (acknowledged) progress.acknowledged += size;
    emitProgress();
    if (results)
      guard(() => options.onBatch!({ batch: number, vendor: adapter.vendor, results, attempts, acknowledged }));
  };

  const settleAll = (batch: readonly Prepared[], outcome: Outcome, reason: string, into?: LeadResult[]) => {
    for (const { index } of batch) settle(index, outcome, reason, undefined, into);
  };

  const stopped = () => stopError !== undefined || options.signal?.aborted === true;

  async function sendBatch(number: number, batch: Prepared[]): Promise<void> {
    const label = `batch ${number} (leads ${batch[0]!.index}–${batch[batch.length - 1]!.index})`;
    const mayResend = adapter.dedupes(destination) || retry.retryUnknownOutcome;
    let afterUnknownOutcome = false;
    let attempts = 0;
    let lastFailure = "";
    let exhausted: (message: string) => LeadBridgeError = (m) => new ConnectionError(m);
    const results = collect();
    const done = (acknowledged: boolean) => finishBatch(number, results, batch.length, attempts, acknowledged);
    if (options.onBatchStart) {
      try {
        await options.onBatchStart({
          batch: number,
          vendor: adapter.vendor,
          indexes: batch.map((lead) => lead.index),
          resendable: mayResend,
        });
      } catch (error) {
        stopError ??= error;
      }
      if (stopped()) {
        settleAll(batch, "failed", stopReason(), results);
        return done(false);
      }
    }
    progress.sent += batch.length;
    emitProgress();
    encodeLeads(batch);
    for (;;) {
      attempts++;
      let answer: VendorAnswer | undefined;
      let thrown: unknown;
      try {
        answer = await adapter.send(ctx.client, destination, batch);
      } catch (error) {
        thrown = error;
      }
      // Found in the cause chain: openapi-fetch may wrap what fetch threw.
      const pacerError = causeOf(thrown, PacerFailure);
      if (pacerError) {
        // Not sent: pacing could not be had (a shared pacer's store is down), and later batches would fare no better.
        stopError ??= pacerError.cause;
        const lost = afterUnknownOutcome ? "; an earlier attempt, whose answer was lost, may have added it" : "";
        settleAll(batch, afterUnknownOutcome ? "unknown" : "failed", `${stopReason()}${lost}`, results);
        return done(false);
      }
      let retryAfterMs: number | undefined;
      if (answer) {
        const status = answer.status;
        const fatal = fatalError(adapter.vendor, answer);
        if (fatal) {
          stopError ??= fatal;
          settleAll(
            batch,
            afterUnknownOutcome ? "unknown" : "failed",
            afterUnknownOutcome
              ? `${fatal.code}; an earlier attempt, whose answer was lost, may have added it`
              : fatal.code,
            results,
          );
          return done(false);
        }
        if (!isRetryableStatus(status)) {
          const result = adapter.interpret(answer, batch, destination, { afterUnknownOutcome, label });
          for (let i = 0; i < batch.length; i++) {
            const o = result.outcomes[i] ?? {
              outcome: "unknown" as const,
              reason: "the vendor's answer did not cover this lead",
            };
            settle(batch[i]!.index, o.outcome, o.reason, o.vendorLeadId, results);
          }
          for (const warning of result.warnings ?? []) report.warn(redact(warning));
          if (result.closeDestination) closedReason ??= result.closeDestination;
          return done(true);
        }
        retryAfterMs = parseRetryAfter(answer.headers.get("retry-after"));
        if (status === 429) ctx.pacer?.assumeSlowTransit?.();
        if (status === 429 && retryAfterMs !== undefined)
          ctx.pacer?.pauseUntil?.(Date.now() + Math.min(retryAfterMs, retry.retryAfterCapMs));
        lastFailure = `${status === 429 ? "rate limited" : `HTTP ${status}`} on every attempt (${attempts})`;
        exhausted = (m) =>
          status === 429
            ? new RateLimitError(m, { vendor: adapter.vendor, status })
            : new ServerError(m, { vendor: adapter.vendor, status });
      } else if (provedNotSent(thrown)) {
        lastFailure = `could not connect on every attempt (${attempts})`;
        exhausted = (m) => new ConnectionError(m, { vendor: adapter.vendor, cause: thrown });
      } else {
        // Sent, but no answer we can read: the vendor may or may not have processed it.
        afterUnknownOutcome = true;
        const unparseable = unparseableAnswer(thrown);
        const what =
          unparseable !== undefined
            ? `an unparseable answer (${unparseable})`
            : isTimeout(thrown)
              ? `no answer within ${retry.timeoutMs} ms`
              : "the connection was lost before an answer";
        if (!mayResend) {
          settleAll(
            batch,
            "unknown",
            `${what}, so whether ${adapter.vendor} added the lead is unknown; ${adapter.vendor} does not deduplicate, so LeadBridge did not resend it (set retry.retryUnknownOutcome to resend)`,
            results,
          );
          return done(false);
        }
        lastFailure = `${what} (attempt ${attempts})`;
        exhausted = (m) =>
          unparseable !== undefined
            ? new UnparseableAnswerError(m, { vendor: adapter.vendor })
            : isTimeout(thrown)
              ? new TimeoutError(m, { vendor: adapter.vendor })
              : new ConnectionError(m, { vendor: adapter.vendor, cause: thrown });
      }
      const lost = afterUnknownOutcome ? "; an earlier attempt, whose answer was lost, may have added it" : "";
      if (attempts >= retry.maxAttempts) {
        // The vendor is down or refusing us: later batches would fare no better, so the call stops here.
        stopError ??= exhausted(`${adapter.vendor}: ${label} failed: ${lastFailure}`);
        settleAll(batch, afterUnknownOutcome ? "unknown" : "failed", `${lastFailure}${lost}`, results);
        return done(false);
      }
      try {
        if (stopped()) throw new Error("stopped");
        await sleep(retryDelay(attempts, retryAfterMs, retry), options.signal);
        if (stopped()) throw new Error("stopped");
      } catch {
        settleAll(batch, afterUnknownOutcome ? "unknown" : "failed", `${stopReason()}${lost}`, results);
        return done(false);
      }
    }
  }

  const stopReason = () => (stopError instanceof LeadBridgeError ? stopError.code : Reasons.aborted);

  /** Takes, accounts for and sends one batch; false when the worker should stop. */
  async function nextBatch(): Promise<boolean> {
    let batch: Prepared[] | undefined;
    try {
      batch = await batcher.next();
    } catch (error) {
      // The source broke: stop starting batches, let the other workers' batches settle, then account below.
      sourceBroken = true;
      stopError ??= new InputError(error);
      return false;
    }
    if (!batch) return false;
    const number = batchNumber++;
    if (stopped()) {
      const results = collect();
      settleAll(batch, "failed", stopReason(), results);
      finishBatch(number, results, batch.length, 0, false);
      return false;
    }
    if (ctx.dryRun || closedReason) {
      const results = collect();
      if (ctx.dryRun) settleAll(batch, "skipped", Reasons.dryRun, results);
      else settleAll(batch, "rejected", closedReason!, results);
      finishBatch(number, results, batch.length, 0, false);
      return true;
    }
    await sendBatch(number, batch);
    return true;
  }

  async function worker(): Promise<void> {
    while (!stopped()) {
      // A slot of the credential's adaptive limit before reading a batch: a waiting worker holds no leads.
      const slot: InFlightPermit | undefined = ctx.inFlight
        ? await ctx.inFlight.acquire(options.signal).catch(() => undefined)
        : NO_SLOT;
      if (!slot) return;
      try {
        if (!(await nextBatch())) return;
      } finally {
        slot.release();
      }
    }
  }

  // Every worker returns only once its batch has settled, so nothing is in flight after this.
  await Promise.all(Array.from({ length: ctx.dryRun ? 1 : ctx.concurrency }, worker));

  if (stopped()) {
    // Stopped early: everything read but unsent, and everything still unread, was never sent.
    const reason = stopReason();
    for (const { index } of batcher.takeHeld()) settle(index, "failed", reason);
    // A broken source is not read again: what it would yield next is unknown.
    while (!sourceBroken) {
      let step: IteratorResult<unknown>;
      try {
        step = await source.next();
      } catch {
        break;
      }
      if (step.done) break;
      settle(progress.read++, "failed", reason);
    }
  }
  if (seen?.full) {
    report.warn(
      `the duplicate check was full: it remembers at most ${ctx.maxDuplicateKeys.toLocaleString("en-US")} keys (emails, phones, LinkedIn URLs), so later leads were checked against those only and other repeats among them were left to ${adapter.vendor}`,
    );
  }
  emitProgress();
  const result = report.finish(progress.read, ctx.dryRun);
  if (stopError !== undefined) {
    if (stopError instanceof LeadBridgeError) stopError.report = result;
    throw stopError;
  }
  return result;
}

const NO_SLOT: InFlightPermit = { release() {} };

function resultOf(index: number, outcome: Outcome, reason?: string, vendorLeadId?: string): LeadResult {
  const result: LeadResult = { index, outcome };
  if (reason !== undefined) result.reason = reason;
  if (vendorLeadId !== undefined) result.vendorLeadId = vendorLeadId;
  return result;
}

/**
 * What made an attempt's answer unreadable, or undefined when the attempt failed in transport. A
 * SyntaxError can only come from parsing a 2xx body (openapi-fetch parses nothing else that can fail).
 */
function unparseableAnswer(thrown: unknown): string | undefined {
  if (thrown instanceof UnreadableAnswer) return thrown.message;
  if (thrown instanceof SyntaxError) return "a success status whose body is not JSON";
  if (!(thrown instanceof Error)) return `the fetch function threw ${describeValue(thrown)}, not an Error`;
  return undefined;
}

function causeOf<T>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof type) return e;
  return undefined;
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown })?.name === "TimeoutError";
}

/** Answers that stop the whole call: the credentials or the destination are wrong, so no later batch can succeed. */
function fatalError(vendor: string, answer: VendorAnswer): LeadBridgeError | undefined {
  const details = { vendor, status: answer.status, requestId: answer.headers.get("x-request-id") ?? undefined };
  switch (answer.status) {
    case 401:
      return new AuthenticationError(
        `${vendor} refused the credentials (401): ${vendorMessage(answer.error)}`,
        details,
      );
    case 402:
    case 403:
      return new PermissionError(
        `${vendor} refused the request (${answer.status}): ${vendorMessage(answer.error)}`,
        details,
      );
    case 404:
    case 410:
      return new NotFoundError(
        `${vendor}: the destination was not found (${answer.status}): ${vendorMessage(answer.error)}`,
        details,
      );
    default:
      return undefined;
  }
}
