import { Redis } from "ioredis";
import type { Lead } from "leadbridge";

/** A client as a worker would open it: commands wait in the offline queue while Redis is down. */
export function connect(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  // Outages are under test: the pacer reports them; ioredis would also print each reconnect failure.
  redis.on("error", () => {});
  return redis;
}

export function* manyLeads(count: number, offset = 0): Generator<Lead> {
  for (let i = offset; i < offset + count; i++) yield { email: `lead${i}@example.com`, firstName: `Lead${i}` };
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
      else if (type === "zset") value = await redis.zrange(key, 0, -1, "WITHSCORES");
      else if (type === "stream") value = await redis.xrange(key, "-", "+");
      else value = `<${type}>`;
      out.push({ key, ttlMs, text: `${key} ${JSON.stringify(value)}` });
    }
  } while (cursor !== "0");
  return out;
}
