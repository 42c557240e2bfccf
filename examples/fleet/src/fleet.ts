// The fleet's three parts: jobs of N rows of a CSV (producer), a job run with the Redis pacer and journal
// (worker), and the totals of the per-job reports (summary). Redis holds no lead: a job names its file and
// rows, the journal keeps row numbers and outcomes, a job's result is its counts.
import { createReadStream } from "node:fs";
import { journalHooks, planResume, RedisJournal } from "@leadbridge/redis";
import { type Job, Queue } from "bullmq";
import { parse } from "csv-parse";
import type { Redis } from "ioredis";
import type { Destination, Lead, LeadBridge, Outcome, OutcomeCounts } from "leadbridge";

export const QUEUE = "leadbridge-import";

export interface ImportJob {
  importId: string;
  /** A path every worker can read (a shared volume): the rows themselves never go through Redis. */
  file: string;
  /** Data rows [from, to), 0-based, header excluded. */
  from: number;
  to: number;
  destination: Destination;
}

export interface JobResult {
  importId: string;
  from: number;
  to: number;
  counts: OutcomeCounts;
  /** Rows an earlier attempt of this job had settled (or left in doubt). */
  carried: number;
  attempt: number;
}

const OUTCOMES: Outcome[] = ["added", "duplicate", "invalid", "rejected", "skipped", "unknown", "failed"];
const zero = (): OutcomeCounts => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;

/** Reads the CSV's data rows in [from, to). The header names the `Lead` fields (email, phone, firstName, …). */
export async function readRows(file: string, from: number, to: number, keep?: Set<number>): Promise<Map<number, Lead>> {
  const rows = new Map<number, Lead>();
  const parser = createReadStream(file).pipe(
    // From the first line: the header names the columns. Line `row + 2` holds data row `row`.
    parse({ columns: true, to_line: to + 1, skip_empty_lines: true }),
  );
  let row = 0;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    if (row >= from && (!keep || keep.has(row))) rows.set(row, record as Lead);
    row++;
  }
  return rows;
}

/** Counts the CSV's data rows (header excluded). */
export async function countRows(file: string): Promise<number> {
  let count = 0;
  const parser = createReadStream(file).pipe(parse({ from_line: 2, skip_empty_lines: true }));
  for await (const _ of parser) count++;
  return count;
}

export interface EnqueueOptions {
  importId: string;
  file: string;
  destination: Destination;
  rowsPerJob: number;
  /** BullMQ attempts per job (a job that throws is retried elsewhere). Default 5. */
  attempts?: number;
}

/** One job per `rowsPerJob` rows, with stable ids: enqueueing the same import twice adds nothing. */
export async function enqueueImport(queue: Queue, options: EnqueueOptions): Promise<number> {
  const total = await countRows(options.file);
  const jobs = [];
  for (let from = 0; from < total; from += options.rowsPerJob) {
    const data: ImportJob = {
      importId: options.importId,
      file: options.file,
      from,
      to: Math.min(total, from + options.rowsPerJob),
      destination: options.destination,
    };
    jobs.push({
      name: "import",
      data,
      opts: {
        jobId: jobId(options.importId, from),
        attempts: options.attempts ?? 5,
        backoff: { type: "exponential", delay: 1000 },
      },
    });
  }
  await queue.addBulk(jobs);
  return jobs.length;
}

export interface RunOptions {
  redis: Redis;
  bridge: LeadBridge;
  batchSize?: number;
  concurrency?: number;
  /** The journal of a job expires this long after its last write. */
  journalTtlMs?: number;
  /** Told of every batch this job starts and settles (the worker prints them). */
  onEvent?: (event: { type: "batch-start" | "batch"; batch: number; rows: number }) => void;
}

/**
 * Runs one job: rows an earlier attempt journaled are not sent again (in-doubt rows of a vendor that does
 * not deduplicate become `unknown`), the rest go through `addLeads` with the journal's hooks.
 */
export async function runJob(data: ImportJob, attempt: number, options: RunOptions): Promise<JobResult> {
  const journal = new RedisJournal(options.redis, `${data.importId}:${data.from}`, { ttlMs: options.journalTtlMs });
  const plan = planResume(await journal.load(), data.from, data.to);
  // In-doubt rows are now final (unknown): a third attempt must agree.
  await journal.settled(plan.carried.filter((c) => c.outcome === "unknown"));
  const counts = zero();
  for (const carried of plan.carried) counts[carried.outcome]++;

  const leads = await readRows(data.file, data.from, data.to, new Set(plan.send));
  const hooks = journalHooks(journal, (index) => plan.send[index]!);
  try {
    const report = await options.bridge.addLeads(
      data.destination,
      plan.send.map((row) => leads.get(row) ?? {}),
      {
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        keepResults: false,
        onResult: hooks.onResult,
        onBatchStart: async (batch) => {
          await hooks.onBatchStart!(batch);
          options.onEvent?.({ type: "batch-start", batch: batch.batch, rows: batch.indexes.length });
        },
        onBatch: (batch) => {
          hooks.onBatch!(batch);
          options.onEvent?.({ type: "batch", batch: batch.batch, rows: batch.results.length });
        },
      },
    );
    await hooks.flush();
    for (const outcome of OUTCOMES) counts[outcome] += report.counts[outcome];
  } catch (error) {
    // What settled is journaled before BullMQ retries the job (best effort: Redis may be what failed).
    await hooks.flush().catch(() => undefined);
    throw error;
  }
  return { importId: data.importId, from: data.from, to: data.to, counts, carried: plan.carried.length, attempt };
}

export interface ImportSummary {
  jobs: number;
  completed: number;
  failed: number;
  pending: number;
  rows: number;
  counts: OutcomeCounts;
  /** Why failed jobs failed (error messages; LeadBridge's errors never carry credentials). */
  failures: string[];
}

/** The id of the job whose rows start at `from` (the next job's starts at this one's `to`). */
function jobId(importId: string, from: number): string {
  return `${importId}-${from}`;
}

/**
 * Totals the per-job reports of one import, from the jobs' results in the queue. Jobs are read by id, one
 * after the other, never from BullMQ's state lists: a job moving between two lists could be missed there.
 */
export async function summarize(queue: Queue, importId: string): Promise<ImportSummary> {
  const summary: ImportSummary = {
    jobs: 0,
    completed: 0,
    failed: 0,
    pending: 0,
    rows: 0,
    counts: zero(),
    failures: [],
  };
  for (let from = 0; ; ) {
    const id = jobId(importId, from);
    // State first: a completed or failed job stays so, and its result is written with that state.
    const state = await queue.getJobState(id);
    const job: Job<ImportJob, JobResult> | undefined = await queue.getJob(id);
    if (!job) break;
    summary.jobs++;
    summary.rows += job.data.to - job.data.from;
    if (state === "completed") {
      summary.completed++;
      for (const outcome of OUTCOMES) summary.counts[outcome] += job.returnvalue.counts[outcome];
    } else if (state === "failed") {
      summary.failed++;
      summary.failures.push(`rows ${job.data.from}–${job.data.to - 1}: ${job.failedReason}`);
    } else summary.pending++;
    from = job.data.to;
  }
  return summary;
}

export function formatSummary(s: ImportSummary): string {
  const counts = OUTCOMES.filter((o) => s.counts[o] > 0)
    .map((o) => `${o} ${s.counts[o].toLocaleString("en-US")}`)
    .join(", ");
  const lines = [
    `${s.jobs} jobs (${s.completed} completed, ${s.failed} failed, ${s.pending} pending), ${s.rows.toLocaleString("en-US")} rows`,
    `outcomes: ${counts || "none yet"}`,
    ...s.failures.map((f) => `failed job ${f}`),
  ];
  return lines.join("\n");
}

export { Queue };
