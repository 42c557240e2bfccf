// The adaptive in-flight limit's pure logic (nextState) and its permit queue, on a fake clock.
import { getEventListeners } from "node:events";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  AdaptiveConcurrency,
  type ConcurrencySample,
  type ConcurrencyState,
  DEFAULT_TUNING,
  INITIAL_LIMIT,
  initialState,
  nextState,
  waitedLimit,
} from "../src/concurrency.js";

const ok = (rttMs: number, extra: Partial<ConcurrencySample> = {}): ConcurrencySample => ({
  sentAt: 0,
  rttMs,
  pacedMs: 0,
  outcome: "ok",
  inFlight: 1_000,
  ...extra,
});

/** Feeds `samples` one per ms, each sent one rtt before it is observed. */
function run(state: ConcurrencyState, samples: ConcurrencySample[], start = 0) {
  let now = start;
  for (const sample of samples) {
    now += 1;
    state = nextState(state, { ...sample, sentAt: now - sample.rttMs }, now);
  }
  return { state, now };
}

const sampleArb = fc.record({
  rttMs: fc.double({ min: 0, max: 5_000, noNaN: true }),
  pacedMs: fc.double({ min: 0, max: 5_000, noNaN: true }),
  outcome: fc.constantFrom("ok" as const, "overload" as const),
  inFlight: fc.integer({ min: 0, max: 300 }),
});

describe("nextState", () => {
  test("slow start: one round trip of unstrained, unpaced answers with every slot in use doubles the limit", () => {
    const start = initialState();
    expect(start.limit).toBe(INITIAL_LIMIT);
    let { state } = run(
      start,
      Array.from({ length: INITIAL_LIMIT }, () => ok(200)),
    );
    expect(state.limit).toBe(2 * INITIAL_LIMIT);
    ({ state } = run(
      state,
      Array.from({ length: 2 * INITIAL_LIMIT }, () => ok(200)),
    ));
    expect(state.limit).toBe(4 * INITIAL_LIMIT);
    expect(state.floorMs).toBe(200);
  });

  test("slow start with a known rate limit jumps to what fills it: rate × round trip, plus a fifth", () => {
    // 100 requests/s at 1 s a round trip: 100 in flight fill it.
    const tuning = { ...DEFAULT_TUNING, ratePerMs: 0.1 };
    expect(nextState(initialState(tuning), ok(1_000, { sentAt: 0 }), 1_000, tuning).limit).toBe(120);
    expect(nextState(initialState(tuning), ok(2, { sentAt: 0 }), 2, tuning).limit).toBe(INITIAL_LIMIT + 1);
    // From the floor, not from a round trip that queued at the vendor.
    const queued: ConcurrencyState = { limit: 24, floorMs: 200, slowStart: true, decreasedAt: -1 };
    expect(nextState(queued, ok(400, { sentAt: 0 }), 400, tuning).limit).toBe(25);
  });

  test("after slow start, growth is one per round trip (1/limit per answer)", () => {
    const state: ConcurrencyState = { limit: 10, floorMs: 200, slowStart: false, decreasedAt: -1 };
    const after = run(
      state,
      Array.from({ length: 10 }, () => ok(200)),
    ).state;
    expect(after.limit).toBeGreaterThan(10.9);
    expect(after.limit).toBeLessThan(11);
  });

  test("no growth when the slots are not all in use, or when the pacer held the request back", () => {
    const state = initialState();
    expect(nextState(state, ok(200, { inFlight: INITIAL_LIMIT - 1 }), 1).limit).toBe(INITIAL_LIMIT);
    expect(nextState(state, ok(200, { pacedMs: 50 }), 1).limit).toBe(INITIAL_LIMIT);
  });

  test("paced for longer than a round trip: the limit shrinks, since more slots would only wait at the pacer", () => {
    const state: ConcurrencyState = { limit: 20, floorMs: 100, slowStart: false, decreasedAt: -1 };
    expect(nextState(state, ok(100, { pacedMs: 500 }), 1).limit).toBeLessThan(20);
    // With a known rate, never below what fills it at the floor round trip plus one spare (100/s × 20 ms × 1.2 + 1 = 4).
    const tuning = { ...DEFAULT_TUNING, ratePerMs: 0.1 };
    const low: ConcurrencyState = { limit: 4, floorMs: 20, slowStart: false, decreasedAt: -1 };
    expect(nextState(low, ok(20, { pacedMs: 40 }), 1, tuning).limit).toBe(4);
  });

  test("a loss halves the limit once per episode: answers to requests sent before the decrease do not count again", () => {
    const state: ConcurrencyState = { limit: 40, floorMs: 100, slowStart: true, decreasedAt: -1 };
    const once = nextState(state, { ...ok(100), outcome: "overload", sentAt: 50 }, 150);
    expect(once).toMatchObject({ limit: 20, slowStart: false, decreasedAt: 150 });
    const same = nextState(once, { ...ok(100), outcome: "overload", sentAt: 60 }, 160);
    expect(same.limit).toBe(20);
    const next = nextState(once, { ...ok(100), outcome: "overload", sentAt: 151 }, 251);
    expect(next.limit).toBe(10);
  });

  test("delay well above the floor is strain: the limit falls, gently", () => {
    const state: ConcurrencyState = { limit: 40, floorMs: 100, slowStart: false, decreasedAt: -1 };
    const tolerable = nextState(state, { ...ok(200), sentAt: 10 }, 210);
    expect(tolerable.limit).toBeGreaterThan(40);
    const queued = nextState(state, { ...ok(260), sentAt: 10 }, 270);
    expect(queued.limit).toBe(Math.floor(40 * DEFAULT_TUNING.delayBackoff));
    // Far above the bound (2 × 100 + 50 ms): scaled by bound / round trip, as a gradient limit does.
    const deep = nextState(state, { ...ok(400), sentAt: 10 }, 410);
    expect(deep.limit).toBe(Math.floor((40 * 250) / 400));
  });

  test("a lasting change in latency: at one request in flight there is no queue of ours, so its round trip is the new floor", () => {
    let state: ConcurrencyState = { limit: 8, floorMs: 100, slowStart: false, decreasedAt: -1 };
    let now = 0;
    // The vendor is now 10× slower: strain, decreases down to one request in flight.
    for (let i = 0; i < 50 && state.limit > 1; i++) {
      now += 1_000;
      state = nextState(state, ok(1_000, { sentAt: now - 1_000, inFlight: Math.floor(state.limit) }), now);
    }
    expect(state.limit).toBe(1);
    now += 1_000;
    state = nextState(state, ok(1_000, { sentAt: now - 1_000, inFlight: 1 }), now);
    expect(state.floorMs).toBe(1_000);
    expect(state.limit).toBeGreaterThan(1);
  });

  test("property: the limit stays within [min, max] whatever the samples", () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { maxLength: 300 }), fc.integer({ min: 1, max: 256 }), (samples, max) => {
        const tuning = { ...DEFAULT_TUNING, max };
        let state = initialState(tuning);
        let now = 0;
        for (const sample of samples) {
          now += 1 + sample.rttMs;
          state = nextState(state, { ...sample, sentAt: now - sample.rttMs }, now, tuning);
          expect(state.limit).toBeGreaterThanOrEqual(tuning.min);
          expect(state.limit).toBeLessThanOrEqual(max);
        }
      }),
    );
  });

  test("property: an overload never raises the limit, and an answer that was paced never does either", () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { maxLength: 100 }), sampleArb, (history, sample) => {
        const { state, now } = run(initialState(), history as ConcurrencySample[]);
        const after = nextState(state, { ...sample, sentAt: now }, now + 1 + sample.rttMs);
        if (sample.outcome === "overload" || sample.pacedMs > Math.max(1, sample.rttMs * 0.1))
          expect(after.limit).toBeLessThanOrEqual(state.limit);
      }),
    );
  });

  test("property: against a server of capacity C, the limit settles near C × the delay tolerance, not at the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 50, max: 2_000 }), (capacity, serviceMs) => {
        // A FIFO server of `capacity` workers with a full queue: a round trip is ⌈limit / capacity⌉ service times.
        const tuning = { ...DEFAULT_TUNING, ratePerMs: 0.1 };
        let state = initialState(tuning);
        let now = 0;
        let highest = 0;
        for (let round = 0; round < 200; round++) {
          const limit = Math.floor(state.limit);
          const rttMs = Math.ceil(limit / capacity) * serviceMs;
          const sentAt = now;
          now += rttMs;
          for (let i = 0; i < limit; i++) state = nextState(state, ok(rttMs, { sentAt, inFlight: limit }), now, tuning);
          if (round >= 100) highest = Math.max(highest, Math.floor(state.limit));
        }
        // Queueing delay stays within the tolerance: a round trip of at most tolerance × floor + slack, plus one step.
        const bound = capacity * (DEFAULT_TUNING.delayTolerance + DEFAULT_TUNING.delaySlackMs / serviceMs) + capacity;
        expect(highest).toBeLessThanOrEqual(Math.ceil(bound));
      }),
    );
  });
});

describe("AdaptiveConcurrency", () => {
  test("many workers waiting on one signal add one abort listener, removed once none waits", async () => {
    const limit = new AdaptiveConcurrency();
    const held = await Promise.all(Array.from({ length: INITIAL_LIMIT }, () => limit.acquire()));
    const controller = new AbortController();
    const granted = Array.from({ length: 3 }, () => limit.acquire(controller.signal));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    for (const permit of held) permit.release();
    for (const permit of granted) (await permit).release(); // one slot: each waiter in turn
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);

    const again = await Promise.all(Array.from({ length: INITIAL_LIMIT }, () => limit.acquire()));
    const waiting = Array.from({ length: 50 }, () => limit.acquire(controller.signal));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort(new Error("stop"));
    const outcomes = await Promise.allSettled(waiting);
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    for (const permit of again) permit.release();
    expect(limit.inFlight).toBe(0);
  });

  test("grants at most `limit` slots, queues the rest first come first served, and an abort leaves the queue", async () => {
    let now = 0;
    const limit = new AdaptiveConcurrency({ now: () => now });
    const held = await Promise.all(Array.from({ length: INITIAL_LIMIT }, () => limit.acquire()));
    expect(limit.inFlight).toBe(INITIAL_LIMIT);
    const order: number[] = [];
    const controller = new AbortController();
    const aborted = limit.acquire(controller.signal);
    const waiting = [1, 2].map((n) =>
      limit.acquire().then((permit) => {
        order.push(n);
        return permit;
      }),
    );
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    held[0]!.release();
    held[0]!.release(); // twice is once
    const first = await waiting[0]!;
    expect(order).toEqual([1]);
    expect(limit.inFlight).toBe(INITIAL_LIMIT);
    // Answers that grow the limit let the next waiter in without a release.
    now = 100;
    limit.observe({ sentAt: 0, rttMs: 100, pacedMs: 0, outcome: "ok" });
    await waiting[1];
    expect(order).toEqual([1, 2]);
    expect(limit.inFlight).toBe(INITIAL_LIMIT + 1);
    first.release();
  });

  test("before the first answer, with a known rate, the limit grows with the time waited (never past the first answer's jump)", async () => {
    let now = 0;
    // 100 requests/s.
    const limit = new AdaptiveConcurrency({ now: () => now, tuning: { ratePerMs: 0.1 } });
    const first = await limit.acquire();
    expect(limit.limit).toBe(INITIAL_LIMIT);
    const waiting = limit.acquire();
    // Half a second without an answer: the round trip is at least that, so 0.1 × 500 × 1.2 = 60 may be in flight.
    now = 500;
    expect(limit.limit).toBe(60);
    // The waiter gets in on the limit's own timer, with no release and no answer.
    const second = await waiting;
    expect(limit.inFlight).toBe(2);
    // The first answer (1 s) ends the time-based growth: the jump says 0.1 × 1,000 × 1.2 = 120.
    now = 1_000;
    limit.observe({ sentAt: 0, rttMs: 1_000, pacedMs: 0, outcome: "ok" });
    expect(limit.limit).toBe(120);
    now = 100_000;
    expect(limit.limit).toBe(120);
    first.release();
    second.release();
  });

  test("waitedLimit: no rate (NLPearl), after slow start or once a floor is known, the limit is the state's", () => {
    const start = initialState();
    expect(waitedLimit(start, DEFAULT_TUNING, 5_000)).toBe(start.limit);
    const rated = { ...DEFAULT_TUNING, ratePerMs: 0.1 };
    expect(waitedLimit(start, rated, 5_000)).toBe(rated.max);
    expect(waitedLimit({ ...start, floorMs: 200 }, rated, 5_000)).toBe(start.limit);
    expect(waitedLimit({ ...start, slowStart: false }, rated, 5_000)).toBe(start.limit);
  });
});
