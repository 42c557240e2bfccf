// Splits a CSV into import jobs of N rows.
//   tsx src/producer.ts leads.csv --vendor instantly --campaign <uuid> [--rows 1000] [--import <id>] [--redis URL]
// The CSV's header names the Lead fields (email, phone, firstName, …), one record per line.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Destination } from "leadbridge";
import { enqueueImport, QUEUE } from "./fleet.js";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    vendor: { type: "string", default: "instantly" },
    campaign: { type: "string" },
    list: { type: "string" },
    pearl: { type: "string" },
    rows: { type: "string", default: "1000" },
    import: { type: "string" },
  },
});
const file = positionals[0];
if (!file) {
  console.error("usage: producer <file.csv> --vendor instantly --campaign <uuid> [--rows N] [--import id]");
  process.exit(2);
}
const destination = (
  flags.vendor === "nlpearl"
    ? { vendor: "nlpearl", pearlId: flags.pearl }
    : flags.vendor === "amplemarket"
      ? { vendor: "amplemarket", listId: flags.list }
      : { vendor: "instantly", ...(flags.list ? { listId: flags.list } : { campaignId: flags.campaign }) }
) as Destination;
const importId = flags.import ?? `import-${Date.now()}`;
const connection = new Redis(flags.redis!, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE, { connection });
const jobs = await enqueueImport(queue, { importId, file: resolve(file), destination, rowsPerJob: Number(flags.rows) });
console.log(JSON.stringify({ importId, jobs }));
await queue.close();
connection.disconnect();
