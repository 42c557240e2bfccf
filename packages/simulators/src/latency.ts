import { createRandom, type Random } from "./random.js";

/** How long the simulated vendor takes to answer an admitted request. */
export interface LatencyOptions {
  /** Milliseconds every admitted request takes. Default 0. */
  fixedMs?: number;
  /** Milliseconds more per lead in the request's `leads` array (a single-lead request counts 1). Default 0. */
  perLeadMs?: number;
  /**
   * Random spread of the service time, as a fraction in [0, 1): each request's service time is multiplied by a
   * factor drawn uniformly from [1 − jitter, 1 + jitter], from the simulator's seed. Default 0.
   */
  jitter?: number;
  /**
   * Requests the server works on at once. Beyond it, requests wait in a first-come, first-served queue, so
   * latency grows with the queue. Default: unlimited.
   */
  capacity?: number;
}

/** The latency model in force, as the control API reports it. */
export interface LatencySettings {
  fixedMs: number;
  perLeadMs: number;
  jitter: number;
  /** `null`: unlimited. */
  capacity: number | null;
}

export function resolveLatency(options: LatencyOptions | undefined): LatencySettings {
  const settings: LatencySettings = {
    fixedMs: options?.fixedMs ?? 0,
    perLeadMs: options?.perLeadMs ?? 0,
    jitter: options?.jitter ?? 0,
    capacity: options?.capacity ?? null,
  };
  for (const key of ["fixedMs", "perLeadMs"] as const) {
    const value = settings[key];
    if (!(typeof value === "number" && Number.isFinite(value) && value >= 0))
      throw new RangeError(`latency.${key} must be a finite number ≥ 0, got ${value}`);
  }
  if (!(typeof settings.jitter === "number" && settings.jitter >= 0 && settings.jitter < 1))
    throw new RangeError(`latency.jitter must be within [0, 1), got ${settings.jitter}`);
  if (settings.capacity !== null && !(Number.isInteger(settings.capacity) && settings.capacity >= 1))
    throw new RangeError(`latency.capacity must be an integer ≥ 1, got ${settings.capacity}`);
  return settings;
}

/**
 * A server of `capacity` workers in front of the operation: each admitted request waits for a worker
 * (FIFO), holds it for its service time (fixed + per lead, times the seeded jitter), then is processed.
 * The jitter draws come from their own stream, one per request in arrival order, so a seed reproduces them.
 */
export class LatencyModel {
  #settings: LatencySettings;
  readonly #seed: number;
  #random: Random;
  #busy = 0;
  readonly #queue: Array<() => void> = [];

  constructor(options: LatencyOptions | undefined, seed: number) {
    this.#settings = resolveLatency(options);
    this.#seed = seed;
    this.#random = createRandom(seed);
  }

  get settings(): LatencySettings {
    return { ...this.#settings };
  }

  /** Replaces the model; requests already waiting or served keep their times. */
  configure(options: LatencyOptions | undefined): LatencySettings {
    this.#settings = resolveLatency(options);
    this.#drain();
    return this.settings;
  }

  /** The service time of a request of `leads` leads; draws once from the seed. */
  serviceMs(leads: number): number {
    const { fixedMs, perLeadMs, jitter } = this.#settings;
    const factor = 1 + jitter * (2 * this.#random.next() - 1);
    return (fixedMs + perLeadMs * leads) * factor;
  }

  /** Waits for a worker and the service time, using `sleep` for the wait (the server's cancellable timer). */
  async serve(leads: number, sleep: (ms: number) => Promise<void>): Promise<void> {
    const ms = this.serviceMs(leads);
    const capacity = this.#settings.capacity;
    if (capacity === null && ms === 0) return;
    // A queued request is counted busy by #drain when it is woken.
    if (capacity !== null && this.#busy >= capacity) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#busy++;
    try {
      if (ms > 0) await sleep(ms);
    } finally {
      this.#busy--;
      this.#drain();
    }
  }

  /** Back to the seed's first draw. */
  reset(): void {
    this.#random = createRandom(this.#seed);
  }

  #drain(): void {
    const capacity = this.#settings.capacity ?? Number.POSITIVE_INFINITY;
    // A waiter counts as busy from the moment it is woken, so `busy + woken` never passes the capacity.
    let free = capacity - this.#busy;
    while (free-- > 0 && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      this.#busy++;
      next();
    }
  }
}

/** Leads in a request body: the length of its `leads` array, else 1. */
export function leadsIn(body: unknown): number {
  const leads = (body as { leads?: unknown } | null | undefined)?.leads;
  return Array.isArray(leads) ? leads.length : 1;
}
