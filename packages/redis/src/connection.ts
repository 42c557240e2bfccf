import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { LeadBridgeError, WaiterQueue } from "leadbridge";

/** Redis could not be reached (or did not answer) for longer than the configured patience. */
export class RedisUnavailableError extends LeadBridgeError {
  override name = "RedisUnavailableError";
  override readonly code: string = "redis_unavailable";
}

export interface RedisCallOptions {
  /** How long to keep retrying while Redis is unreachable before failing with `RedisUnavailableError`. */
  unavailableAfterMs: number;
}

/** Where the client connects, for error messages (never a password: ioredis keeps it in `options.password`). */
function describe(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path ? `Redis at ${path}` : `Redis at ${host ?? "localhost"}:${port ?? 6379}`;
}

/**
 * Runs `call`, retrying while Redis is down (a restart, a failover), for at most `unavailableAfterMs`.
 * A command that errors for any other reason (a script bug, a wrong type) fails at once.
 */
export async function withRedis<T>(redis: Redis, options: RedisCallOptions, call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + options.unavailableAfterMs;
  let delay = 50;
  for (;;) {
    const left = deadline - Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Unanswered()), Math.max(0, left));
        }),
      ]);
    } catch (error) {
      if (!isConnectionError(error) || Date.now() + delay >= deadline) {
        if (error instanceof Unanswered || isConnectionError(error)) {
          throw new RedisUnavailableError(
            `${describe(redis)} was unreachable for ${options.unavailableAfterMs} ms (${(error as Error).message}); LeadBridge stopped sending rather than pace or journal without it`,
            { cause: error },
          );
        }
        throw error;
      }
    } finally {
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

class Unanswered extends Error {
  constructor() {
    super("no answer");
  }
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof Unanswered) return true;
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name === "MaxRetriesPerRequestError") return true;
  if (typeof e?.code === "string" && /^E(CONNREFUSED|CONNRESET|PIPE|HOSTUNREACH|NETUNREACH|TIMEDOUT)$/.test(e.code))
    return true;
  // ioredis' own wording for a closed or not-yet-ready connection; LOADING: Redis is reading its data back.
  return /connection is closed|stream isn't writeable|LOADING/i.test(e?.message ?? "");
}

/** A Lua script run by its SHA, loaded again after a Redis restart forgot it (NOSCRIPT). */
export class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!/NOSCRIPT/.test((error as Error)?.message ?? "")) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** A short, stable digest for key names: never the thing itself. */
export function digest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
}

/** How often a waiter asks Redis again while what it waits for is held by some process, ms. */
export const POLL_MS = 25;

/** A sleep that `wake()` ends early: a waiter that polls Redis, woken when this process frees something. */
export class Nap {
  private waking: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waking = done;
    });
  }

  wake(): void {
    const waking = this.waking;
    this.waking = undefined;
    waking?.();
  }
}

/**
 * Waiters of this process, served first come, first served by asking Redis one at a time: `take(member)`
 * (a unique member name) gives a permit, or the ms to wait before asking again; `wake()` cuts that wait short
 * (something was freed here). A failed `take` rejects every waiter with its error.
 */
export class Turns<P extends { release(): void }> {
  private readonly waiters = new WaiterQueue<P>();
  private readonly nap = new Nap();
  private readonly id = randomBytes(6).toString("hex");
  private serial = 0;
  private pumping = false;

  constructor(private readonly take: (member: string) => Promise<P | number>) {}

  wait(signal?: AbortSignal): Promise<P> {
    const permit = this.waiters.wait(signal);
    void this.pump();
    return permit;
  }

  wake(): void {
    this.nap.wake();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.size > 0) {
        let taken: P | number;
        try {
          taken = await this.take(`${this.id}:${this.serial++}`);
        } catch (error) {
          // Redis is gone for good (or the script failed): every waiter gets the error, none a permit.
          this.waiters.rejectAll(error);
          return;
        }
        if (typeof taken === "number") await this.nap.sleep(taken);
        // Everyone gave up meanwhile: hand it back at once.
        else if (!this.waiters.serve(taken)) taken.release();
      }
    } finally {
      this.pumping = false;
    }
  }
}
