// The adaptive in-flight limit of one vendor account, shared by every process through Redis: one limit
// (leadbridge's `ConcurrencyState`, updated by its pure `nextState`) and one count of requests in flight.
import type { Redis } from "ioredis";
import {
  type ConcurrencySample,
  type ConcurrencyState,
  type ConcurrencyTuning,
  DEFAULT_TUNING,
  type InFlightLimit,
  type InFlightPermit,
  initialState,
  nextState,
} from "leadbridge";
import { POLL_MS, Script, Turns, withRedis } from "./connection.js";

/**
 * A slot, if the fleet's in-flight count is below the shared limit. `<key>:inflight` holds a member per
 * slot, scored with its lease deadline: a process killed mid-batch leaks its slots until then, no longer.
 * KEYS: state, inflight; ARGV: member, lease, initial limit, ttl. Returns {1, count} or {0, count}.
 */
const TAKE = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit') or ARGV[3])
local count = redis.call('ZCARD', KEYS[2])
if count >= math.floor(limit) then return {0, count} end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
return {1, count + 1}
`);

const GIVE_BACK = new Script(`return redis.call('ZREM', KEYS[1], ARGV[1])`);

/** The holder is alive: its slot's lease runs ARGV[2] ms from now (only if the slot is still there). */
const RENEW = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
`);

/** The state, its version and the in-flight count. KEYS: state, inflight. */
const READ = new Script(`
local s = redis.call('HMGET', KEYS[1], 'v', 'limit', 'floor', 'slow', 'decreased')
return {s[1] or '0', s[2] or '', s[3] or '', s[4] or '', s[5] or '', redis.call('ZCARD', KEYS[2])}
`);

/** Writes the state if its version is still ARGV[1] (compare and set). KEYS: state; ARGV: v, limit, floor, slow, decreased, ttl. */
const WRITE = new Script(`
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'limit', ARGV[2], 'floor', ARGV[3], 'slow', ARGV[4], 'decreased', ARGV[5])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
return 1
`);

export interface RedisConcurrencyOptions {
  /**
   * A slot's lease, renewed every third of it while its holder lives: a killed process's slots free within
   * this. Default 10,000.
   */
  slotLeaseMs?: number;
  /** How long an idle account's limit is kept, ms. Default 600,000. */
  stateTtlMs?: number;
  unavailableAfterMs?: number;
  tuning?: Partial<ConcurrencyTuning>;
}

/** What a process sees of the shared limit. */
export interface SharedConcurrency {
  /** Whole requests allowed in flight across the fleet. */
  limit: number;
  /** Slots held across the fleet (leases not expired). */
  inFlight: number;
}

/**
 * One account's in-flight limit across processes. The rule is leadbridge's (`nextState`): each process
 * reads the state, computes the next one and writes it only if nobody wrote in between, else reads again,
 * so no sample is lost to a race. Times are wall-clock ms (`Date.now()`), comparable between processes.
 */
export class RedisConcurrency implements InFlightLimit {
  private readonly keys: [state: string, inflight: string];
  private readonly tuning: ConcurrencyTuning;
  private readonly leaseMs: number;
  private readonly ttlMs: number;
  private readonly call: { unavailableAfterMs: number };
  private readonly turns = new Turns((member) => this.take(member));
  /** Samples are written one after another, in the order they came. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    /** The account's key prefix (the pacer's): `<key>:concurrency` and `<key>:inflight`. */
    readonly key: string,
    options: RedisConcurrencyOptions = {},
  ) {
    this.keys = [`${key}:concurrency`, `${key}:inflight`];
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.leaseMs = options.slotLeaseMs ?? 10_000;
    if (!(Number.isInteger(this.leaseMs) && this.leaseMs > 0))
      throw new RangeError("slotLeaseMs must be a positive integer");
    this.ttlMs = Math.max(options.stateTtlMs ?? 600_000, this.leaseMs);
    this.call = { unavailableAfterMs: options.unavailableAfterMs ?? 30_000 };
  }

  now(): number {
    return Date.now();
  }

  acquire(signal?: AbortSignal): Promise<InFlightPermit> {
    return this.turns.wait(signal);
  }

  observe(sample: Omit<ConcurrencySample, "inFlight">): void {
    this.writes = this.writes.then(() => this.update(sample)).catch(() => {});
  }

  /** The shared limit and the fleet's in-flight count now. */
  async snapshot(): Promise<SharedConcurrency> {
    const { state, inFlight } = await this.read();
    return { limit: Math.floor(state.limit), inFlight };
  }

  /** Samples written so far are in Redis. */
  settled(): Promise<void> {
    return this.writes;
  }

  private async read(): Promise<{ version: string; state: ConcurrencyState; inFlight: number }> {
    const [version, limit, floor, slow, decreased, inFlight] = (await withRedis(this.redis, this.call, () =>
      READ.run(this.redis, this.keys, []),
    )) as [string, string, string, string, string, number];
    const state =
      limit === ""
        ? initialState(this.tuning)
        : {
            limit: Number(limit),
            floorMs: floor === "" ? Number.POSITIVE_INFINITY : Number(floor),
            slowStart: slow === "1",
            decreasedAt: decreased === "" ? Number.NEGATIVE_INFINITY : Number(decreased),
          };
    return { version, state, inFlight };
  }

  private async update(sample: Omit<ConcurrencySample, "inFlight">): Promise<void> {
    for (let tries = 0; tries < 10; tries++) {
      const { version, state, inFlight } = await this.read();
      const next = nextState(state, { ...sample, inFlight }, this.now(), this.tuning);
      if (
        next.limit === state.limit &&
        next.floorMs === state.floorMs &&
        next.slowStart === state.slowStart &&
        next.decreasedAt === state.decreasedAt
      )
        return;
      const finite = (n: number) => (Number.isFinite(n) ? String(n) : "");
      const args = [version, next.limit, finite(next.floorMs), next.slowStart ? "1" : "0", finite(next.decreasedAt)];
      const written = await withRedis(this.redis, this.call, () =>
        WRITE.run(this.redis, [this.keys[0]], [...args, this.ttlMs]),
      );
      if (written === 1) {
        // A higher limit may let waiters of this process in.
        this.turns.wake();
        return;
      }
    }
  }

  /** A slot, or (another process's answer frees one unseen) ask again soon; one of ours wakes it at once. */
  private async take(member: string): Promise<InFlightPermit | number> {
    const [taken] = (await withRedis(this.redis, this.call, () =>
      TAKE.run(this.redis, this.keys, [member, this.leaseMs, initialState(this.tuning).limit, this.ttlMs]),
    )) as [number, number];
    return taken === 1 ? this.permit(member) : POLL_MS;
  }

  private permit(member: string): InFlightPermit {
    let released = false;
    const renewal = setInterval(() => {
      withRedis(this.redis, this.call, () => RENEW.run(this.redis, [this.keys[1]], [member, this.leaseMs])).catch(
        () => {},
      );
    }, this.leaseMs / 3);
    renewal.unref();
    return {
      release: () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        // If this never reaches Redis, the lease frees the slot at its deadline.
        withRedis(this.redis, this.call, () => GIVE_BACK.run(this.redis, [this.keys[1]], [member]))
          .then(() => this.turns.wake())
          .catch(() => {});
      },
    };
  }
}
