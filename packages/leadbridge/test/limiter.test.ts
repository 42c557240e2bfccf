import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ConfigurationError } from "../src/errors.js";
import { defaultMargin, type Permit, SlidingWindowLimiter } from "../src/limiter.js";

/** A limiter on a fake clock, driven synchronously through tryAcquire; unbounded transit unless told. */
function fakeLimiter(
  windows: { limit: number; windowMs: number }[],
  marginMs = 0,
  transitMs = Infinity,
  loopDelayMs = () => 0,
) {
  let now = 0;
  const limiter = new SlidingWindowLimiter(windows, { marginMs, transitMs, now: () => now, loopDelayMs });
  const setNow = (t: number) => {
    now = t;
  };
  return { limiter, setNow };
}

const isPermit = (p: Permit | number): p is Permit => typeof p !== "number";

describe("sliding-window limiter", () => {
  test("the 101st request in a second waits until the first is answered plus a window", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 100, windowMs: 1000 }]);
    const permits = Array.from({ length: 100 }, () => limiter.tryAcquire());
    expect(permits.every(isPermit)).toBe(true);
    // The first request is still in flight: no time is safe yet.
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    setNow(40);
    (permits[0] as Permit).release();
    expect(limiter.tryAcquire()).toBe(1000);
    setNow(1040);
    expect(isPermit(limiter.tryAcquire())).toBe(true);
  });

  test("with a bounded transit, a slow vendor is paced at its full rate: the next window starts from send + transit", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 0, 50);
    const first = limiter.tryAcquire() as Permit;
    // In flight: it holds its slot until its answer.
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    setNow(1000);
    first.release(); // the vendor takes 1 s: the floor
    expect(limiter.tryAcquire()).toBe(50); // 0 + 50 + 1000, not 1000 + 1000
    setNow(1050);
    const second = limiter.tryAcquire() as Permit;
    expect(isPermit(second)).toBe(true);
    setNow(2050);
    second.release(); // on time: arrived by 1100
    expect(limiter.tryAcquire()).toBe(50);
  });

  test("a request in flight holds its slot; a round trip slower than the floor may have arrived late, so the bound moves by the extra time", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 0, 50);
    (limiter.tryAcquire() as Permit).release(); // floor 0 at t=0
    setNow(1000);
    const slow = limiter.tryAcquire() as Permit;
    setNow(1060);
    // In flight: it may reach the vendor any time until its answer.
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    setNow(1300);
    slow.release(); // 300 ms beyond the floor: arrived by 1300 at the latest
    expect(limiter.tryAcquire()).toBe(1000);
  });

  test("the event loop's recent delay widens the transit: a busy process writes its requests late", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 0, 25, () => 120);
    const first = limiter.tryAcquire() as Permit;
    setNow(1000);
    first.release(); // a 1 s vendor; sent at 0 while the loop ran 120 ms late: arrived by 145
    expect(limiter.tryAcquire()).toBe(145);
  });

  test("after assumeSlowTransit (the vendor said 429), a request counts until its answer", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 0, 50);
    limiter.assumeSlowTransit();
    const first = limiter.tryAcquire() as Permit;
    setNow(5000);
    expect(limiter.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    first.release();
    expect(limiter.tryAcquire()).toBe(1000);
  });

  test("the margin widens every window", () => {
    const { limiter, setNow } = fakeLimiter([{ limit: 1, windowMs: 1000 }], 50);
    (limiter.tryAcquire() as Permit).release();
    expect(limiter.tryAcquire()).toBe(1050);
    setNow(1050);
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

  test("property: the server never sees more than `limit` in a window, whatever the latencies and transit bound", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 200 })), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(Number.POSITIVE_INFINITY)),
        (requests, limit, windowMs, transitMs) => {
          // Each request: a gap before asking, and a latency; the server sees it at some point in flight,
          // at most `transitMs` after it left.
          const { limiter, setNow } = fakeLimiter([{ limit, windowMs }], 0, transitMs);
          let now = 0;
          const inFlight: Array<{ done: number; permit: Permit }> = [];
          const arrivals: number[] = [];
          for (const [gap, latency] of requests) {
            now += gap;
            for (;;) {
              setNow(now);
              inFlight.sort((a, b) => a.done - b.done);
              while (inFlight.length && inFlight[0]!.done <= now) inFlight.shift()!.permit.release();
              const p = limiter.tryAcquire();
              if (isPermit(p)) {
                // Worst case for the limiter: the server sees it as late as it can.
                arrivals.push(now + Math.min(latency, transitMs));
                inFlight.push({ done: now + latency, permit: p });
                break;
              }
              now = Number.isFinite(p) ? now + p : inFlight.reduce((m, x) => Math.min(m, x.done), Infinity);
            }
          }
          arrivals.sort((a, b) => a - b);
          for (let i = 0; i + limit < arrivals.length; i++)
            expect(arrivals[i + limit]! - arrivals[i]!).toBeGreaterThanOrEqual(windowMs);
        },
      ),
    );
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
