// Fleet throughput against the Instantly simulator at its documented limits (100/s, 6,000/min):
// one worker process alone with 25,000 leads, then 4 worker processes × 25,000 leads into one workspace.
//   pnpm --filter @leadbridge/example-fleet bench        (needs redis-server on PATH)
// The rate is requests from the first batch start to the last batch answer, as the workers report them.
// Batches of 10 leads (BATCH=n to change) keep the vendor's limit, not CPU, the bound (the limit-bound rate is ~97.6 requests/s:
// 100 per 1 s window plus the pacer's 25 ms margin).
import { startSimulator } from "@leadbridge/simulators";
import { startRedisServer } from "@leadbridge/testing";
import { enqueueImport } from "../src/fleet.js";
import { Fleet, finished, openQueue, writeCsv } from "../src/local.js";

const PER_WORKER = Number(process.env.LEADS ?? 25_000);
const BATCH = Number(process.env.BATCH ?? 10);

async function run(workers: number) {
  const redis = await startRedisServer();
  const sim = await startSimulator({ vendor: "instantly" });
  const q = openQueue(redis.url);
  const csv = writeCsv("email,firstName", workers * PER_WORKER, (row) => `lead${row}@example.com,First${row}`);
  const fleet = new Fleet(
    ["--redis", redis.url, "--base-url", sim.url, "--batch-size", String(BATCH), "--concurrency", "4"],
    { INSTANTLY_API_KEY: sim.credentials.apiKey },
  );
  try {
    fleet.start(workers);
    await fleet.waitFor((_, all) => all.filter((e) => e.event === "ready").length === workers);
    const campaignId = sim.store.createCampaign();
    await enqueueImport(q.queue, {
      importId: "bench",
      file: csv.file,
      destination: { vendor: "instantly", campaignId },
      rowsPerJob: PER_WORKER,
    });
    const summary = await finished(q.queue, "bench");
    const starts = fleet.events.filter((e) => e.event === "batch-start").map((e) => e.at);
    const ends = fleet.events.filter((e) => e.event === "batch").map((e) => e.at);
    const seconds = (Math.max(...ends) - Math.min(...starts)) / 1000;
    const stats = sim.store.stats();
    return {
      workers,
      requests: stats.requests,
      seconds,
      rate: stats.requests / seconds,
      rateLimited: stats.rateLimited,
      summary,
    };
  } finally {
    await fleet.close();
    await q.close();
    await sim.close();
    await redis.close();
    csv.cleanup();
  }
}

const one = await run(1);
const four = await run(4);
for (const r of [one, four]) {
  console.log(
    `${r.workers} worker(s): ${r.requests} requests in ${r.seconds.toFixed(1)} s = ${r.rate.toFixed(1)} req/s, ${r.rateLimited} × 429, added ${r.summary.counts.added}`,
  );
}
console.log(`aggregate / single: ${((four.rate / one.rate) * 100).toFixed(1)}%`);
