/** At most `limit` requests in any `windowMs` window. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface LimiterOptions {
  /** Extra gap added to every window, so network jitter never lets the server see `limit + 1` in one window. */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The default safety margin: 2% of the window, at least 25 ms. */
export function defaultMargin(windowMs: number): number {
  return Math.max(25, Math.ceil(windowMs * 0.02));
}

/**
 * A sliding-window limiter over several windows at once. Each window keeps the start times of its last
 * `limit` permits in a ring; the next permit may start once the oldest of them is a full window (plus margin) old.
 * Permits are reserved in call order, so waiting callers are served first come, first served.
 */
export class SlidingWindowLimiter {
  private readonly rings: Float64Array[];
  private readonly heads: number[];
  private last = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly margins: number[];

  constructor(
    readonly windows: readonly RateWindow[],
    options: LimiterOptions = {},
  ) {
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit >= 1 && w.windowMs > 0)) {
        throw new RangeError(`invalid rate window ${JSON.stringify(w)}`);
      }
    }
    this.rings = windows.map((w) => new Float64Array(w.limit).fill(Number.NEGATIVE_INFINITY));
    this.heads = windows.map(() => 0);
    this.margins = windows.map((w) => options.marginMs ?? defaultMargin(w.windowMs));
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? sleep;
  }

  /** Reserves the earliest permit that keeps every window under its limit, and returns when it may start (ms epoch). */
  reserve(): number {
    let at = Math.max(this.now(), this.last, this.pausedUntil);
    for (let i = 0; i < this.rings.length; i++) {
      const oldest = this.rings[i]![this.heads[i]!]!;
      at = Math.max(at, oldest + this.windows[i]!.windowMs + this.margins[i]!);
    }
    for (let i = 0; i < this.rings.length; i++) {
      this.rings[i]![this.heads[i]!] = at;
      this.heads[i] = (this.heads[i]! + 1) % this.windows[i]!.limit;
    }
    this.last = at;
    return at;
  }

  /** Waits for a permit. An abort rejects the wait, but the permit stays spent: that only errs on the safe side. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve() - this.now();
    if (wait > 0) await this.sleep(wait, signal);
  }

  /** No permit starts before `until` (ms epoch): the vendor asked us to wait (Retry-After). */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
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
