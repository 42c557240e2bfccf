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
