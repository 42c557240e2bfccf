import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { type Pacer, type RateWindow, type SharedPacing, WaiterQueue } from "leadbridge";
import { digest, Script, withRedis } from "./connection.js";

export interface RedisPacingOptions {
  /** Prefix of every key this writes. Default `"leadbridge"`. */
  prefix?: string;
  /** Extra gap added to every window, for clock granularity. Default: 2% of the window, at least 25 ms (as in-process). */
  marginMs?: number;
  /**
   * The longest a request may hold its slot. A worker that dies mid-request never releases it; after this
   * the slot counts as answered at its deadline. Must exceed the facade's `retry.timeoutMs` (default 60 s).
   * Default 120,000.
   */
  leaseMs?: number;
  /** How long to wait for an unreachable Redis before the call stops with `RedisUnavailableError`. Default 30,000. */
  unavailableAfterMs?: number;
}

/** The default safety margin, the in-process limiter's: 2% of the window, at least 25 ms. */
function defaultMargin(windowMs: number): number {
  return Math.max(25, Math.ceil(windowMs * 0.02));
}

/**
 * One sorted set per account: a member per request, scored with the time its answer came back, or, while it
 * is in flight, its lease deadline (a future time). A request may start when, in every window, fewer than
 * `limit` members score after `now − (window + margin)`: each of those is in flight or was answered within
 * the window, and the server counted it somewhere between its start and its answer. Times are Redis's
 * (`TIME`), so workers' clocks never matter. A shared concurrency limit would count the members scored
 * after `now` (the ones in flight) in this same script.
 *
 * Returns {1, 0} with the slot taken, or {0, ms}: the least time before a slot can free.
 */
const ACQUIRE = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {0, paused - now} end
local wait, longest = 0, 0
for i = 3, #ARGV, 2 do
  local limit, span = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if span > longest then longest = span end
  local active = redis.call('ZCOUNT', KEYS[1], '(' .. (now - span), '+inf')
  if active >= limit then
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - span), '+inf', 'WITHSCORES', 'LIMIT', active - limit, 1)
    local score = tonumber(e[2])
    -- In flight: it frees a full span after its answer, which is not back yet.
    local w = span
    if score <= now then w = score + span - now end
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - longest))
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease + longest)
return {1, 0}
`);

/** The answer is back: score the member with now (only if it is still there; XX never re-adds it). */
const RELEASE = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 1
`);

/** Retry-After: nobody starts before now + ARGV[1] ms (only ever extended). */
const PAUSE = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > paused then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1])) end
return 1
`);

/**
 * Pacing shared through Redis by every process that uses it: pass it as a vendor's `rateLimit`, and each
 * vendor account (vendor, base URL and a hash of the credential) gets one pace across the whole fleet.
 */
export function redisPacing(redis: Redis, options: RedisPacingOptions = {}): SharedPacing {
  const pacers = new Map<string, RedisPacer>();
  return {
    pacerFor(key) {
      const id = `${key.vendor}:${digest(key.baseUrl ?? "", key.credentialHash)}`;
      let pacer = pacers.get(id);
      if (!pacer) {
        pacer = new RedisPacer(redis, `${options.prefix ?? "leadbridge"}:pace:${id}`, key.windows, options);
        pacers.set(id, pacer);
      }
      return pacer;
    },
  };
}

/** One account's pace. Waiters in this process queue first come, first served, and ask Redis one at a time. */
export class RedisPacer implements Pacer {
  private readonly keys: [string, string];
  private readonly args: number[];
  private readonly call: { unavailableAfterMs: number };
  private readonly id = randomBytes(6).toString("hex");
  private serial = 0;
  private readonly waiters = new WaiterQueue<{ release(): void }>();
  private pumping = false;

  constructor(
    private readonly redis: Redis,
    /** The account's key; `<key>:pause` holds a Retry-After pause. */
    readonly key: string,
    windows: readonly RateWindow[],
    options: RedisPacingOptions = {},
  ) {
    const leaseMs = options.leaseMs ?? 120_000;
    if (!(Number.isInteger(leaseMs) && leaseMs > 0)) throw new RangeError("leaseMs must be a positive integer");
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit >= 1 && w.windowMs > 0))
        throw new RangeError(`invalid rate window ${JSON.stringify(w)}`);
    }
    this.keys = [key, `${key}:pause`];
    this.args = [leaseMs];
    for (const w of windows)
      this.args.push(w.limit, Math.ceil(w.windowMs + (options.marginMs ?? defaultMargin(w.windowMs))));
    this.call = { unavailableAfterMs: options.unavailableAfterMs ?? 30_000 };
  }

  acquire(signal?: AbortSignal): Promise<{ release(): void }> {
    const permit = this.waiters.wait(signal);
    void this.pump();
    return permit;
  }

  pauseUntil(until: number): void {
    const ms = Math.ceil(until - Date.now());
    if (ms <= 0) return;
    // Best effort: a pause that does not reach Redis only costs a 429 more.
    withRedis(this.redis, this.call, () => PAUSE.run(this.redis, [this.keys[1]], [ms])).catch(() => {});
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.size > 0) {
        const member = `${this.id}:${this.serial++}`;
        let answer: [number, number];
        try {
          answer = (await withRedis(this.redis, this.call, () =>
            ACQUIRE.run(this.redis, this.keys, [member, ...this.args]),
          )) as [number, number];
        } catch (error) {
          // Redis is gone for good (or the script failed): every waiter gets the error, none a slot.
          this.waiters.rejectAll(error);
          return;
        }
        if (answer[0] === 1) {
          const permit = this.permit(member);
          // Everyone gave up meanwhile: hand the slot back at once.
          if (!this.waiters.serve(permit)) permit.release();
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, answer[1]));
      }
    } finally {
      this.pumping = false;
    }
  }

  private permit(member: string): { release(): void } {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        // If this never reaches Redis, the lease frees the slot at its deadline.
        withRedis(this.redis, this.call, () => RELEASE.run(this.redis, [this.keys[0]], [member])).catch(() => {});
      },
    };
  }
}
