// The fleet on one machine: an Instantly simulator (nothing leaves the machine), 4 workers, 20,000 leads
// in jobs of 2,500 rows, then the summary. Needs a Redis at REDIS_URL (default redis://127.0.0.1:6379).
//   pnpm --filter @leadbridge/example-fleet demo
import { startSimulator } from "@leadbridge/simulators";
import { enqueueImport, formatSummary } from "./fleet.js";
import { Fleet, finished, openQueue, writeCsv } from "./local.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const sim = await startSimulator({ vendor: "instantly" });
const q = openQueue(redisUrl);
const csv = writeCsv("email,firstName,lastName", 20_000, (row) => `lead${row}@example.com,First${row},Last${row}`);
const fleet = new Fleet(["--redis", redisUrl, "--base-url", sim.url, "--batch-size", "100"], {
  INSTANTLY_API_KEY: sim.credentials.apiKey,
});
try {
  await q.connection.ping().catch((error: Error) => {
    throw new Error(`no Redis at ${redisUrl} (${error.message}): start one with redis-server, or set REDIS_URL`);
  });
  fleet.start(4);
  await fleet.waitFor((_, all) => all.filter((e) => e.event === "ready").length === 4);
  const importId = `demo-${Date.now()}`;
  const started = Date.now();
  const jobs = await enqueueImport(q.queue, {
    importId,
    file: csv.file,
    destination: { vendor: "instantly", campaignId: sim.store.createCampaign() },
    rowsPerJob: 2_500,
  });
  console.log(`${importId}: ${jobs} jobs for 4 workers, one Instantly workspace (simulated, 100 requests/s)`);
  const summary = await finished(q.queue, importId);
  console.log(formatSummary(summary));
  const stats = sim.store.stats();
  console.log(
    `${stats.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, ${stats.rateLimited} rate limited (429)`,
  );
} finally {
  await fleet.close();
  await q.close();
  await sim.close();
  csv.cleanup();
}
