import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { defaultMargin, SlidingWindowLimiter } from "../src/limiter.js";

/** A limiter on a fake clock: reserve() answers when each permit may start, without waiting. */
function fakeLimiter(windows: { limit: number; windowMs: number }[], marginMs = 0) {
  let now = 0;
  const limiter = new SlidingWindowLimiter(windows, { marginMs, now: () => now });
  return { limiter, setNow: (t: number) => void (now = t) };
}

describe("sliding-window limiter", () => {
  test("the 101st request in a second waits until the first is a window old", () => {
    const { limiter } = fakeLimiter([{ limit: 100, windowMs: 1000 }]);
    const starts = Array.from({ length: 101 }, () => limiter.reserve());
    expect(starts.slice(0, 100).every((t) => t === 0)).toBe(true);
    expect(starts[100]).toBe(1000);
  });

  test("the margin widens every window", () => {
    const { limiter } = fakeLimiter([{ limit: 2, windowMs: 1000 }], 50);
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 0, 1050]);
    expect(defaultMargin(1000)).toBe(25);
    expect(defaultMargin(60_000)).toBe(1200);
  });

  test("several windows at once: 100/s and 6,000/min", () => {
    const { limiter } = fakeLimiter([
      { limit: 100, windowMs: 1000 },
      { limit: 6000, windowMs: 60_000 },
    ]);
    const starts = Array.from({ length: 6001 }, () => limiter.reserve());
    expect(starts[5999]).toBe(59_000);
    expect(starts[6000]).toBe(60_000);
  });

  test("pauseUntil holds every later permit", () => {
    const { limiter } = fakeLimiter([{ limit: 100, windowMs: 1000 }]);
    limiter.pauseUntil(5000);
    expect(limiter.reserve()).toBe(5000);
  });

  test("property: no window ever holds more than its limit, whatever the arrival times", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 500 }),
        (gaps, limit, windowMs) => {
          const { limiter, setNow } = fakeLimiter([{ limit, windowMs }]);
          let t = 0;
          const starts: number[] = [];
          for (const gap of gaps) {
            t += gap;
            setNow(t);
            starts.push(limiter.reserve());
          }
          for (let i = 0; i + limit < starts.length; i++) {
            // The (i+limit)-th permit starts at least a full window after the i-th.
            expect(starts[i + limit]! - starts[i]!).toBeGreaterThanOrEqual(windowMs);
          }
          for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]!);
        },
      ),
    );
  });

  test("acquire waits on the real clock", async () => {
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 30 }], { marginMs: 0 });
    await limiter.acquire();
    const before = performance.now();
    await limiter.acquire();
    expect(performance.now() - before).toBeGreaterThanOrEqual(25);
  });

  test("invalid windows are refused", () => {
    expect(() => new SlidingWindowLimiter([{ limit: 0, windowMs: 1000 }])).toThrow(RangeError);
  });
});
