import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@leadbridge/prism";
import type { Redis } from "ioredis";

export interface RedisServerOptions {
  /** Keep data across `restart()` (append-only file, fsync on every write). Default false: nothing on disk. */
  persistent?: boolean;
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: it writes its data if persistent) and starts it again on the same port and dir. */
  restart(): Promise<void>;
  /** Stops it; `start()` brings it back (for tests of an outage that lasts a while). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A real `redis-server` on a free loopback port with its own temporary directory. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "leadbridge-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  args.push(...(options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]));
  let child: ChildProcess | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          proc.stdout!.off("data", onData);
          proc.stdout!.resume();
          resolve();
        }
      };
      proc.stdout!.on("data", onData);
      proc.stderr!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      proc.once("error", (error) =>
        reject(new Error(`could not start redis-server (apt-get install -y redis-server): ${error.message}`)),
      );
      proc.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
    });
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every key and every value Redis holds, as text, for privacy checks. */
export async function dumpAll(redis: Redis): Promise<Array<{ key: string; ttlMs: number; text: string }>> {
  const out: Array<{ key: string; ttlMs: number; text: string }> = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "COUNT", 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const ttlMs = await redis.pttl(key);
      let value: unknown;
      if (type === "string") value = await redis.get(key);
      else if (type === "hash") value = await redis.hgetall(key);
      else if (type === "list") value = await redis.lrange(key, 0, -1);
      else if (type === "set") value = await redis.smembers(key);
      else if (type === "zset") value = await redis.zrange(key, "0", "-1", "WITHSCORES");
      else if (type === "stream") value = await redis.xrange(key, "-", "+");
      else value = `<${type}>`;
      out.push({ key, ttlMs, text: `${key} ${JSON.stringify(value)}` });
    }
  } while (cursor !== "0");
  return out;
}

/**
 * Whether the Redis tests must be skipped on this machine. They need a real `redis-server`: CI installs
 * it (`.ci/run`) and, with `CI` set, a missing server fails them. Elsewhere, without one, they are
 * skipped with a notice naming the install command, so the test command runs where only Node is.
 */
export function skipWithoutRedis(suite: string): boolean {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0) return false;
  if (process.env.CI) return false;
  console.warn(
    `redis-server not found: skipping ${suite} (install it, e.g. \`apt-get install -y redis-server\`, to run them; CI does)`,
  );
  return true;
}
