import { ConfigurationError } from "./errors.js";
import { WaiterQueue } from "./waiters.js";

/** At most `limit` requests in any `windowMs` window. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface LimiterOptions {
  /**
   * How much later than its send a request may be counted by the vendor (the way in: connection, TLS, the
   * vendor's front end), beyond this process's recent event-loop delay (which is added), ms. Also covers
   * clock granularity. Default: 2% of the window, at least 25 ms (`defaultMargin`).
   */
  marginMs?: number;
  /**
   * Count every request until its answer plus a window: zero self-caused 429s whatever the network delay,
   * at a pace of at most `limit × window / (window + latency)`. Default `false`; a 429 switches it on
   * (`assumeSlowTransit`).
   */
  strict?: boolean;
  /** @deprecated `Infinity` is `strict: true`; a finite value is the default now (see `marginMs`). */
  transitMs?: number;
  now?: () => number;
  /** The event loop's recent worst delay, ms; default: measured by a 20 ms timer. */
  loopDelayMs?: () => number;
}

/** A granted request slot. Release it once the request got its answer (or failed). */
export interface Permit {
  release(): void;
  /**
   * The request's bytes left this process now (`timedFetch` calls it when undici writes the headers): its
   * slot is measured from here instead of from the permit, so a process slow to write does not shorten it.
   */
  wrote?(): void;
}

const MIN_MARGIN_MS = 25;

/** The default margin: 2% of the window, at least 25 ms (1 s: 25 ms, so the pacer itself admits up to 97.5% of the limit). */
export function defaultMargin(windowMs: number): number {
  return Math.max(MIN_MARGIN_MS, Math.ceil(windowMs * 0.02));
}

/**
 * The event loop's recent worst delay, ms: a timer that should fire every `TICK_MS` measures how late it
 * fires; the worst of the current and previous second is kept. Unref'd: it never keeps the process alive.
 * Process-wide on purpose (one event loop delays every bridge's requests alike); `clearPacing()` stops it.
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
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.current = 0;
    this.previous = 0;
  },
};

/** This process's recent worst event-loop delay, ms (a busy process writes its requests late). */
export function eventLoopDelayMs(): number {
  return loopDelay.recentMaxMs();
}

/** Stops the event-loop-delay monitor (it restarts when a pacer next asks); part of `clearPacing()`. */
export function stopEventLoopMonitor(): void {
  loopDelay.stop();
}

/**
 * When a request's window slot frees: `max(arrivedBy + window, answer + margin)`, where `arrivedBy`, the
 * latest the vendor can have counted it, is `margin + the earlier of its answer and send + this process's
 * recent event-loop delay + how much slower than the floor (the fastest recent round trip) its round trip
 * was`. Send is when the request's bytes left this process (`Permit.wrote`), else its permit: a process too
 * busy to write is no part of the way in then. The excess over the floor covers a stall on the way in (a
 * busy vendor), since it delayed the answer too; the event-loop delay covers one the floor's own round trip
 * had (a busy process); the margin covers the rest. Strict: `answer + margin + window`. Until the floor is
 * known a round trip counts whole (`answer + margin + window`); the answer that makes it known moves those
 * slots to where it says, if the event loop is calm (`remeasureProvisional`). The Redis pacer applies the
 * same rule.
 *
 * Why no window of the vendor's counting ever holds more than `limit` (proof): a request holds its slot from
 * its permit until it frees, and gets its permit only while fewer than `limit` slots are held. Let S be the
 * requests the vendor counted in some window (t − window, t], and k the last of them to get its permit. Each
 * i in S got its permit by k's (≤ arrival_k ≤ t) and frees after `arrivedBy_i + window ≥ arrival_i + window >
 * t` (the assumption: `arrival_i ≤ arrivedBy_i`), so all of S held slots at k's permit; the others held them
 * before k took its own, hence |S| − 1 < limit. A delay common to every request cancels out (shift every
 * time by it), so the margin only has to cover how much later one request is counted than another. Strict
 * needs no assumption (`arrival ≤ answer`). Holding the slot until the answer is not needed for the proof; it keeps a
 * vendor slower than the window from more than `limit` of our requests in flight. `test/limiter.test.ts`
 * checks the property on a model clock.
 *
 * Waiters are served first come, first served.
 */
export class SlidingWindowLimiter {
  /** Per window, `limit` slots: when each frees (ms); +Infinity while its request is in flight. */
  private readonly slots: Float64Array[];
  private readonly margins: number[];
  private readonly now: () => number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private strict: boolean;
  /** The fastest round trip of the current and the previous `FLOOR_SPAN_MS`: the floor `arrivedBy` is measured from. */
  private readonly floor = {
    current: Number.POSITIVE_INFINITY,
    previous: Number.POSITIVE_INFINITY,
    since: 0,
    samples: 0,
    previousSamples: 0,
    firstAnswer: Number.POSITIVE_INFINITY,
    early: [] as number[],
  };
  private readonly loopDelayMs: () => number;
  /** The event-loop delay up to which a floor may come from round trips sent before the first answer. */
  private readonly calmMs: number;
  /** How far from the fastest the first round trips may be to make a floor (the smallest margin). */
  private readonly tightMs: number;
  /** Per window, which grant holds each slot: a remeasure touches only a slot its request still holds. */
  private readonly holders: Float64Array[];
  private grants = 0;
  /** Requests answered before the floor was known: their slots are remeasured once it is. */
  private readonly provisional: {
    grant: number;
    taken: number[];
    sentAt: number;
    answered: number;
    loopDelay: number;
  }[] = [];
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
    if (options.marginMs !== undefined && !(options.marginMs >= 0))
      throw new ConfigurationError(`marginMs must be ≥ 0, got ${options.marginMs}`);
    if (options.transitMs !== undefined && !(options.transitMs >= 0))
      throw new ConfigurationError(`transitMs must be ≥ 0, got ${options.transitMs}`);
    this.slots = windows.map((w) => new Float64Array(w.limit).fill(Number.NEGATIVE_INFINITY));
    this.margins = windows.map((w) => options.marginMs ?? defaultMargin(w.windowMs));
    this.now = options.now ?? (() => Date.now());
    this.strict = options.strict ?? options.transitMs === Number.POSITIVE_INFINITY;
    this.loopDelayMs = options.loopDelayMs ?? (() => loopDelay.recentMaxMs());
    this.tightMs = Math.min(...this.margins);
    this.calmMs = CALM_MARGINS * this.tightMs;
    this.holders = windows.map((w) => new Float64Array(w.limit));
  }

  /** From now on, count every request until its answer plus a window: the vendor saw more than we assumed. */
  assumeSlowTransit(): void {
    this.strict = true;
  }

  /** When the next permit may start (ms, on this limiter's clock); Infinity while it waits for an answer. */
  nextStart(): number {
    let at = Math.max(this.now(), this.pausedUntil);
    for (const slots of this.slots) at = Math.max(at, earliest(slots).frees);
    return at;
  }

  /** A permit now, or the number of ms to wait (Infinity: until an in-flight request is answered). */
  tryAcquire(): Permit | number {
    const now = this.now();
    const wait = this.nextStart() - now;
    if (wait > 0) return wait;
    const grant = ++this.grants;
    const taken = this.slots.map((slots, i) => {
      const { index } = earliest(slots);
      slots[index] = Number.POSITIVE_INFINITY;
      this.holders[i]![index] = grant;
      return index;
    });
    // A busy process writes its requests late: its recent event-loop delay widens the way in.
    const loopDelay = this.strict ? 0 : this.loopDelayMs();
    let released = false;
    let sentAt = now;
    let wrote = false;
    return {
      wrote: () => {
        if (wrote || released) return;
        wrote = true;
        sentAt = this.now();
      },
      release: () => {
        if (released) return;
        released = true;
        const answered = this.now();
        const floor = this.floorRtt(sentAt, answered, wrote);
        this.free(taken, this.frees(sentAt, answered, loopDelay, floor), grant);
        if (floor === undefined && !this.strict) this.provisional.push({ grant, taken, sentAt, answered, loopDelay });
        else if (this.provisional.length > 0) this.remeasureProvisional();
        this.pump();
      },
    };
  }

  /** Sets when the slots `grant` holds free; with `sooner`, only if that is sooner than now set. */
  private free(taken: number[], frees: number[], grant: number, sooner = false): void {
    for (let i = 0; i < this.slots.length; i++) {
      const slots = this.slots[i]!;
      const index = taken[i]!;
      if (this.holders[i]![index] !== grant) continue;
      slots[index] = sooner ? Math.min(slots[index]!, frees[i]!) : frees[i]!;
    }
  }

  /** When a request's slot frees, per window (the rule above); `floor` undefined: not yet known. */
  private frees(sentAt: number, answered: number, loopDelay: number, floor: number | undefined): number[] {
    const excess = Math.max(0, answered - sentAt - (floor ?? 0));
    return this.windows.map((w, i) => {
      const margin = this.margins[i]!;
      const arrivedBy = (this.strict ? answered : Math.min(answered, sentAt + loopDelay + excess)) + margin;
      return Math.max(arrivedBy + w.windowMs, answered + margin);
    });
  }

  /**
   * The floor is known now (this answer included): requests answered before it, whose slots were held until their answer plus a
   * window, free where the floor says, if the event loop is calm (a busy one may have read the floor's own
   * answers late). Their event-loop term is the worse of their permit's and now's: the monitor may have
   * started with them.
   */
  private remeasureProvisional(): void {
    const floor = Math.min(this.floor.current, this.floor.previous);
    const loopNow = this.loopDelayMs();
    if (!this.strict && loopNow <= this.calmMs) {
      for (const p of this.provisional)
        this.free(p.taken, this.frees(p.sentAt, p.answered, Math.max(p.loopDelay, loopNow), floor), p.grant, true);
    }
    this.provisional.length = 0;
  }

  /**
   * Records a round trip sent at `sentAt`; returns the floor before it, or undefined until `FLOOR_SAMPLES`
   * round trips are known that were sent after the first answer, or were timed from their write (`wrote`)
   * and answered while the event loop was calm. The others opened connections (a send taken at the permit
   * includes that) or may have been read late, and a floor taken from them overstates how fast an answer
   * can come back.
   */
  private floorRtt(sentAt: number, at: number, wrote: boolean): number | undefined {
    const f = this.floor;
    if (at - f.since >= FLOOR_SPAN_MS) {
      f.previous = f.current;
      f.previousSamples = f.samples;
      f.current = Number.POSITIVE_INFINITY;
      f.samples = 0;
      f.since = at;
    }
    const before = Math.min(f.current, f.previous);
    const trusted = f.samples + f.previousSamples >= FLOOR_SAMPLES;
    f.current = Math.min(f.current, at - sentAt);
    if (sentAt >= f.firstAnswer) f.samples++;
    else if (!trusted && wrote && this.loopDelayMs() <= this.calmMs) this.earlySample(at - sentAt);
    f.firstAnswer = Math.min(f.firstAnswer, at);
    return trusted ? before : undefined;
  }

  /**
   * A round trip sent before the first answer, timed from its write and answered on a calm event loop.
   * `FLOOR_SAMPLES` of them within a margin of the fastest make the floor: a spread wider than that is
   * a start that was slow on one side (cold code, a queue), and a floor from it may be too high.
   */
  private earlySample(rtt: number): void {
    const early = this.floor.early;
    early.push(rtt);
    const fastest = Math.min(...early);
    let near = 0;
    for (const r of early) if (r <= fastest + this.tightMs) near++;
    if (near >= FLOOR_SAMPLES) {
      this.floor.samples = Math.max(this.floor.samples, FLOOR_SAMPLES);
      early.length = 0;
    }
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

/**
 * How long a round-trip floor is remembered: a vendor that got slower for good gets a new floor within
 * twice this, and what a round trip took beyond the floor counts as possible delay on the way in.
 */
const FLOOR_SPAN_MS = 30_000;

/**
 * How many round trips sent after the first answer make a floor (or sent before it, timed from their writes,
 * answered on a calm event loop and within a margin of the fastest). With a floor from any first round
 * trips (timed from the permit: new connections; cold code on both sides), a 25 ms margin let a slot free
 * before the vendor's window ended: `adaptive-concurrency.test.ts` drew a 429 in 3 runs of 4.
 */
export const FLOOR_SAMPLES = 20;

/**
 * A floor from the round trips sent before the first answer is taken, and the slots of requests answered
 * before it are moved by it, only while the event loop's recent worst delay is at most this many margins
 * (50 ms at 1 s): a busy loop may have read the floor's own answers late. Two, not one: writing the first
 * window's requests alone delays the loop by ~30 ms. Without this check, with the simulator in the client's
 * starved process (`bench:stress`), 5 of 20 runs drew a 429.
 */
export const CALM_MARGINS = 2;

/** The slot that frees first, and when. */
function earliest(slots: Float64Array): { index: number; frees: number } {
  let index = 0;
  for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[index]!) index = i;
  return { index, frees: slots[index]! };
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
