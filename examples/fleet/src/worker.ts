// A fleet worker: takes import jobs from the queue and runs each with the Redis pacer and journal.
//   tsx src/worker.ts [--redis redis://127.0.0.1:6379] [--base-url URL] [--batch-size N] [--concurrency N]
// Credentials come from the environment (INSTANTLY_API_KEY, NLPEARL_ACCOUNT_ID + NLPEARL_SECRET_KEY,
// AMPLEMARKET_API_KEY), never from the queue. Prints one JSON line per event on stdout.
import { parseArgs } from "node:util";
import { redisPacing } from "@leadbridge/redis";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { createLeadBridge } from "leadbridge";
import { type ImportJob, type JobResult, QUEUE, runJob } from "./fleet.js";

const { values: flags } = parseArgs({
  options: {
    redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    "base-url": { type: "string" },
    "batch-size": { type: "string" },
    concurrency: { type: "string", default: "4" },
    "timeout-ms": { type: "string", default: "60000" },
    "lease-ms": { type: "string", default: "120000" },
    "lock-ms": { type: "string", default: "30000" },
    "journal-ttl-ms": { type: "string", default: String(7 * 24 * 3600_000) },
  },
});
const num = (name: keyof typeof flags) => (flags[name] === undefined ? undefined : Number(flags[name]));
const emit = (event: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...event })}\n`);

// maxRetriesPerRequest null: while Redis restarts, commands wait for it (BullMQ requires it too).
const redis = new Redis(flags.redis!, { maxRetriesPerRequest: null });
redis.on("error", (error) => emit({ event: "redis-error", message: error.message }));
// A quick restart may reconnect before any command fails (no "error"); losing the connection is what happened.
redis.on("close", () => emit({ event: "redis-lost" }));
const baseUrl = flags["base-url"];
const rateLimit = redisPacing(redis, { leaseMs: num("lease-ms") });
const bridge = createLeadBridge({
  instantly: { baseUrl, rateLimit },
  nlpearl: { baseUrl, rateLimit },
  amplemarket: { baseUrl, rateLimit },
  retry: { timeoutMs: num("timeout-ms") },
});

const worker = new Worker<ImportJob, JobResult>(
  QUEUE,
  async (job) => {
    const jobId = job.id;
    emit({ event: "job-start", job: jobId, attempt: job.attemptsStarted });
    const result = await runJob(job.data, job.attemptsStarted, {
      redis,
      bridge,
      batchSize: num("batch-size"),
      concurrency: num("concurrency"),
      journalTtlMs: num("journal-ttl-ms"),
      onEvent: (e) => emit({ event: e.type, job: jobId, batch: e.batch, rows: e.rows }),
    });
    emit({ event: "job-done", job: jobId, counts: result.counts, carried: result.carried });
    return result;
  },
  {
    connection: redis,
    concurrency: 1,
    lockDuration: num("lock-ms"),
    stalledInterval: Math.max(1000, Math.floor(num("lock-ms")! / 2)),
  },
);
worker.on("failed", (job, error) => emit({ event: "job-failed", job: job?.id, message: error.message }));
worker.on("error", (error) => emit({ event: "worker-error", message: error.message }));
emit({ event: "ready" });

const stop = async () => {
  await worker.close();
  redis.disconnect();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
