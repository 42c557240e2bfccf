import { ConfigurationError } from "./errors.js";
import { WaiterQueue } from "./waiters.js";

/** At most `limit` requests in any `windowMs` window. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface LimiterOptions {
  /** Extra gap added to every window, for clock granularity. Default: 2% of the window, at least 25 ms. */
  marginMs?: number;
  /**
   * The longest a request may take to reach the vendor after its permit, beyond this process's recent
   * event-loop delay (which is added), ms. Default `Infinity`: no assumption, so a request counts as arriving
   * as late as its answer. That is what guarantees zero self-caused 429s at any latency, and it caps the pace
   * at `limit × window / (window + latency)`. A finite value (e.g. 25, for a vendor near this process) paces
   * a slow vendor at nearly its full rate, on that assumption; after a 429, `assumeSlowTransit()` drops it.
   */
  transitMs?: number;
  now?: () => number;
  /** The event loop's recent worst delay, ms; default: measured by a 20 ms timer. */
  loopDelayMs?: () => number;
}

/** A granted request slot. Release it once the request got its answer (or failed). */
export interface Permit {
  release(): void;
}

/** The default safety margin: 2% of the window, at least 25 ms. */
export function defaultMargin(windowMs: number): number {
  return Math.max(25, Math.ceil(windowMs * 0.02));
}

/**
 * A transit bound (ms) that suits a vendor near this process: same-region requests arrive within a few ms
 * and a vendor's latency is its processing, after arrival. Opt-in (`transitMs`), never the default: the
 * default assumes nothing, so the pacer's guarantee holds on any network.
 */
export const DEFAULT_TRANSIT_MS = 25;

/**
 * The event loop's recent worst delay, ms: a timer that should fire every `TICK_MS` measures how late it
 * fires; the worst of the current and previous second is kept. Unref'd: it never keeps the process alive.
 */
const loopDelay = {
  TICK_MS: 20,
  current: 0,
  previous: 0,
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  recentMaxMs(): number {
    if (this.timer === undefined) this.start();
    return Math.max(this.current, this.previous);
  },
  start(): void {
    let expected = Date.now() + this.TICK_MS;
    let bucketStart = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      const late = Math.max(0, now - expected);
      expected = now + this.TICK_MS;
      if (now - bucketStart >= 1_000) {
        this.previous = this.current;
        this.current = 0;
        bucketStart = now;
      }
      if (late > this.current) this.current = late;
    }, this.TICK_MS);
    (this.timer as { unref?: () => void }).unref?.();
  },
};

/**
 * A sliding-window limiter over several windows at once, safe against network jitter.
 *
 * The server counts a request when it arrives: after we send it, before its answer comes back. Each window
 * remembers, for its last `limit` permits, the latest each can have arrived, and the next permit starts a full
 * window (plus margin) after that moment for the permit `limit` places before it. A permit still in flight
 * holds its slot; an answered one arrived by its send plus `transitMs` plus the event loop's recent delay,
 * widened by how much slower than the fastest its round trip was (or by its answer, if that came first).
 * So a slow vendor is paced at nearly its full rate, and `assumeSlowTransit()` (after a 429) falls back to
 * counting every request until its answer.
 * Waiters are served first come, first served.
 */
export class SlidingWindowLimiter {
  private readonly rings: Float64Array[];
  /** When each slot's request left, NaN once answered: a request in flight holds its slot. */
  private readonly sent: Float64Array[];
  /** The fastest round trip seen: how long the vendor takes at least, once a request has arrived. */
  private floorRttMs = Number.POSITIVE_INFINITY;
  private readonly heads: number[];
  private readonly margins: number[];
  private readonly now: () => number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private transitMs: number;
  private readonly loopDelayMs: () => number;
  private readonly waiters = new WaiterQueue<Permit>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly windows: readonly RateWindow[],
    options: LimiterOptions = {},
  ) {
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit >= 1 && w.windowMs > 0)) {
        throw new ConfigurationError(
          `rateLimit: invalid rate window ${JSON.stringify(w)} (limit: an integer ≥ 1, windowMs > 0)`,
        );
      }
    }
    this.rings = windows.map((w) => new Float64Array(w.limit).fill(Number.NEGATIVE_INFINITY));
    this.sent = windows.map((w) => new Float64Array(w.limit).fill(Number.NaN));
    this.heads = windows.map(() => 0);
    this.margins = windows.map((w) => options.marginMs ?? defaultMargin(w.windowMs));
    this.now = options.now ?? (() => Date.now());
    this.transitMs = options.transitMs ?? Number.POSITIVE_INFINITY;
    this.loopDelayMs = options.loopDelayMs ?? (() => loopDelay.recentMaxMs());
    if (!(this.transitMs >= 0)) throw new ConfigurationError(`transitMs must be ≥ 0, got ${this.transitMs}`);
  }

  /** From now on, a request counts as arriving as late as its answer: the vendor saw more than we assumed. */
  assumeSlowTransit(): void {
    this.transitMs = Number.POSITIVE_INFINITY;
  }

  /** When the next permit may start (ms, on this limiter's clock); Infinity while it waits for an answer. */
  nextStart(): number {
    const now = this.now();
    let at = Math.max(now, this.pausedUntil);
    for (let i = 0; i < this.rings.length; i++) {
      const head = this.heads[i]!;
      // Still in flight: it may yet reach the vendor late (its slot would be reused before its answer could
      // widen its bound), so its slot waits for the answer.
      if (!Number.isNaN(this.sent[i]![head]!)) return Number.POSITIVE_INFINITY;
      at = Math.max(at, this.rings[i]![head]! + this.windows[i]!.windowMs + this.margins[i]!);
    }
    return at;
  }

  /** A permit now, or the number of ms to wait (Infinity: until an in-flight request is answered). */
  tryAcquire(): Permit | number {
    const wait = this.nextStart() - this.now();
    if (wait > 0) return wait;
    const slots = this.heads.slice();
    // The latest this request can reach the server; `Infinity` until its answer when transit is unbounded.
    const sentAt = this.now();
    const arrivedBy = sentAt + this.transitMs + (Number.isFinite(this.transitMs) ? this.loopDelayMs() : 0);
    for (let i = 0; i < this.rings.length; i++) {
      this.rings[i]![slots[i]!] = arrivedBy;
      this.sent[i]![slots[i]!] = sentAt;
      this.heads[i] = (slots[i]! + 1) % this.windows[i]!.limit;
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const at = this.now();
        this.floorRttMs = Math.min(this.floorRttMs, at - sentAt);
        // An answer proves arrival. A round trip slower than the fastest may have been slow on the way in (a
        // stall here, a queue before the vendor counts it): what it took beyond the floor widens the bound, as
        // does this process's recent delay. A slot already reused (a later permit started) is left alone.
        // With no transit bound the answer is the bound (and the event-loop probe is never started).
        const latest = Number.isFinite(this.transitMs)
          ? Math.min(
              at,
              Math.max(arrivedBy, at - this.floorRttMs + this.transitMs, sentAt + this.transitMs + this.loopDelayMs()),
            )
          : at;
        for (let i = 0; i < this.rings.length; i++) {
          if (this.rings[i]![slots[i]!] !== arrivedBy || this.sent[i]![slots[i]!] !== sentAt) continue;
          this.rings[i]![slots[i]!] = latest;
          this.sent[i]![slots[i]!] = Number.NaN;
        }
        this.pump();
      },
    };
  }

  /** Waits for a permit. An abort rejects the wait. */
  acquire(signal?: AbortSignal): Promise<Permit> {
    const permit = this.waiters.wait(signal, () => this.pump());
    this.pump();
    return permit;
  }

  /** No permit starts before `until` (ms epoch): the vendor asked us to wait (Retry-After). */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiters.size > 0) {
      const permit = this.tryAcquire();
      if (typeof permit === "number") {
        // Infinity: a release() will pump again.
        if (Number.isFinite(permit)) this.timer = setTimeout(() => this.pump(), Math.ceil(permit));
        return;
      }
      this.waiters.serve(permit);
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
