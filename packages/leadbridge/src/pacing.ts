// Pacing per vendor account. The registry below is the one piece of module-level state every bridge of
// this process shares, on purpose: two bridges (or two calls) with one credential must share its pace,
// or together they would exceed the vendor's limit. `clearPacing()` empties it (tests, long-lived hosts).
import { AdaptiveConcurrency, type ConcurrencyTuning, type InFlightLimit } from "./concurrency.js";
import { type RateWindow, SlidingWindowLimiter, stopEventLoopMonitor } from "./limiter.js";

export interface Pacer {
  acquire(signal?: AbortSignal): Promise<{ release(): void; wrote?(): void } | undefined>;
  pauseUntil?(until: number): void;
  /** The vendor answered 429 although paced: stop assuming requests reach it quickly. */
  assumeSlowTransit?(): void;
}

/** What identifies one vendor account's pace, for a pacer shared beyond this process (never the credential). */
export interface PacerKey {
  vendor: string;
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
  /**
   * The account's adaptive in-flight limit, shared like its pacer. Optional: without it each process adapts
   * its own. `tuning`: the cap and the rate ceiling the facade would use in-process.
   */
  concurrencyFor?(key: PacerKey, tuning: Pick<ConcurrencyTuning, "max" | "ratePerMs">): InFlightLimit;
}

/** The most requests one call keeps in flight (see `AddLeadsOptions.concurrency`). */
export const MAX_CONCURRENCY = 256;

/** Limiters by vendor, base URL and credential: every bridge and call using one credential shares its pace. */
const sharedLimiters = new Map<string, SlidingWindowLimiter>();
/** Adaptive in-flight limits by vendor, base URL and credential, shared like the pacers. */
const sharedConcurrency = new Map<string, AdaptiveConcurrency>();

/**
 * Forgets every shared pacer and in-flight limit of this process, and stops its event-loop-delay monitor:
 * later calls start from fresh ones.
 * Calls in progress keep the ones they hold.
 */
export function clearPacing(): void {
  sharedLimiters.clear();
  sharedConcurrency.clear();
  stopEventLoopMonitor();
}

/** What a call paces one credential with: its pacer (none when unpaced) and its adaptive in-flight limit. */
export interface Pacing {
  pacer: Pacer | undefined;
  inFlight: InFlightLimit;
}

export interface PacingConfig {
  baseUrl?: string;
  rateLimit?: readonly RateWindow[] | false | Pacer | SharedPacing;
}

export async function pacingFor(
  vendor: string,
  rateLimits: readonly RateWindow[],
  config: PacingConfig | undefined,
  token: string,
): Promise<Pacing> {
  const setting = config?.rateLimit;
  if (setting && typeof (setting as SharedPacing).pacerFor === "function") {
    const shared = setting as SharedPacing;
    const key = await pacerKey(vendor, rateLimits, config, token);
    const tuning = { max: MAX_CONCURRENCY, ratePerMs: rateOf(rateLimits) };
    const inFlight = shared.concurrencyFor?.(key, tuning);
    return {
      pacer: shared.pacerFor(key),
      inFlight: inFlight ?? concurrencyFor(localKey(vendor, config, token), tuning),
    };
  }
  const pacer = pacerFor(vendor, rateLimits, config, token);
  // Our own pacer tells the rate ceiling, so slow start can jump to what fills it.
  const ratePerMs = pacer instanceof SlidingWindowLimiter ? rateOf(pacer.windows) : Number.POSITIVE_INFINITY;
  return { pacer, inFlight: concurrencyFor(localKey(vendor, config, token), { max: MAX_CONCURRENCY, ratePerMs }) };
}

function localKey(vendor: string, config: PacingConfig | undefined, token: string): string {
  return `${vendor}\u0000${config?.baseUrl ?? ""}\u0000${token}`;
}

/** The most requests per ms the windows allow over time. */
function rateOf(windows: readonly RateWindow[]): number {
  return Math.min(...windows.map((w) => w.limit / w.windowMs));
}

async function pacerKey(
  vendor: string,
  rateLimits: readonly RateWindow[],
  config: PacingConfig | undefined,
  token: string,
): Promise<PacerKey> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`leadbridge-credential\0${token}`));
  const credentialHash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return { vendor, baseUrl: config?.baseUrl, credentialHash, windows: rateLimits };
}

function pacerFor(
  vendor: string,
  rateLimits: readonly RateWindow[],
  config: PacingConfig | undefined,
  token: string,
): Pacer | undefined {
  const setting = config?.rateLimit;
  if (setting === false) return undefined;
  if (setting && typeof (setting as Pacer).acquire === "function") return setting as Pacer;
  const windows = (Array.isArray(setting) ? setting : rateLimits) as RateWindow[];
  if (windows.length === 0) return undefined;
  const key = `${vendor}\u0000${config?.baseUrl ?? ""}\u0000${JSON.stringify(windows)}\u0000${token}`;
  let limiter = sharedLimiters.get(key);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(windows);
    sharedLimiters.set(key, limiter);
  }
  return limiter;
}

function concurrencyFor(key: string, tuning: Pick<ConcurrencyTuning, "max" | "ratePerMs">): AdaptiveConcurrency {
  key += `\u0000${tuning.ratePerMs}`;
  let limit = sharedConcurrency.get(key);
  if (!limit) {
    limit = new AdaptiveConcurrency({ tuning });
    sharedConcurrency.set(key, limit);
  }
  return limit;
}
