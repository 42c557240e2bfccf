import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ConfigurationError } from "../src/errors.js";
import { defaultMargin, FLOOR_SAMPLES, type Permit, SlidingWindowLimiter } from "../src/limiter.js";

/** A limiter on a fake clock, driven synchronously through tryAcquire. */
function fakeLimiter(
  windows: { limit: number; windowMs: number }[],
  marginMs = 0,
  { strict = false, loopDelayMs = () => 0 }: { strict?: boolean; loopDelayMs?: () => number } = {},
) {
  let now = 0;
  const limiter = new SlidingWindowLimiter(windows, { marginMs, strict, now: () => now, loopDelayMs });
  const setNow = (t: number) => {
    now = t;
  };
  return { limiter, setNow };
}

/**
 * A limiter whose round-trip floor is `floorMs` (requests answered in `floorMs`), at a time
 * the test calls 10 s, with every slot free (windows up to 2 s). Before that many answers there is no floor,
 * and a round trip counts whole as possible delay.
 */
function warmLimiter(
  windows: { limit: number; windowMs: number }[],
  floorMs: number,
  marginMs = 0,
  loopDelayMs = () => 0,
) {
  const fake = fakeLimiter(windows, marginMs, { loopDelayMs });
  let t = 0;
  // The first answer, then FLOOR_SAMPLES round trips sent after it.
  for (let i = 0; i <= FLOOR_SAMPLES; i++) {
    let permit = fake.limiter.tryAcquire();
    if (typeof permit === "number") {
      t += permit;
      fake.setNow(t);
      permit = fake.limiter.tryAcquire();
    }
    t += floorMs;
    fake.setNow(t);
    (permit as Permit).release();
  }
  // Long enough for every slot to free; the tests' clock reads 10,000 here.
  const offset = t + 5_000 - 10_000;
  const setNow = (at: number) => fake.setNow(at + offset);
  setNow(10_000);
  return { limiter: fake.limiter, setNow };
}

const isPermit = (p: Permit | number): p is Permit => typeof p !== "number";

describe("sliding-window limiter", () => {
  test("the 101st request in a second waits for a slot: one in flight holds it until its answer", () => {
    const { limiter, setNow } = warmLimiter([{ limit: 100, windowMs: 1000 }], 40);
    const permits = Array.from({ length: 100 }, () => limiter.tryAcquire());
    expect(permits.every(isPermit)).toBe(true);
    // Every slot is in flight: no time is safe yet.
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    setNow(10_040);
    (permits[0] as Permit).release();
    // Answered in the floor's 40 ms: its slot frees a window after its send.
    expect(limiter.tryAcquire()).toBe(960);
    setNow(11_000);
    expect(isPermit(limiter.tryAcquire())).toBe(true);
  });

  test("before any answer there is no floor: the first round trip counts whole as possible delay", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }]);
    const first = limiter.tryAcquire() as Permit;
    setNow(40);
    first.release();
    expect(limiter.tryAcquire()).toBe(1000); // from its answer at 40
  });

  test("a round trip slower than the floor may have been slow on the way in: the excess moves the slot's end", () => {
    const { limiter, setNow } = warmLimiter([{ limit: 1, windowMs: 1000 }], 10);
    const slow = limiter.tryAcquire() as Permit;
    setNow(10_310); // 300 ms beyond the floor of 10
    slow.release();
    expect(limiter.tryAcquire()).toBe(1300 - 310); // frees at 10,000 + 300 + 1,000
  });

  test("a vendor as slow as the window is paced at its full rate: the slot frees at max(send + window, answer) + margin", () => {
    const { limiter, setNow } = warmLimiter([{ limit: 1, windowMs: 1000 }], 1000, 25);
    const first = limiter.tryAcquire() as Permit;
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    setNow(11_000);
    first.release(); // a 1 s round trip, the floor
    expect(limiter.tryAcquire()).toBe(25); // 10,000 + 1,000 + 25, not 11,000 + 1,000 + 25
    setNow(11_025);
    const second = limiter.tryAcquire() as Permit;
    setNow(12_025);
    second.release();
    expect(limiter.tryAcquire()).toBe(25);
  });

  test("answers out of order: whichever slot frees first is used", () => {
    const { limiter, setNow } = warmLimiter([{ limit: 2, windowMs: 100 }], 400);
    const a = limiter.tryAcquire() as Permit;
    setNow(10_010);
    const b = limiter.tryAcquire() as Permit;
    setNow(10_410);
    b.release(); // a is still in flight
    expect(isPermit(limiter.tryAcquire())).toBe(true);
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    a.release();
  });

  test("the event loop's recent delay widens the margin: a busy process writes its requests late", () => {
    const { limiter, setNow } = warmLimiter([{ limit: 1, windowMs: 1000 }], 200, 25, () => 120);
    const p = limiter.tryAcquire() as Permit;
    setNow(10_200);
    p.release(); // at the floor of 200, and the loop 120 ms late
    expect(limiter.tryAcquire()).toBe(1145 - 200); // frees at 10,000 + 120 + 25 + 1,000
  });

  test("the floor needs FLOOR_SAMPLES round trips sent after the first answer: until then a round trip counts whole", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }]);
    let t = 0;
    for (let i = 0; i <= FLOOR_SAMPLES; i++) {
      const p = limiter.tryAcquire() as Permit;
      t += 40;
      setNow(t);
      p.release();
      // Not yet a floor: the slot frees a window after the answer.
      expect(limiter.tryAcquire()).toBe(1000);
      t += 1000;
      setNow(t);
    }
    const p = limiter.tryAcquire() as Permit;
    setNow(t + 40);
    p.release();
    // The floor of 40 is known now: a window after the send.
    expect(limiter.tryAcquire()).toBe(960);
  });

  test("a slot is measured from when the request's bytes left, so a floor made by slow writes does not shorten it", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }]);
    let t = 0;
    // The first answer and FLOOR_SAMPLES round trips after it, each written 150 ms after its permit and
    // answered 100 ms after the write: from the permits the floor would be 250 ms, from the writes 100 ms.
    for (let i = 0; i <= FLOOR_SAMPLES; i++) {
      const p = limiter.tryAcquire() as Permit;
      setNow(t + 150);
      p.wrote!();
      setNow(t + 250);
      p.release();
      t += 2250;
      setNow(t);
    }
    // Written 300 ms after its permit, answered 100 ms later: it reached the vendor at the write at the
    // earliest, so its slot frees a window after the write (not after permit + 400 − 250).
    const start = t;
    const p = limiter.tryAcquire() as Permit;
    setNow(start + 300);
    p.wrote!();
    setNow(start + 400);
    p.release();
    expect(limiter.tryAcquire()).toBe(start + 300 + 1000 - (start + 400));
  });

  describe("the first window: a floor from its own round trips", () => {
    /** 100 requests written at once and answered a second later, on a limiter of 100 a second. */
    function firstWindow({
      write,
      loopDelayMs = () => 0,
      spreadMs = 0,
    }: {
      write: boolean;
      loopDelayMs?: () => number;
      spreadMs?: number;
    }) {
      const { limiter, setNow } = fakeLimiter([{ limit: 100, windowMs: 1000 }], 25, { loopDelayMs });
      const permits = Array.from({ length: 100 }, () => limiter.tryAcquire() as Permit);
      if (write) for (const p of permits) p.wrote!();
      permits.forEach((p, i) => {
        setNow(1000 + i * spreadMs);
        p.release();
      });
      return limiter;
    }

    test("timed from their writes, on a calm event loop: they free a window after their sends", () => {
      // The floor (1,000 ms) is known from the 21st answer on; the 20 before it are remeasured by it.
      expect(firstWindow({ write: true }).tryAcquire()).toBe(25);
    });

    test("timed from their permits: they count whole, as a send taken then includes opening a connection", () => {
      expect(firstWindow({ write: false }).tryAcquire()).toBe(1025);
    });

    test("on a busy event loop (a delay over two margins): they count whole, as their answers may have been read late", () => {
      expect(firstWindow({ write: true, loopDelayMs: () => 51 }).tryAcquire()).toBe(1025);
      expect(firstWindow({ write: true, loopDelayMs: () => 50 }).tryAcquire()).toBe(25 + 50);
    });

    test("answered over a spread wider than a margin (a start slow on one side): they count whole", () => {
      // 2 ms apart: 13 answers within 25 ms of the fastest, fewer than FLOOR_SAMPLES. The last came at 1,198.
      expect(firstWindow({ write: true, spreadMs: 2 }).tryAcquire()).toBe(2025 - 1198);
      // 1 ms apart: 26 within 25 ms; by the last answer (at 1,099) the first slot (1,025) is free.
      expect(isPermit(firstWindow({ write: true, spreadMs: 1 }).tryAcquire())).toBe(true);
    });

    test("a remeasure touches only a slot its request still holds", () => {
      // One slot: every request takes the slot the one before it freed. The first answer and FLOOR_SAMPLES
      // round trips sent after it make the floor; the requests answered before it are remeasured by it, and
      // must leave the slot of the one that made it alone.
      const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 25);
      let t = 0;
      for (let i = 0; i <= FLOOR_SAMPLES + 1; i++) {
        let p = limiter.tryAcquire();
        if (typeof p === "number") {
          t += p;
          setNow(t);
          p = limiter.tryAcquire() as Permit;
        }
        p.wrote!();
        // The last round trip is slower than the floor (100 ms): its slot frees later than the others would.
        t += i === FLOOR_SAMPLES + 1 ? 300 : 100;
        setNow(t);
        p.release();
      }
      const sent = t - 300;
      expect(limiter.tryAcquire()).toBe(sent + 200 + 25 + 1000 - t);
    });
  });

  test("strict, or after assumeSlowTransit (the vendor said 429): a request counts until its answer plus a window", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 0);
    limiter.assumeSlowTransit();
    const first = limiter.tryAcquire() as Permit;
    setNow(5000);
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    first.release();
    expect(limiter.tryAcquire()).toBe(1000);
    const strict = fakeLimiter([{ limit: 1, windowMs: 1000 }], 0, { strict: true });
    const p = strict.limiter.tryAcquire() as Permit;
    strict.setNow(300);
    p.release();
    expect(strict.limiter.tryAcquire()).toBe(1000);
    const margined = fakeLimiter([{ limit: 1, windowMs: 1000 }], 25, { strict: true });
    (margined.limiter.tryAcquire() as Permit).release();
    expect(margined.limiter.tryAcquire()).toBe(1025);
  });

  test("the margin widens every window", () => {
    const { limiter, setNow } = warmLimiter([{ limit: 1, windowMs: 1000 }], 0, 50);
    (limiter.tryAcquire() as Permit).release();
    expect(limiter.tryAcquire()).toBe(1050);
    setNow(11_050);
    expect(isPermit(limiter.tryAcquire())).toBe(true);
    expect(defaultMargin(1000)).toBe(25);
    expect(defaultMargin(60_000)).toBe(1200);
  });

  test("several windows at once: 100/s and 6,000/min", () => {
    const { limiter, setNow } = fakeLimiter([
      { limit: 100, windowMs: 1000 },
      { limit: 6000, windowMs: 60_000 },
    ]);
    let t = 0;
    let granted = 0;
    while (granted < 6001) {
      const p = limiter.tryAcquire();
      if (isPermit(p)) {
        p.release();
        granted++;
      } else {
        t += p;
        setNow(t);
      }
    }
    // The 6,001st waits for the first to be a minute old, although 100/s alone would allow it at 60 s.
    expect(t).toBe(60_000);
  });

  test("pauseUntil holds every later permit", () => {
    const { limiter } = fakeLimiter([{ limit: 100, windowMs: 1000 }]);
    limiter.pauseUntil(5000);
    expect(limiter.tryAcquire()).toBe(5000);
  });

  // The model: each request asks after a gap, takes `latency` to answer, and the vendor counts it at
  // `send + delay`, any delay within [0, min(margin, latency)] (strict: within [0, latency], no bound).
  // Whatever the draws, no window of the vendor's counting holds more than `limit`.
  const requests = fc.array(
    fc.record({
      gap: fc.integer({ min: 0, max: 30 }),
      latency: fc.integer({ min: 0, max: 400 }),
      delay: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 200 },
  );
  for (const { strict, wrote } of [
    { strict: false, wrote: false },
    { strict: false, wrote: true },
    { strict: true, wrote: false },
  ]) {
    test(`property${strict ? ", strict" : ""}${wrote ? ", sends timed from their writes" : ""}: the vendor never counts more than \`limit\` in a window when arrival delay ≤ ${strict ? "latency" : "margin"}`, () => {
      fc.assert(
        fc.property(
          requests,
          fc.integer({ min: 1, max: 8 }),
          fc.integer({ min: 1, max: 300 }),
          fc.integer({ min: 0, max: 100 }),
          fc.integer({ min: 0, max: 40 }),
          (requests, limit, windowMs, marginMs, loopDelay) => {
            const arrivals = simulate(requests, { limit, windowMs }, marginMs, strict, loopDelay, wrote);
            arrivals.sort((a, b) => a - b);
            for (let i = 0; i + limit < arrivals.length; i++)
              expect(arrivals[i + limit]! - arrivals[i]!).toBeGreaterThanOrEqual(windowMs);
          },
        ),
      );
    });
  }

  function simulate(
    requests: { gap: number; latency: number; delay: number }[],
    window: { limit: number; windowMs: number },
    marginMs: number,
    strict: boolean,
    loopDelay: number,
    wrote = false,
  ): number[] {
    const { limiter, setNow } = fakeLimiter([window], marginMs, { strict, loopDelayMs: () => loopDelay });
    let now = 0;
    const inFlight: Array<{ done: number; permit: Permit }> = [];
    const arrivals: number[] = [];
    for (const { gap, latency, delay } of requests) {
      now += gap;
      for (;;) {
        setNow(now);
        inFlight.sort((a, b) => a.done - b.done);
        while (inFlight.length && inFlight[0]!.done <= now) inFlight.shift()!.permit.release();
        const p = limiter.tryAcquire();
        if (isPermit(p)) {
          if (wrote) p.wrote!();
          const bound = strict ? latency : Math.min(latency, marginMs + loopDelay);
          arrivals.push(now + delay * bound);
          inFlight.push({ done: now + latency, permit: p });
          break;
        }
        now = Number.isFinite(p) ? now + p : inFlight.reduce((m, x) => Math.min(m, x.done), Infinity);
      }
    }
    return arrivals;
  }

  test("model clock: at 1 s latency a 100/s window admits ~100 a second (was 50 when a slot waited for its answer plus a window)", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 100, windowMs: 1000 }], 25);
    let now = 0;
    const inFlight: Array<{ done: number; permit: Permit }> = [];
    let sent = 0;
    while (now < 20_000) {
      setNow(now);
      while (inFlight.length && inFlight[0]!.done <= now) inFlight.shift()!.permit.release();
      const p = limiter.tryAcquire();
      if (isPermit(p)) {
        inFlight.push({ done: now + 1000, permit: p });
        sent++;
      } else now = Number.isFinite(p) ? now + p : inFlight[0]!.done;
    }
    // 100 per 1,025 ms (the window plus the 25 ms margin); the first hundred at once, and before a floor is
    // known they hold their slots until their answer plus a window.
    expect(sent).toBeGreaterThanOrEqual(1800);
    expect(sent).toBeLessThanOrEqual(2000);
  });

  test("acquire waits for a permit on the real clock, and an abort ends the wait", async () => {
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 30 }], { marginMs: 0 });
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    first.release();
    const second = await limiter.acquire();
    second.release();
  });

  test("invalid windows are refused", () => {
    expect(() => new SlidingWindowLimiter([{ limit: 0, windowMs: 1000 }])).toThrow(ConfigurationError);
  });
});
