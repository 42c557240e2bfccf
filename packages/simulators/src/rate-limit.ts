/** At most `limit` requests admitted within any interval of `windowMs` milliseconds. */
export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

/**
 * Sliding-window limiter over admitted requests. A request is admitted when, in every window,
 * fewer than `limit` requests were admitted during the last `windowMs` ms; rejected requests are
 * not counted, so a client that backs off always recovers. Each window keeps a ring of the last
 * `limit` admission times: O(1) per request, `limit` numbers of memory per key.
 */
export class SlidingWindowLimiter {
  readonly #windows: readonly RateLimitWindow[];
  readonly #rings = new Map<string, Float64Array[]>();
  readonly #heads = new Map<string, number[]>();

  constructor(windows: readonly RateLimitWindow[]) {
    for (const { limit, windowMs } of windows) {
      if (!Number.isInteger(limit) || limit < 1)
        throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
      if (!(windowMs > 0)) throw new RangeError(`rate limit windowMs must be positive, got ${windowMs}`);
    }
    this.#windows = windows;
  }

  /**
   * Admits the request and returns 0, or rejects it and returns the milliseconds until a slot
   * frees in every window that is full.
   */
  tryAcquire(key: string, now: number): number {
    let rings = this.#rings.get(key);
    let heads = this.#heads.get(key);
    if (!rings || !heads) {
      // -Infinity: an empty slot, always outside the window.
      rings = this.#windows.map(({ limit }) => new Float64Array(limit).fill(Number.NEGATIVE_INFINITY));
      heads = this.#windows.map(() => 0);
      this.#rings.set(key, rings);
      this.#heads.set(key, heads);
    }
    let waitMs = 0;
    for (let i = 0; i < this.#windows.length; i++) {
      // The oldest of the last `limit` admissions; if it is still inside the window, the window is full.
      const oldest = rings[i]![heads[i]!]!;
      const frees = oldest + this.#windows[i]!.windowMs;
      if (frees > now) waitMs = Math.max(waitMs, frees - now);
    }
    if (waitMs > 0) return waitMs;
    for (let i = 0; i < this.#windows.length; i++) {
      const ring = rings[i]!;
      ring[heads[i]!] = now;
      heads[i] = (heads[i]! + 1) % ring.length;
    }
    return 0;
  }

  reset(): void {
    this.#rings.clear();
    this.#heads.clear();
  }
}
