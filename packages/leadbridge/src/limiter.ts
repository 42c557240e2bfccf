/** At most `limit` requests in any `windowMs` window. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface LimiterOptions {
  /** Extra gap added to every window, for clock granularity. Default: 2% of the window, at least 25 ms. */
  marginMs?: number;
  now?: () => number;
}

/** A granted request slot. Release it once the request got its answer (or failed). */
export interface Permit {
  release(): void;
}

/** The default safety margin: 2% of the window, at least 25 ms. */
export function defaultMargin(windowMs: number): number {
  return Math.max(25, Math.ceil(windowMs * 0.02));
}

const IN_FLIGHT = Number.POSITIVE_INFINITY;

/**
 * A sliding-window limiter over several windows at once, safe against network jitter.
 *
 * The server counts a request when it arrives, which is somewhere between the moment we send it and the
 * moment its answer comes back. So each window remembers, for its last `limit` permits, when each one's
 * answer came back (in flight: not yet), and the next permit starts only a full window (plus margin) after
 * the answer to the permit `limit` places before it. Then, whatever the latency, the server can never see
 * `limit + 1` requests inside one window. Waiters are served first come, first served.
 */
export class SlidingWindowLimiter {
  private readonly rings: Float64Array[];
  private readonly heads: number[];
  private readonly margins: number[];
  private readonly now: () => number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly waiters: Array<{
    resolve: (permit: Permit) => void;
    reject: (reason: unknown) => void;
    signal?: AbortSignal;
  }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

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
  }

  /** When the next permit may start (ms, on this limiter's clock); Infinity while it waits for an answer. */
  nextStart(): number {
    let at = Math.max(this.now(), this.pausedUntil);
    for (let i = 0; i < this.rings.length; i++) {
      const answered = this.rings[i]![this.heads[i]!]!;
      at = Math.max(at, answered + this.windows[i]!.windowMs + this.margins[i]!);
    }
    return at;
  }

  /** A permit now, or the number of ms to wait (Infinity: until an in-flight request is answered). */
  tryAcquire(): Permit | number {
    const wait = this.nextStart() - this.now();
    if (wait > 0) return wait;
    const slots = this.heads.slice();
    for (let i = 0; i < this.rings.length; i++) {
      this.rings[i]![slots[i]!] = IN_FLIGHT;
      this.heads[i] = (slots[i]! + 1) % this.windows[i]!.limit;
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const at = this.now();
        // The slot cannot have been reused: that needs a permit `limit` later, which waits for this answer.
        for (let i = 0; i < this.rings.length; i++) this.rings[i]![slots[i]!] = at;
        this.pump();
      },
    };
  }

  /** Waits for a permit. An abort rejects the wait. */
  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter = { resolve, reject, signal };
      this.waiters.push(waiter);
      signal?.addEventListener(
        "abort",
        () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(signal.reason);
          this.pump();
        },
        { once: true },
      );
      this.pump();
    });
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
    while (this.waiters.length > 0) {
      const permit = this.tryAcquire();
      if (typeof permit === "number") {
        // Infinity: a release() will pump again.
        if (Number.isFinite(permit)) this.timer = setTimeout(() => this.pump(), Math.ceil(permit));
        return;
      }
      this.waiters.shift()!.resolve(permit);
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
