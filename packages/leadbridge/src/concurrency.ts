// Adaptive concurrency: how many requests one credential keeps in flight. AIMD (additive increase,
// multiplicative decrease, with TCP's slow start) driven by two strain signals: losses (429, 5xx, 408,
// timeouts, lost connections) and delay (a round trip well above its floor, as TCP Vegas reads a queue).
// The state is a few numbers, updated by a pure function, so a shared store could hold it.

/** What one request's attempt tells the limit. */
export interface ConcurrencySample {
  /** When the request left (after its pacing permit), ms on the limit's clock. */
  sentAt: number;
  /** From leaving to its whole answer (or failure), ms. */
  rttMs: number;
  /** How long it waited for its pacing permit, ms: a request that waited was held back by the rate limit, not by concurrency. */
  pacedMs: number;
  /** `overload`: 429, 408, 5xx, a timeout or a lost connection. `ok`: any other answer. */
  outcome: "ok" | "overload";
  /** Permits held when the answer came: the limit only grows when it is being used. */
  inFlight: number;
}

export interface ConcurrencyState {
  /** Requests allowed in flight; fractional between whole steps (additive increase adds 1/limit). */
  limit: number;
  /**
   * The round-trip floor, ms: the lowest seen, or the last seen with one request in flight (no queue of ours
   * then, so a lasting change in the vendor's latency becomes the new floor). Infinity before any sample.
   */
  floorMs: number;
  /** Doubling per round trip until the first strain, then +1 per round trip. */
  slowStart: boolean;
  /** When the last decrease happened: answers to requests sent before it do not decrease again. */
  decreasedAt: number;
}

export interface ConcurrencyTuning {
  min: number;
  max: number;
  /** A round trip above `floor × delayTolerance + delaySlackMs` is strain. */
  delayTolerance: number;
  delaySlackMs: number;
  /** Multiplier on a loss (429, 5xx, timeout). */
  lossBackoff: number;
  /**
   * The largest multiplier on delay strain: delay is an early, noisy sign, so the cut is gentle unless the
   * round trip is far above its bound; then, as in a gradient limit, the limit is scaled by bound / round trip
   * (at least `lossBackoff`), which removes the queue in about one round trip.
   */
  delayBackoff: number;
  /**
   * The most requests per ms the pacer lets through (the documented rate limit), or Infinity. Slow start
   * then jumps to what Little's law says fills it (rate × floor round trip, plus a fifth) instead of doubling:
   * the floor, not the last round trip, or a queue at the vendor would feed the jump.
   */
  ratePerMs: number;
}

export const DEFAULT_TUNING: ConcurrencyTuning = {
  min: 1,
  max: 256,
  delayTolerance: 2,
  delaySlackMs: 50,
  lossBackoff: 0.5,
  delayBackoff: 0.9,
  ratePerMs: Number.POSITIVE_INFINITY,
};

/** Requests in flight beyond what Little's law says a rate needs: a fifth more. */
const HEADROOM = 1.2;

/** What Little's law says keeps `ratePerMs` flowing at a round trip of `ms`, plus the headroom. */
function fills(ratePerMs: number, ms: number): number {
  return Math.ceil(ratePerMs * ms * HEADROOM);
}

/** One request first, so the first round trip measures the floor without a queue. */
export const INITIAL_LIMIT = 1;

/**
 * Before the first answer the floor is at least the time since the first request left, so with a known rate
 * the limit may already be what the first answer's jump will make it (rate × that time, plus a fifth): at
 * 1 s latency the rate is filled from the start instead of after one lone round trip. Never more than the
 * jump itself allows; with no rate (NLPearl) the limit waits for the answer.
 */
export function waitedLimit(state: ConcurrencyState, tuning: ConcurrencyTuning, waitedMs: number): number {
  if (!state.slowStart || Number.isFinite(state.floorMs) || !Number.isFinite(tuning.ratePerMs)) return state.limit;
  return clamp(Math.max(state.limit, fills(tuning.ratePerMs, waitedMs)), tuning.min, tuning.max);
}

export function initialState(tuning: ConcurrencyTuning = DEFAULT_TUNING): ConcurrencyState {
  return {
    limit: clamp(INITIAL_LIMIT, tuning.min, tuning.max),
    floorMs: Number.POSITIVE_INFINITY,
    slowStart: true,
    decreasedAt: Number.NEGATIVE_INFINITY,
  };
}

/** The state after one sample, observed at `now`. Pure. */
export function nextState(
  state: ConcurrencyState,
  sample: ConcurrencySample,
  now: number,
  tuning: ConcurrencyTuning = DEFAULT_TUNING,
): ConcurrencyState {
  const { limit } = state;
  let floorMs = state.floorMs;
  if (sample.outcome === "ok" && (sample.rttMs < floorMs || sample.inFlight <= 1)) floorMs = sample.rttMs;
  const boundMs = state.floorMs * tuning.delayTolerance + tuning.delaySlackMs;
  const delayed =
    sample.outcome === "ok" && Number.isFinite(state.floorMs) && sample.inFlight > 1 && sample.rttMs > boundMs;
  if (sample.outcome === "overload" || delayed) {
    // One decrease per episode: requests sent before the last decrease saw the old limit.
    if (sample.sentAt < state.decreasedAt) return { ...state, floorMs };
    const factor =
      sample.outcome === "overload"
        ? tuning.lossBackoff
        : Math.max(tuning.lossBackoff, Math.min(tuning.delayBackoff, boundMs / sample.rttMs));
    return {
      limit: clamp(Math.floor(limit * factor), tuning.min, tuning.max),
      floorMs,
      slowStart: false,
      decreasedAt: now,
    };
  }
  // Held back by the pacer for longer than a round trip: more permits would only wait there, holding batches.
  // Never below what fills the rate at the floor round trip, plus one spare.
  if (sample.pacedMs > sample.rttMs) {
    const keep = Number.isFinite(tuning.ratePerMs) ? fills(tuning.ratePerMs, floorMs) + 1 : tuning.min;
    const shrunk = Math.max(limit - 1 / limit, Math.min(limit, keep));
    return { ...state, floorMs, limit: clamp(shrunk, tuning.min, tuning.max) };
  }
  // Grow only when the limit is what holds requests back: not paced, and every permit in use.
  if (sample.pacedMs > Math.max(1, sample.rttMs * 0.1) || sample.inFlight < Math.floor(limit))
    return { ...state, floorMs };
  const grown = !state.slowStart
    ? limit + 1 / limit
    : Number.isFinite(tuning.ratePerMs)
      ? Math.max(limit + 1, fills(tuning.ratePerMs, floorMs))
      : limit + 1;
  return { ...state, floorMs, limit: clamp(grown, tuning.min, tuning.max) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** A held in-flight slot; release it once the batch is done. */
export interface InFlightPermit {
  release(): void;
}

/**
 * The in-flight slots of one credential: `AdaptiveConcurrency` in this process, or one a `SharedPacing`
 * shares between processes (`@leadbridge/redis`).
 */
export interface InFlightLimit {
  /** Waits for a slot; an abort rejects the wait. */
  acquire(signal?: AbortSignal): Promise<InFlightPermit>;
  /** Feeds one attempt's sample to the limit (`inFlight` is the limit's own count). */
  observe(sample: Omit<ConcurrencySample, "inFlight">): void;
  /** The clock of `sentAt` and the limit's decreases, ms. */
  now(): number;
}

/**
 * The in-flight slots of one credential, for every call sharing it: `acquire` waits while the slots in
 * use reach the adaptive limit, `observe` feeds each attempt's sample to it. In-process; the state is
 * `ConcurrencyState`, which a shared store could hold instead.
 */
export class AdaptiveConcurrency implements InFlightLimit {
  #state: ConcurrencyState;
  #inFlight = 0;
  /** When the first request left, until the first answer: see `waitedLimit`. */
  #firstSentAt: number | undefined;
  #growTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #waiters: Array<() => void> = [];
  readonly #tuning: ConcurrencyTuning;
  readonly #now: () => number;

  constructor(options: { tuning?: Partial<ConcurrencyTuning>; now?: () => number } = {}) {
    this.#tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.#state = initialState(this.#tuning);
    this.#now = options.now ?? (() => performance.now());
  }

  get state(): Readonly<ConcurrencyState> {
    return this.#state;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Whole requests allowed in flight now. */
  get limit(): number {
    if (this.#firstSentAt === undefined) return Math.floor(this.#state.limit);
    return Math.floor(waitedLimit(this.#state, this.#tuning, this.#now() - this.#firstSentAt));
  }

  now(): number {
    return this.#now();
  }

  /** Waits for a slot; an abort rejects the wait. */
  acquire(signal?: AbortSignal): Promise<InFlightPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#inFlight < this.limit && this.#waiters.length === 0) return Promise.resolve(this.#grant());
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (signal) this.#unwatch(signal, waiter);
        resolve(this.#grant());
      };
      if (signal) this.#watch(signal, waiter, reject);
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  // One abort listener per signal, not one per waiter: a call may have `concurrency` (up to 256) workers
  // waiting on one signal, and an EventTarget warns past 10 listeners.
  readonly #watched = new Map<
    AbortSignal,
    { onAbort: () => void; rejects: Map<() => void, (reason: unknown) => void> }
  >();

  #watch(signal: AbortSignal, waiter: () => void, reject: (reason: unknown) => void): void {
    let watch = this.#watched.get(signal);
    if (!watch) {
      const rejects = new Map<() => void, (reason: unknown) => void>();
      const onAbort = () => {
        this.#watched.delete(signal);
        for (const [waiting, rejectWaiter] of rejects) {
          const at = this.#waiters.indexOf(waiting);
          if (at >= 0) this.#waiters.splice(at, 1);
          rejectWaiter(signal.reason);
        }
      };
      watch = { onAbort, rejects };
      this.#watched.set(signal, watch);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watch.rejects.set(waiter, reject);
  }

  #unwatch(signal: AbortSignal, waiter: () => void): void {
    const watch = this.#watched.get(signal);
    if (!watch) return;
    watch.rejects.delete(waiter);
    if (watch.rejects.size === 0) {
      signal.removeEventListener("abort", watch.onAbort);
      this.#watched.delete(signal);
    }
  }

  observe(sample: Omit<ConcurrencySample, "inFlight">): void {
    this.#state = nextState(this.#state, { ...sample, inFlight: this.#inFlight }, this.#now(), this.#tuning);
    this.#firstSentAt = undefined;
    this.#pump();
  }

  #grant(): InFlightPermit {
    if (this.#firstSentAt === undefined && this.#state.slowStart && !Number.isFinite(this.#state.floorMs))
      this.#firstSentAt = this.#now();
    this.#inFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#pump();
      },
    };
  }

  #pump(): void {
    while (this.#waiters.length > 0 && this.#inFlight < this.limit) this.#waiters.shift()!();
    clearTimeout(this.#growTimer);
    this.#growTimer = undefined;
    // Before the first answer the limit grows with time: look again when it has grown by one.
    if (this.#waiters.length > 0 && this.limit < waitedLimit(this.#state, this.#tuning, Number.POSITIVE_INFINITY)) {
      this.#growTimer = setTimeout(() => this.#pump(), Math.ceil(1 / (this.#tuning.ratePerMs * HEADROOM)));
      (this.#growTimer as { unref?: () => void }).unref?.();
    }
  }
}
