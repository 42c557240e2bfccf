import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ConfigurationError } from "../src/errors.js";
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  provedNotSent,
  resolveRetry,
  retryDelay,
} from "../src/retry.js";

describe("retry policy", () => {
  test("retries 429, 408 and 5xx; never other 4xx", () => {
    for (const s of [429, 408, 500, 502, 503, 504, 599]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 400, 401, 402, 403, 404, 409, 410, 422]) expect(isRetryableStatus(s)).toBe(false);
  });

  test("full jitter: a uniform draw below an exponential ceiling capped at maxDelayMs", () => {
    const policy = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(999);
    expect(backoffDelay(4, policy, () => 0)).toBe(0);
  });

  test("property: backoff stays within [0, min(max, base·2^(n-1))]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (n, r) => {
        const d = backoffDelay(n, DEFAULT_RETRY, () => r);
        return d >= 0 && d <= Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (n - 1));
      }),
    );
  });

  test("Retry-After in seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test("Retry-After wins over backoff, within the cap", () => {
    const policy = resolveRetry({ retryAfterCapMs: 10_000 });
    expect(retryDelay(1, 3000, policy)).toBe(3000);
    expect(retryDelay(1, 120_000, policy)).toBe(10_000);
    expect(retryDelay(2, undefined, policy, () => 0.5)).toBe(500);
  });

  test("only errors that prove the request never left count as not sent", () => {
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    const reset = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("x"), { code: "ECONNRESET" }),
    });
    expect(provedNotSent(refused)).toBe(true);
    expect(provedNotSent(reset)).toBe(false);
    expect(provedNotSent(new TypeError("Failed to fetch"))).toBe(false);
  });

  test("bad policies are refused", () => {
    expect(() => resolveRetry({ maxAttempts: 0 })).toThrow(ConfigurationError);
    expect(() => resolveRetry({ baseDelayMs: -1 })).toThrow(ConfigurationError);
  });
});

describe("state shared by every bridge", () => {
  test("the public default tables are frozen: no caller can change them under another bridge", async () => {
    const { LEAD_CODES, Reasons } = await import("../src/index.js");
    expect(() => Object.assign(DEFAULT_RETRY, { maxAttempts: 1 })).toThrow(TypeError);
    expect(() => Object.assign(LEAD_CODES, { added: "failed" })).toThrow(TypeError);
    expect(() => Object.assign(Reasons, { aborted: "x" })).toThrow(TypeError);
    expect(resolveRetry(undefined).maxAttempts).toBe(5);
  });
});
