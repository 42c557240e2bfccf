import { createRandom, type Random } from "./random.js";

/** What an injected fault does to one request. */
export type FaultKind =
  /** Answer 429 in the vendor's format, with `Retry-After: retryAfter` when `retryAfter` is set. */
  | "429"
  /** Answer that status in the vendor's error format; nothing is stored. */
  | "500"
  | "502"
  | "503"
  /** Reset the connection (TCP RST) before the request is processed: nothing is stored. */
  | "reset-before"
  /** Process and store the request, then reset the connection instead of answering. */
  | "reset-after"
  /** Wait `delayMs`, then process and answer normally. */
  | "delay"
  /** Never process nor answer; the connection stays open until the client gives up or the simulator closes. */
  | "hang";

export const FAULT_KINDS: readonly FaultKind[] = [
  "429",
  "500",
  "502",
  "503",
  "reset-before",
  "reset-after",
  "delay",
  "hang",
];

export interface FaultRule {
  kind: FaultKind;
  /**
   * Chance in [0, 1] that a request gets this fault. Probabilistic rules are mutually exclusive:
   * one uniform draw per request is compared against their cumulative probabilities in order,
   * so `[{ kind: "429", probability: 0.2 }, { kind: "503", probability: 0.05 }]` gives exactly
   * 20% and 5% in expectation. Their sum must not exceed 1.
   */
  probability?: number;
  /** 1-based ordinals of the vendor requests that get this fault (the 1st request the simulator receives is 1). */
  schedule?: readonly number[];
  /** Seconds for the `Retry-After` header of a `429` fault; omitted, no header is sent. */
  retryAfter?: number;
  /** Milliseconds to wait for a `delay` fault (default 1000). */
  delayMs?: number;
}

export interface FaultOptions {
  /** Seeds the fault draws; defaults to the simulator's `seed`. */
  seed?: number;
  rules: readonly FaultRule[];
}

/**
 * Decides, per request ordinal, which fault (if any) applies. Scheduled rules win over
 * probabilistic ones (first listed wins among schedules). Exactly one draw is made per request,
 * whatever happens, so a seed always yields the same sequence of decisions.
 */
export class FaultInjector {
  readonly #rules: readonly FaultRule[];
  readonly #seed: number;
  #random: Random;
  readonly #scheduled = new Map<number, FaultRule>();

  constructor(options: FaultOptions | undefined, defaultSeed: number) {
    this.#rules = options?.rules ?? [];
    this.#seed = options?.seed ?? defaultSeed;
    this.#random = createRandom(this.#seed);
    let total = 0;
    for (const rule of this.#rules) {
      if (!FAULT_KINDS.includes(rule.kind)) throw new RangeError(`unknown fault kind "${rule.kind}"`);
      if (rule.probability !== undefined) {
        if (!(rule.probability >= 0 && rule.probability <= 1)) {
          throw new RangeError(`fault probability must be within [0, 1], got ${rule.probability}`);
        }
        total += rule.probability;
      }
      for (const ordinal of rule.schedule ?? []) {
        if (!Number.isInteger(ordinal) || ordinal < 1)
          throw new RangeError(`fault schedule ordinals start at 1, got ${ordinal}`);
        if (!this.#scheduled.has(ordinal)) this.#scheduled.set(ordinal, rule);
      }
      if (rule.retryAfter !== undefined && !(Number.isInteger(rule.retryAfter) && rule.retryAfter >= 0)) {
        throw new RangeError(`fault retryAfter must be a whole number of seconds, got ${rule.retryAfter}`);
      }
      if (rule.delayMs !== undefined && !(rule.delayMs >= 0)) throw new RangeError(`fault delayMs must be >= 0`);
    }
    if (total > 1 + 1e-9) throw new RangeError(`fault probabilities sum to ${total}, more than 1`);
  }

  /** The fault for the request with this 1-based ordinal, or undefined. */
  pick(ordinal: number): FaultRule | undefined {
    const draw = this.#random.next();
    const scheduled = this.#scheduled.get(ordinal);
    if (scheduled) return scheduled;
    let cumulative = 0;
    for (const rule of this.#rules) {
      if (rule.probability === undefined) continue;
      cumulative += rule.probability;
      if (draw < cumulative) return rule;
    }
    return undefined;
  }

  /** Back to the first draw of the seed. */
  reset(): void {
    this.#random = createRandom(this.#seed);
  }
}
