// `leadbridge import --redis <url>`: the pacing and the resume journal shared through Redis, so that several
// imports on one vendor credential (processes, machines) never exceed its limits together. @leadbridge/redis
// and ioredis are optional peer dependencies, loaded only when --redis is used: a plain install stays lean.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { JournalStore } from "@leadbridge/redis";
import type { Redis } from "ioredis";
import type { Outcome, SharedPacing } from "leadbridge";
import { UsageError } from "./errors.js";
import { type JournalEntry, type ResumeState, RowSet } from "./journal-lines.js";
import { count } from "./term.js";

export const REDIS_URL_ENV = "LEADBRIDGE_REDIS_URL";
export const REDIS_PACKAGES = ["@leadbridge/redis", "ioredis"] as const;
/** Journals expire this long after their last write, unless --redis-ttl says otherwise. */
export const DEFAULT_REDIS_TTL_HOURS = 7 * 24;
/** How long an import waits for a Redis that went away (a restart) before it stops; the tests shorten it. */
const UNAVAILABLE_AFTER_MS = 30_000;
export const REDIS_WAIT_ENV = "LEADBRIDGE_REDIS_WAIT_MS";

/** The URL as it may be printed: scheme, host, port and database; never a user name or password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "the --redis URL";
  }
}

/** The command line as it may be printed (the rerun hint): a Redis URL's user and password masked. */
export function maskRedisPasswords(argv: readonly string[]): string[] {
  return argv.map((arg) => arg.replace(/^((?:--redis=)?rediss?:\/\/)[^@/]*@/i, "$1***@"));
}

/** Checks the URL's shape before anything is opened (no connection yet). */
export function checkRedisUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError("--redis: not a URL.", "Use redis://[:password@]host:port[/db] or rediss:// for TLS.");
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new UsageError(
      `--redis ${describeRedisUrl(url)}: use a redis:// or rediss:// URL.`,
      "For example redis://127.0.0.1:6379, or redis://:password@host:6379/0.",
    );
  }
}

type RedisModule = typeof import("@leadbridge/redis");
type IoRedisModule = typeof import("ioredis");

/** A package beside the CLI, else in the working directory's project (a global CLI, the peers installed locally). */
async function load<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    const path = createRequire(join(process.cwd(), "package.json")).resolve(name);
    return (await import(pathToFileURL(path).href)) as T;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return undefined;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/** The connection an import shares its pace and journal through. */
export interface RedisLink {
  /** The URL without its password, for messages. */
  where: string;
  pacing: SharedPacing;
  /** The journal of one import, named by its fingerprint (input content, destination, target, options). */
  journal(fingerprint: string): JournalStore;
  close(): Promise<void>;
}

/** Loads the optional packages, connects, and checks that Redis answers; a clear UsageError otherwise. */
export async function connectRedis(
  url: string,
  ttlHours: number,
  unavailableAfterMs = UNAVAILABLE_AFTER_MS,
): Promise<RedisLink> {
  const where = describeRedisUrl(url);
  const [shared, ioredis] = await Promise.all([
    load<RedisModule>(REDIS_PACKAGES[0]),
    load<IoRedisModule>(REDIS_PACKAGES[1]),
  ]);
  if (!shared || !ioredis) {
    const packages = REDIS_PACKAGES.join(" ");
    throw new UsageError(
      `--redis needs ${REDIS_PACKAGES.join(" and ")}, which are not installed. They are optional dependencies, so that installing the CLI to import leads stays small.`,
      `Install them where @leadbridge/cli is installed: npm install ${packages} (in your project), or npm install --global ${packages} (for a global leadbridge). Then run the same command again.`,
    );
  }
  const RedisClient = (ioredis.Redis ?? (ioredis as unknown as { default: IoRedisModule["Redis"] }).default) as new (
    url: string,
    options: object,
  ) => Redis;
  const redis = new RedisClient(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  // ioredis reports every failed reconnection as an 'error' event; the calls' own errors say what matters.
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new UsageError(
      `Cannot reach Redis at ${where}: ${(error as Error).message}. Nothing was sent.`,
      `Check that Redis is running and the --redis URL (or ${REDIS_URL_ENV}); run without --redis to import without sharing pace and journal.`,
    );
  }
  const ttlMs = Math.round(ttlHours * 3600_000);
  const options = { prefix: "leadbridge", unavailableAfterMs };
  return {
    where,
    pacing: shared.redisPacing(redis, options),
    journal: (fingerprint) =>
      new shared.RedisJournal(redis, `import:${fingerprint.slice(0, 32)}`, { ...options, ttlMs }),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * The import's journal in Redis, with the file journal's contract: a batch's rows are marked before it leaves,
 * then their outcomes once settled; a rerun skips the settled rows and reports the in-doubt ones `unknown`
 * (unless they may be resent). Only row numbers and outcomes are stored: no lead data, no reasons.
 */
export class RedisImportJournal {
  entries = 0;
  private pending: Array<{ row: number; outcome: Outcome }> = [];
  private writes = new Set<Promise<void>>();
  private failure?: UsageError;

  private constructor(
    private readonly store: JournalStore,
    readonly path: string,
    private readonly onError: () => void,
  ) {}

  /**
   * Opens the import's journal: `fresh` forgets what it held (--no-resume). In-doubt rows that this run will
   * send again (`resendInDoubt`: the vendor deduplicates, or --resend-unknown) lose their mark first, so
   * that the store lets them be started again.
   */
  static async open(
    store: JournalStore,
    where: string,
    options: { fresh: boolean; resendInDoubt: boolean; onError: () => void },
  ): Promise<{ journal: RedisImportJournal; resume?: ResumeState; note?: string }> {
    const journal = new RedisImportJournal(store, `Redis at ${where}`, options.onError);
    try {
      if (options.fresh) await store.clear();
      const snapshot = await store.load();
      const marked = [...snapshot.inDoubt, ...snapshot.resendable];
      if (options.resendInDoubt && marked.length > 0) {
        await store.settled(marked.map((row) => ({ row, outcome: "failed" as const })));
      } else if (snapshot.resendable.length > 0) {
        await store.settled(snapshot.resendable.map((row) => ({ row, outcome: "failed" as const })));
      }
      if (snapshot.settled.size === 0 && snapshot.inDoubt.length === 0) return { journal };
      const resume: ResumeState = {
        rows: new RowSet(),
        notAdded: new Map(),
        inDoubt: new RowSet(),
        batches: 0,
        torn: false,
      };
      for (const [row, outcome] of snapshot.settled) {
        resume.rows.add(row);
        if (outcome !== "added") resume.notAdded.set(row, { outcome, reason: `${outcome} in an earlier run` });
      }
      for (const row of snapshot.inDoubt) resume.inDoubt.add(row);
      let note = `Resuming: the journal in Redis at ${where} has ${count(resume.rows.size)} settled rows; they are not sent again.`;
      if (resume.inDoubt.size) note += ` ${count(resume.inDoubt.size)} rows were being sent when it stopped.`;
      return { journal, resume, note };
    } catch (error) {
      throw journal.redisFailure(error);
    }
  }

  /** Marks a batch's rows as being sent; resolves once Redis has it, before the batch leaves. */
  async sending(rowNumbers: number[], resendable = false): Promise<void> {
    this.flush();
    try {
      await this.store.started(rowNumbers, resendable);
    } catch (error) {
      this.fail(error);
      throw this.failure;
    }
  }

  add(entry: JournalEntry): void {
    this.pending.push({ row: entry.rowNumber, outcome: entry.outcome });
  }

  /** Starts writing the queued outcomes; `drain` waits for every write. */
  flush(): void {
    if (this.pending.length === 0 || this.failure) return;
    const rows = this.pending;
    this.pending = [];
    const write = this.store
      .settled(rows)
      .then(() => {
        this.entries += rows.length;
      })
      .catch((error) => this.fail(error))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  async drain(): Promise<void> {
    this.flush();
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  get error(): UsageError | undefined {
    return this.failure;
  }

  close(): void {
    this.flush();
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = this.redisFailure(error);
    this.onError();
  }

  private redisFailure(error: unknown): UsageError {
    return new UsageError(
      `The journal in ${this.path} could not be read or written: ${(error as Error)?.message ?? String(error)}. The import stopped; what Redis holds is intact.`,
      "When Redis is back, run the same command again to resume.",
    );
  }
}

/**
 * The Redis URL an import uses: --redis, else the environment's (ignored for a dry run or a sandbox, which
 * share nothing). Checked now, before any file is touched.
 */
export function redisUrlFor(
  file: string,
  flags: { redis?: string; journal?: string },
  env: NodeJS.ProcessEnv,
  local: boolean,
): string | undefined {
  if (local) {
    if (flags.redis) throw new UsageError("--redis is for a real import: not with --dry-run or --sandbox.");
    return undefined;
  }
  const url = flags.redis ?? (env[REDIS_URL_ENV] || undefined);
  if (url === undefined) return undefined;
  checkRedisUrl(url);
  if (flags.journal && file !== "-") {
    throw new UsageError(
      "--journal and --redis cannot be used together: with --redis the import's journal is kept in Redis.",
    );
  }
  return url;
}

/** What an import shares through Redis: its pace (in the bridge's rateLimit) and, for a file, its journal. */
export async function openSharedImport(options: {
  url: string;
  ttlHours: number;
  env: NodeJS.ProcessEnv;
  file: string;
  fingerprint: () => Promise<string>;
  fresh: boolean;
  resendInDoubt: boolean;
  onError: () => void;
}): Promise<{ link: RedisLink; journal?: RedisImportJournal; resume?: ResumeState; note?: string }> {
  const link = await connectRedis(options.url, options.ttlHours, Number(options.env[REDIS_WAIT_ENV]) || undefined);
  // Standard input has no identity to resume by: its pace is shared, its journal is a file only with --journal.
  if (options.file === "-") return { link };
  try {
    const store = link.journal(await options.fingerprint());
    return { link, ...(await RedisImportJournal.open(store, link.where, options)) };
  } catch (error) {
    await link.close();
    throw error;
  }
}
