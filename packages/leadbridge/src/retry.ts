import { ConfigurationError } from "./errors.js";

/** The one retry policy of LeadBridge. Every field is optional; defaults in `DEFAULT_RETRY`. */
export interface RetryOptions {
  /** Attempts per batch, the first included. 1 disables retries. */
  maxAttempts?: number;
  /** The backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))] ("full jitter"). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Retry-After is honoured up to this long; a longer one is cut to it. */
  retryAfterCapMs?: number;
  /** How long one request may take before it counts as timed out (its outcome is then unknown). */
  timeoutMs?: number;
  /**
   * Resend a request whose outcome is unknown (connection lost after sending, timeout) even where the vendor
   * does not deduplicate (NLPearl). Off by default: such a resend can add a lead twice.
   */
  retryUnknownOutcome?: boolean;
}

export type ResolvedRetry = Required<RetryOptions>;

/** Frozen: every bridge resolves its retry policy over it, so a change here would reach them all. */
export const DEFAULT_RETRY: Readonly<ResolvedRetry> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  retryAfterCapMs: 60_000,
  timeoutMs: 60_000,
  retryUnknownOutcome: false,
});

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  const merged = { ...DEFAULT_RETRY, ...stripUndefined(options ?? {}) };
  if (!(Number.isInteger(merged.maxAttempts) && merged.maxAttempts >= 1)) {
    throw new ConfigurationError("retry.maxAttempts must be an integer of at least 1");
  }
  for (const key of ["baseDelayMs", "maxDelayMs", "retryAfterCapMs", "timeoutMs"] as const) {
    if (!(typeof merged[key] === "number" && merged[key] >= 0))
      throw new ConfigurationError(`retry.${key} must be a number ≥ 0`);
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Statuses worth another attempt: rate limited, request timeout, and every server error. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/** Full-jitter exponential backoff for the retry after attempt `attempt` (1-based). */
export function backoffDelay(attempt: number, policy: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After in ms from now: delta-seconds or an HTTP date. Undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

/** How long to wait before the next attempt: the vendor's Retry-After (capped) when it gave one, else backoff. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: ResolvedRetry,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.retryAfterCapMs);
  return backoffDelay(attempt, policy, random);
}

/** Error codes that mean the request never left this machine, so resending it cannot duplicate anything. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
]);

/** Whether a thrown fetch error proves the request was never sent. Anything else might have reached the server. */
export function provedNotSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true;
  }
  return false;
}
