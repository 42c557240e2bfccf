// Totals the per-job reports of an import; with --wait, waits until no job is pending.
//   tsx src/summary.ts <import-id> [--wait] [--json] [--redis URL]
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { formatSummary, QUEUE, summarize } from "./fleet.js";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    wait: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const importId = positionals[0];
if (!importId) {
  console.error("usage: summary <import-id> [--wait] [--json]");
  process.exit(2);
}
const connection = new Redis(flags.redis!, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE, { connection });
let summary = await summarize(queue, importId);
while (flags.wait && (summary.pending > 0 || summary.jobs === 0)) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  summary = await summarize(queue, importId);
}
console.log(flags.json ? JSON.stringify(summary) : formatSummary(summary));
await queue.close();
connection.disconnect();
process.exitCode = summary.failed > 0 ? 1 : 0;
