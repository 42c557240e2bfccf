import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { type ImportSummary, QUEUE, summarize } from "./fleet.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// Local runs of the fleet (the demo, the bench, the tests): worker processes, a generated CSV, the queue.

export interface WorkerEvent {
  pid: number;
  event: string;
  job?: string;
  batch?: number;
  rows?: number;
  message?: string;
  /** When this process read the event (ms epoch). */
  at: number;
}

/** Worker processes (one Node process each, so SIGKILL kills the whole worker) and their events. */
export class Fleet {
  readonly events: WorkerEvent[] = [];
  readonly workers: ChildProcess[] = [];
  private readonly waiters = new Set<() => void>();
  readonly stderr: string[] = [];

  constructor(
    private readonly args: string[],
    private readonly env: Record<string, string>,
  ) {}

  start(count: number): void {
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts", ...this.args], {
        cwd: root,
        env: { ...process.env, ...this.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let buffered = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        let nl = buffered.indexOf("\n");
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf("\n");
          try {
            this.events.push({ ...(JSON.parse(line) as WorkerEvent), at: Date.now() });
          } catch {
            this.stderr.push(line);
          }
          for (const wake of this.waiters) wake();
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
      this.workers.push(child);
    }
  }

  /** Resolves with the first event `match` accepts, as soon as it is printed. */
  async waitFor(match: (event: WorkerEvent, all: WorkerEvent[]) => boolean): Promise<WorkerEvent> {
    for (;;) {
      const found = this.events.find((e) => match(e, this.events));
      if (found) return found;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  kill(pid: number): void {
    const child = this.workers.find((w) => w.pid === pid);
    if (!child) throw new Error(`no worker ${pid}`);
    child.kill("SIGKILL");
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null || w.signalCode !== null) return resolve();
            w.once("exit", () => resolve());
            w.kill("SIGTERM");
          }),
      ),
    );
  }
}

/** A CSV in a temporary directory; `cleanup` removes it. */
export function writeCsv(header: string, rows: number, line: (row: number) => string) {
  const dir = mkdtempSync(join(tmpdir(), "leadbridge-fleet-"));
  const file = join(dir, "leads.csv");
  const lines = [header];
  for (let row = 0; row < rows; row++) lines.push(line(row));
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openQueue(url: string) {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  const queue = new Queue(QUEUE, { connection });
  return {
    connection,
    queue,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Polls the queue until every job of the import has completed or failed (an observable state). */
export async function finished(queue: Queue, importId: string): Promise<ImportSummary> {
  for (;;) {
    const summary = await summarize(queue, importId);
    if (summary.jobs > 0 && summary.pending === 0) return summary;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
