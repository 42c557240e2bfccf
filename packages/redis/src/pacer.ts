import type { Redis } from "ioredis";
import {
  CALM_MARGINS,
  defaultMargin,
  eventLoopDelayMs,
  FLOOR_SAMPLES,
  type Pacer,
  type PacerKey,
  type RateWindow,
  type SharedPacing,
} from "leadbridge";
import { RedisConcurrency } from "./concurrency.js";
import { digest, POLL_MS, Script, Turns, withRedis } from "./connection.js";

export interface RedisPacingOptions {
  /** Prefix of every key this writes. Default `"leadbridge"`. */
  prefix?: string;
  /**
   * How much later than its send a request may be counted by the vendor, and clock granularity, ms.
   * Default: 2% of the window, at least 25 ms (as in-process).
   */
  marginMs?: number;
  /**
   * The longest a request may hold its slot. A worker that dies mid-request never releases it; after this
   * the slot counts as answered at its deadline. Must exceed the facade's `retry.timeoutMs` (default 60 s).
   * Default 120,000.
   */
  leaseMs?: number;
  /** How long to wait for an unreachable Redis before the call stops with `RedisUnavailableError`. Default 30,000. */
  unavailableAfterMs?: number;
  /**
   * Share each account's adaptive in-flight limit (and count) through Redis too, so the whole fleet keeps
   * at most that many requests in flight. Default `true`; `false`: each process adapts its own.
   */
  shareConcurrency?: boolean;
  /** How long an idle account's shared state (round-trip floor, in-flight limit) is kept, ms. Default 600,000. */
  stateTtlMs?: number;
  /** An in-flight slot's lease, renewed while its holder lives (a killed worker's slots free within it). Default 10,000. */
  slotLeaseMs?: number;
  /** This process's recent worst event-loop delay, ms; default: measured (leadbridge's `eventLoopDelayMs`). */
  loopDelayMs?: () => number;
}

/** How long a round-trip floor is remembered (as in-process). */
const FLOOR_SPAN_MS = 30_000;

/**
 * The in-process limiter's rule (leadbridge `limiter.ts`, where its proof is), on Redis's clock (`TIME`, so
 * workers' clocks never matter). One sorted set per window: a member per request, scored with when its slot
 * frees, or, while it is in flight, its lease deadline. `<key>:sent` holds each request's send time until
 * its answer; `<key>:floor` the fastest round trip of the current and previous `FLOOR_SPAN_MS` (trusted from
 * `FLOOR_SAMPLES` round trips sent after the first answer on, or sooner: see RELEASE); `<key>:strict`
 * is set after a 429 (every request then counts until its answer plus a window).
 * A request may start when every window has fewer than `limit` members scored after now.
 *
 * KEYS: pause, sent, window sets…; ARGV: member, lease, ttl, poll, limit per window…
 * Returns {1, 0} with the slot taken, or {0, ms}: when to ask again (an exact time, or `poll` while the slot
 * that frees first is in flight).
 */
const ACQUIRE = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease, ttl, poll = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then return {0, paused - now} end
local wait = 0
for i = 3, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[i + 2]) then
    local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local w = tonumber(first[2]) - now
    if redis.call('HEXISTS', KEYS[2], first[1]) == 1 and w > poll then w = poll end
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
redis.call('HSET', KEYS[2], ARGV[1], now)
redis.call('PEXPIRE', KEYS[2], ttl)
return {1, 0}
`);

/**
 * The answer is back: the member's slot frees at max(arrivedBy + window, now + margin). Redis's times bound
 * when this process held the permit from outside: it got the grant at most `lag = round trip − heldMs` after
 * Redis's send time (heldMs: how long it held the permit, on its own clock), so a slow Redis reply or a busy
 * process cannot make a request reach the vendor later than assumed. arrivedBy = margin + min(now, sent +
 * lag + the process's recent event-loop delay + how much longer than the floor it was held). Only if the
 * member is still there (XX: an expired lease is never re-added).
 * Before the floor is trusted a request counts whole, and `<key>:prov` keeps it; the answer that makes the
 * floor trusted remeasures those by it (ZADD LT: only sooner), if its process's event loop is calm. Round
 * trips sent before the first answer make the floor too (`<key>:early`) when timed from their write, read
 * on a calm loop, and `FLOOR_SAMPLES` of them lie within `tight` of the fastest (as in-process).
 * KEYS: sent, floor, strict, early, prov, window sets…; ARGV: member, heldMs, loop delay at the grant, loop
 * delay now, wrote (1/0), floor span, ttl, tight, calm, (window, margin)…
 */
const RELEASE = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sent = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
if not sent then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local held = math.min(math.max(0, tonumber(ARGV[2])), now - sent)
local lag = now - sent - held
local loop, loopNow, ttl, tight = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[7]), tonumber(ARGV[8])
local calm = loopNow <= tonumber(ARGV[9])
local f = redis.call('HMGET', KEYS[2], 'current', 'previous', 'since', 'n', 'np', 'first')
local current, previous, since = tonumber(f[1] or '-1'), tonumber(f[2] or '-1'), tonumber(f[3] or '0')
local n, np, first = tonumber(f[4] or '0'), tonumber(f[5] or '0'), tonumber(f[6] or '-1')
if now - since >= tonumber(ARGV[6]) then previous, current, since, np, n = current, -1, now, n, 0 end
local before = current
if before < 0 or (previous >= 0 and previous < before) then before = previous end
local trusted = n + np >= ${FLOOR_SAMPLES}
if not trusted then before = -1 end
if current < 0 or held < current then current = held end
if first >= 0 and sent >= first then
  n = n + 1
elseif not trusted and ARGV[5] == '1' and calm then
  redis.call('RPUSH', KEYS[4], held)
  redis.call('PEXPIRE', KEYS[4], ttl)
  local early = redis.call('LRANGE', KEYS[4], 0, -1)
  local fastest = math.huge
  for _, r in ipairs(early) do fastest = math.min(fastest, tonumber(r)) end
  local near = 0
  for _, r in ipairs(early) do if tonumber(r) <= fastest + tight then near = near + 1 end end
  if near >= ${FLOOR_SAMPLES} then
    n = math.max(n, ${FLOOR_SAMPLES})
    redis.call('DEL', KEYS[4])
  end
end
if first < 0 then first = now end
redis.call('HSET', KEYS[2], 'current', current, 'previous', previous, 'since', since, 'n', n, 'np', np, 'first', first)
redis.call('PEXPIRE', KEYS[2], ttl)
local strict = redis.call('EXISTS', KEYS[3]) == 1
local function free(member, wrote, answered, lp, excess, only)
  local arrived = math.min(answered, wrote + lp + excess)
  if strict then arrived = answered end
  for i = 6, #KEYS do
    local window, margin = tonumber(ARGV[(i - 6) * 2 + 10]), tonumber(ARGV[(i - 6) * 2 + 11])
    local score = math.max(arrived + margin + window, answered + margin)
    if only then redis.call('ZADD', KEYS[i], 'XX', 'LT', score, member)
    else redis.call('ZADD', KEYS[i], 'XX', score, member) end
  end
end
local excess = held
if before >= 0 then excess = math.max(0, held - before) end
free(ARGV[1], sent + lag, now, loop, excess, false)
if before < 0 then
  if not strict then
    redis.call('HSET', KEYS[5], ARGV[1], (sent + lag) .. ':' .. now .. ':' .. loop)
    redis.call('PEXPIRE', KEYS[5], ttl)
  end
elseif redis.call('EXISTS', KEYS[5]) == 1 then
  if calm and not strict then
    local floor = current
    if previous >= 0 and previous < floor then floor = previous end
    local prov = redis.call('HGETALL', KEYS[5])
    for j = 1, #prov, 2 do
      local w, a, l = string.match(prov[j + 1], '([^:]+):([^:]+):([^:]+)')
      w, a, l = tonumber(w), tonumber(a), tonumber(l)
      free(prov[j], w, a, math.max(l, loopNow), math.max(0, a - w - floor), true)
    end
  end
  redis.call('DEL', KEYS[5])
end
return 1
`);

/** A 429 although paced: every process counts each request until its answer plus a window (ARGV[1]: ttl). */
const STRICT = new Script(`redis.call('SET', KEYS[1], 1, 'PX', tonumber(ARGV[1])) return 1`);

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
  const limits = new Map<string, RedisConcurrency>();
  const keyOf = (key: PacerKey) =>
    `${options.prefix ?? "leadbridge"}:pace:${key.vendor}:${digest(key.baseUrl ?? "", key.credentialHash)}`;
  const pacing: SharedPacing = {
    pacerFor(key) {
      const id = keyOf(key);
      let pacer = pacers.get(id);
      if (!pacer) {
        pacer = new RedisPacer(redis, id, key.windows, options);
        pacers.set(id, pacer);
      }
      return pacer;
    },
  };
  if (options.shareConcurrency !== false) {
    pacing.concurrencyFor = (key, tuning) => {
      const id = keyOf(key);
      let limit = limits.get(id);
      if (!limit) {
        limit = new RedisConcurrency(redis, id, { ...options, tuning });
        limits.set(id, limit);
      }
      return limit;
    };
  }
  return pacing;
}

/** One account's pace. Waiters in this process queue first come, first served, and ask Redis one at a time. */
export class RedisPacer implements Pacer {
  private readonly acquireKeys: string[];
  private readonly acquireArgs: number[];
  private readonly releaseKeys: string[];
  private readonly releaseArgs: number[];
  private readonly call: { unavailableAfterMs: number };
  private readonly ttlMs: number;
  private readonly loopDelayMs: () => number;
  /** Waiters in this process; an answer here wakes them early. */
  private readonly turns = new Turns((member) => this.take(member));

  constructor(
    private readonly redis: Redis,
    /** The account's key prefix: `<key>:pause` holds a Retry-After pause, `<key>:w:<limit>:<ms>` a window. */
    readonly key: string,
    windows: readonly RateWindow[],
    options: RedisPacingOptions = {},
  ) {
    const leaseMs = options.leaseMs ?? 120_000;
    this.loopDelayMs = options.loopDelayMs ?? eventLoopDelayMs;
    if (!(Number.isInteger(leaseMs) && leaseMs > 0)) throw new RangeError("leaseMs must be a positive integer");
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit >= 1 && w.windowMs > 0))
        throw new RangeError(`invalid rate window ${JSON.stringify(w)}`);
    }
    const windowKeys = windows.map((w) => `${key}:w:${w.limit}:${w.windowMs}`);
    const margins = windows.map((w) => Math.ceil(options.marginMs ?? defaultMargin(w.windowMs)));
    // Keys outlive every slot they hold: a lease, or a window after an answer.
    this.ttlMs = Math.ceil(leaseMs + Math.max(0, ...windows.map((w, i) => w.windowMs + margins[i]!)));
    this.acquireKeys = [`${key}:pause`, `${key}:sent`, ...windowKeys];
    this.acquireArgs = [leaseMs, this.ttlMs, POLL_MS, ...windows.map((w) => w.limit)];
    this.releaseKeys = [`${key}:sent`, `${key}:floor`, `${key}:strict`, `${key}:early`, `${key}:prov`, ...windowKeys];
    const tight = Math.min(...margins);
    this.releaseArgs = [
      FLOOR_SPAN_MS,
      this.ttlMs,
      tight,
      CALM_MARGINS * tight,
      ...windows.flatMap((w, i) => [Math.ceil(w.windowMs), margins[i]!]),
    ];
    this.call = { unavailableAfterMs: options.unavailableAfterMs ?? 30_000 };
  }

  acquire(signal?: AbortSignal): Promise<{ release(): void; wrote(): void }> {
    return this.turns.wait(signal);
  }

  pauseUntil(until: number): void {
    const ms = Math.ceil(until - Date.now());
    if (ms <= 0) return;
    // Best effort: a pause that does not reach Redis only costs a 429 more.
    withRedis(this.redis, this.call, () => PAUSE.run(this.redis, [this.acquireKeys[0]!], [ms])).catch(() => {});
  }

  /** The vendor answered 429 although paced: the whole fleet counts each request until its answer. */
  assumeSlowTransit(): void {
    withRedis(this.redis, this.call, () => STRICT.run(this.redis, [this.releaseKeys[2]!], [this.ttlMs])).catch(
      () => {},
    );
  }

  private async take(member: string): Promise<{ release(): void; wrote(): void } | number> {
    const [granted, waitMs] = (await withRedis(this.redis, this.call, () =>
      ACQUIRE.run(this.redis, this.acquireKeys, [member, ...this.acquireArgs]),
    )) as [number, number];
    return granted === 1 ? this.permit(member, performance.now(), this.loopDelayMs()) : waitMs;
  }

  private permit(member: string, granted: number, loopDelayMs: number): { release(): void; wrote(): void } {
    let released = false;
    let wrote = false;
    return {
      // The request left this process now: held from here, the time before it counts as lag on the way in.
      wrote: () => {
        if (wrote || released) return;
        wrote = true;
        granted = performance.now();
      },
      release: () => {
        if (released) return;
        released = true;
        const heldMs = Math.floor(performance.now() - granted);
        // If this never reaches Redis, the lease frees the slot at its deadline.
        withRedis(this.redis, this.call, () =>
          RELEASE.run(this.redis, this.releaseKeys, [
            member,
            heldMs,
            loopDelayMs,
            this.loopDelayMs(),
            wrote ? 1 : 0,
            ...this.releaseArgs,
          ]),
        )
          .then(() => this.turns.wake())
          .catch(() => {});
      },
    };
  }
}
