// The fleet end to end: real redis-server, worker processes, the vendor simulators with their documented limits.
import { startSimulator } from "@leadbridge/simulators";
import { dumpAll, type RedisServer, skipWithoutRedis, startRedisServer, waitUntil } from "@leadbridge/testing";
import { afterEach, describe, expect, test } from "vitest";
import { enqueueImport } from "../src/fleet.js";
import { Fleet, finished, openQueue, writeCsv } from "../src/local.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { persistent?: boolean } = {}) {
  const redis: RedisServer = await startRedisServer(options);
  cleanups.push(() => redis.close());
  const q = openQueue(redis.url);
  cleanups.push(() => q.close());
  return { redis, ...q };
}

async function instantly() {
  const sim = await startSimulator({ vendor: "instantly", seed: 11 });
  cleanups.push(() => sim.close());
  return sim;
}

function instantlyCsv(rows: number) {
  const csv = writeCsv("email,firstName,lastName", rows, (row) => `lead${row}@example.com,First${row},Last${row}`);
  cleanups.push(csv.cleanup);
  return csv.file;
}

function startFleet(redisUrl: string, simUrl: string, env: Record<string, string>, extra: string[], count: number) {
  const fleet = new Fleet(["--redis", redisUrl, "--base-url", simUrl, ...extra], env);
  cleanups.push(() => fleet.close());
  fleet.start(count);
  return fleet;
}

describe.skipIf(skipWithoutRedis("the fleet tests"))("fleet", () => {
  test("4 workers × 25,000 leads into one Instantly workspace: zero 429s, every lead stored once, Redis holds no lead nor credential", async () => {
    const { redis, queue, connection } = await setup();
    const sim = await instantly();
    const campaignId = sim.store.createCampaign();
    const file = instantlyCsv(100_000);
    // Batches of 50: 2,000 requests, so the 100/s limit, not CPU, bounds the run.
    const fleet = startFleet(
      redis.url,
      sim.url,
      { INSTANTLY_API_KEY: sim.credentials.apiKey },
      ["--batch-size", "50", "--concurrency", "4", "--journal-ttl-ms", "3600000"],
      4,
    );
    const jobs = await enqueueImport(queue, {
      importId: "big",
      file,
      destination: { vendor: "instantly", campaignId },
      rowsPerJob: 25_000,
    });
    expect(jobs).toBe(4);
    const summary = await finished(queue, "big");
    expect(summary).toMatchObject({ jobs: 4, completed: 4, failed: 0, rows: 100_000 });
    expect(
      summary.counts,
      JSON.stringify(fleet.events.filter((e) => e.event === "job-done").slice(0, 8)),
    ).toMatchObject({ added: 100_000 });
    // All four workers took part.
    expect(new Set(fleet.events.filter((e) => e.event === "job-start").map((e) => e.pid)).size).toBe(4);

    const stats = sim.store.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.responsesByStatus[429]).toBeUndefined();
    expect(stats.requests).toBe(2_000);
    const emails = sim.store.leads({ campaignId }).map((l) => l.email);
    expect(emails.length).toBe(100_000);
    expect(new Set(emails).size).toBe(100_000);

    const dump = await dumpAll(connection);
    const ours = dump.filter((d) => d.key.startsWith("leadbridge:"));
    expect(ours.some((d) => d.key.startsWith("leadbridge:journal:"))).toBe(true);
    for (const { key, ttlMs } of ours) {
      expect(ttlMs, key).toBeGreaterThan(0);
      if (key.startsWith("leadbridge:journal:")) expect(ttlMs, key).toBeLessThanOrEqual(3_600_000);
    }
    for (const { text } of dump) {
      expect(text).not.toContain(sim.credentials.apiKey);
      expect(text).not.toMatch(/example\.com|First\d|Last\d/);
    }
  });

  test("Instantly: a worker SIGKILLed mid-job, BullMQ retries the job on another, every lead stored exactly once", async () => {
    const { redis, queue } = await setup();
    const sim = await instantly();
    const campaignId = sim.store.createCampaign();
    const file = instantlyCsv(6_000);
    const fleet = startFleet(
      redis.url,
      sim.url,
      { INSTANTLY_API_KEY: sim.credentials.apiKey },
      ["--batch-size", "20", "--concurrency", "4", "--lock-ms", "5000", "--timeout-ms", "5000", "--lease-ms", "8000"],
      2,
    );
    await enqueueImport(queue, {
      importId: "kill",
      file,
      destination: { vendor: "instantly", campaignId },
      rowsPerJob: 2_000,
    });
    // Kill whichever worker has settled 10 batches of a job, with more of that job in flight.
    const victim = await fleet.waitFor(
      (e, all) => e.event === "batch" && all.filter((x) => x.event === "batch" && x.job === e.job).length >= 10,
    );
    fleet.kill(victim.pid);
    const summary = await finished(queue, "kill");
    expect(summary).toMatchObject({ jobs: 3, completed: 3, failed: 0 });
    // The killed job was taken up again by another worker, which skipped what the journal had.
    const retried = fleet.events.find((e) => e.event === "job-start" && e.job === victim.job && e.pid !== victim.pid);
    expect(retried).toBeDefined();
    const emails = sim.store.leads({ campaignId }).map((l) => l.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.length).toBe(6_000);
    // Batches in flight at the kill were resent (Instantly deduplicates): stored once, reported as added
    // by the first attempt's journal or as duplicates by the resend; nothing lost, nothing unknown.
    expect(summary.counts.added + summary.counts.duplicate).toBe(6_000);
    expect(summary.counts.unknown + summary.counts.failed).toBe(0);
    expect(sim.store.stats().rateLimited).toBe(0);
  });

  test("NLPearl: a worker SIGKILLed with a batch in flight: the retry never resends it, its leads are unknown", async () => {
    // Request 4 takes 3 s: the worker is killed while its batch is in flight; NLPearl still stores it.
    const { redis, queue } = await setup();
    const sim = await startSimulator({
      vendor: "nlpearl",
      seed: 11,
      faults: { rules: [{ kind: "delay", delayMs: 3_000, schedule: [4] }] },
    });
    cleanups.push(() => sim.close());
    const pearlId = sim.store.createOutbound();
    const csv = writeCsv("phone,firstName", 1_000, (row) => `+1415555${String(row).padStart(4, "0")},Caller${row}`);
    cleanups.push(csv.cleanup);
    const fleet = startFleet(
      redis.url,
      sim.url,
      { NLPEARL_ACCOUNT_ID: sim.credentials.accountId, NLPEARL_SECRET_KEY: sim.credentials.secretKey },
      ["--batch-size", "50", "--concurrency", "1", "--lock-ms", "5000"],
      2,
    );
    await enqueueImport(queue, {
      importId: "pearl",
      file: csv.file,
      destination: { vendor: "nlpearl", pearlId },
      rowsPerJob: 1_000,
    });
    const fourth = await fleet.waitFor(
      (e, all) => e.event === "batch-start" && all.filter((x) => x.event === "batch-start").length === 4,
    );
    // Its answer is 3 s away: the request has reached the simulator (request 4) before the kill.
    await waitUntil("the fourth request reached NLPearl", () => sim.store.stats().requests === 4);
    fleet.kill(fourth.pid);
    const summary = await finished(queue, "pearl");
    expect(summary).toMatchObject({ jobs: 1, completed: 1, failed: 0 });
    expect(summary.counts.unknown).toBe(50);
    expect(summary.counts.added).toBe(950);
    await waitUntil("NLPearl stored 1,000 leads", () => sim.store.leads(pearlId).length === 1_000);
    const phones = sim.store.leads(pearlId).map((l) => l.phoneNumber);
    // Every phone reached NLPearl exactly once: the in-flight batch was stored by its first send and never resent.
    expect(new Set(phones).size).toBe(1_000);
    expect(sim.store.stats().requests).toBe(20);
  });

  test("Redis restarted mid-import: the workers wait, then continue; nothing lost or doubled", async () => {
    const { redis, queue } = await setup({ persistent: true });
    const sim = await instantly();
    const campaignId = sim.store.createCampaign();
    const file = instantlyCsv(6_000);
    const fleet = startFleet(
      redis.url,
      sim.url,
      { INSTANTLY_API_KEY: sim.credentials.apiKey },
      ["--batch-size", "20", "--concurrency", "4"],
      2,
    );
    await enqueueImport(queue, {
      importId: "restart",
      file,
      destination: { vendor: "instantly", campaignId },
      rowsPerJob: 3_000,
    });
    await fleet.waitFor((_, all) => all.filter((x) => x.event === "batch").length >= 20);
    const before = sim.store.stats().requests;
    await redis.restart();
    const summary = await finished(queue, "restart");
    expect(summary).toMatchObject({ jobs: 2, completed: 2, failed: 0 });
    expect(before).toBeLessThan(300);
    // The workers did lose Redis for a while (their clients saw the connection close), and carried on.
    expect(fleet.events.some((e) => e.event === "redis-lost")).toBe(true);
    const emails = sim.store.leads({ campaignId }).map((l) => l.email);
    expect(emails.length).toBe(6_000);
    expect(new Set(emails).size).toBe(6_000);
    expect(summary.counts.added + summary.counts.duplicate).toBe(6_000);
    expect(summary.counts.unknown + summary.counts.failed).toBe(0);
    expect(sim.store.stats().rateLimited).toBe(0);
  });
});
