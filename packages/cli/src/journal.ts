import { createHash } from "node:crypto";
import { closeSync, createReadStream, ftruncateSync, mkdirSync, readFileSync, writeSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { Destination } from "leadbridge";
import { UsageError } from "./errors.js";
import { checkOutput, openOutput } from "./files.js";
import {
  encodeBatch,
  type JournalEntry,
  type JournalHeader,
  KIND,
  load,
  type ResumeState,
  toRanges,
} from "./journal-lines.js";
import { JournalLock } from "./lock.js";
import { count } from "./term.js";
import { describeDestination } from "./vendors.js";

export {
  encodeBatch,
  isFinal,
  type JournalEntry,
  type JournalHeader,
  load,
  type ResumeState,
  RowSet,
  toRanges,
} from "./journal-lines.js";

/**
 * The resume journal: append-only JSON Lines, written with synchronous writes (a killed process leaves
 * every line written so far on disk). The first line names what it belongs to (a fingerprint of the
 * input's content, the destination and the options that change what is sent). Then, in order:
 *
 * - `{"sending": ranges}`: a batch's rows, written before its first request leaves. Until a later line
 *   settles them they are *in doubt*: the vendor may or may not have them.
 * - `{"rows": ranges, "not"?: [[row, outcome, reason?]], "free"?: ranges}`: settled rows. `rows` are
 *   final (added, or not added for a reason in `not`); `free` rows were never stored (`failed`), so a
 *   resumed run sends them again.
 *
 * A torn last line (a kill mid-write) is cut off before the journal is appended to, so only the rows of
 * that one line can be in doubt.
 */
/** What the import writes its progress to: this file journal, or one in Redis (redis.ts). */
export type ImportJournal = Pick<Journal, "path" | "entries" | "error" | "add" | "flush" | "close"> & {
  /** Resolves (when it returns a promise) once the rows are recorded: only then may the batch leave. */
  sending(rowNumbers: number[], resendable?: boolean): void | Promise<void>;
  /** Waits for writes still under way. */
  drain?(): Promise<void>;
};

export type OpenResult = { state: "new" } | { state: "resumed"; resume: ResumeState };

export class Journal {
  private pending: JournalEntry[] = [];
  entries = 0;
  private failure?: Error;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    private readonly lock: JournalLock,
  ) {}

  /**
   * Opens `path` under a lock: resumes it when its fingerprint matches; refuses (exit 2) when it belongs
   * to another input, destination or options, unless `fresh` (then, and for a new path, it starts anew).
   */
  static open(
    path: string,
    header: Omit<JournalHeader, "kind" | "version" | "startedAt">,
    options: { fresh?: boolean; force?: boolean; refuseResume?: Error } = {},
  ): { journal: Journal; result: OpenResult } {
    const file = { flag: "--journal", path, isOurs: (text: string) => text.startsWith(`{"kind":"${KIND}"`) };
    checkOutput(file, true); // a link or a directory is refused before anything is read or locked
    const lock = JournalLock.acquire(path);
    try {
      const existing = options.fresh ? undefined : readExisting(path);
      if (existing) {
        const loaded = load(existing.text, path);
        if (loaded.header.fingerprint !== header.fingerprint) {
          throw new UsageError(
            `The journal ${path} belongs to another import (${loaded.header.input} → ${loaded.header.destination}, started ${loaded.header.startedAt}, or other options): it is left as it is.`,
            "Run that import's own command to resume it; or pass --journal <another path>; or --no-resume to replace it and start over.",
          );
        }
        if (options.refuseResume) throw options.refuseResume;
        const fd = openOutput(file, { append: true, force: options.force });
        // Cut a torn last line off, so that what this run appends starts on a line of its own.
        if (loaded.validBytes < existing.bytes) ftruncateSync(fd, loaded.validBytes);
        return { journal: new Journal(path, fd, lock), result: { state: "resumed", resume: loaded.resume } };
      }
      const fd = openOutput(file, { force: options.force });
      const full: JournalHeader = { kind: KIND, version: 2, ...header, startedAt: new Date().toISOString() };
      const journal = new Journal(path, fd, lock);
      journal.write(full);
      return { journal, result: { state: "new" } };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Records a batch's rows as being sent: called before its first request leaves. */
  sending(rowNumbers: number[]): void {
    this.flush();
    this.write({ sending: toRanges(rowNumbers) });
  }

  /** Queues one settled lead; `flush` writes the queue as one line. */
  add(entry: JournalEntry): void {
    this.pending.push(entry);
  }

  /** Writes queued outcomes as one line. */
  flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const entries = this.pending;
    this.pending = [];
    this.write(encodeBatch(entries));
    this.entries += entries.length;
  }

  /** The first write error, if any: the journal stops growing there (what was written stays valid). */
  get error(): Error | undefined {
    return this.failure;
  }

  private write(line: object): void {
    if (this.fd === undefined || this.failure) return;
    try {
      writeSync(this.fd, `${JSON.stringify(line)}\n`);
    } catch (error) {
      this.failure = new UsageError(
        `Cannot write the journal ${this.path}: ${(error as Error).message}. The import stopped; the journal is intact up to here.`,
        "Free some space or fix the path, then run the same command again to resume.",
      );
      throw this.failure;
    }
  }

  close(): void {
    try {
      this.flush();
    } catch {}
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.lock.release();
  }
}

function readExisting(path: string): { text: string; bytes: number } | undefined {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR") throw new UsageError(`--journal ${path} is a directory: name a file.`);
    throw new UsageError(`Cannot read the journal ${path}: ${(error as Error).message}`);
  }
  return buffer.length === 0 ? undefined : { text: buffer.toString("utf8"), bytes: buffer.length };
}

/** SHA-256 of a file's content, streamed: the input part of the fingerprint. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** The flags that place the journal and say how to open it. */
export interface JournalFlags {
  journal?: string;
  report?: string;
  resume?: boolean;
  resumeStdin?: boolean;
  force?: boolean;
  map?: string[];
  customFields?: boolean;
  defaultCountry?: string;
  strict?: boolean;
  format?: string;
}

/** Beside the report (`x.csv` → `x.journal.jsonl`), at --journal, or under .leadbridge/ for a file input. */
export function journalPathFor(file: string, flags: JournalFlags, destination: Destination): string | undefined {
  if (flags.journal) return flags.journal;
  if (flags.report) {
    const ext = extname(flags.report);
    return join(dirname(flags.report), `${basename(flags.report, ext)}.journal.jsonl`);
  }
  if (file === "-") return undefined; // standard input has no identity to resume by; --journal opts in
  const key = fingerprint({ file: resolve(file), destination }).slice(0, 12);
  const dir = ".leadbridge";
  mkdirSync(dir, { recursive: true });
  return join(dir, `${basename(file)}-${key}.journal.jsonl`);
}

/** What identifies an import: input content, destination, target and the options that change what is sent. */
export async function importFingerprint(
  file: string,
  destination: Destination,
  flags: JournalFlags,
  delimiter: string | undefined,
  target: string,
): Promise<string> {
  const content = file === "-" ? "stdin" : await hashFile(file);
  return fingerprint({
    v: 1,
    content,
    destination,
    target,
    map: flags.map ?? [],
    customFields: flags.customFields !== false,
    defaultCountry: flags.defaultCountry?.toUpperCase() ?? null,
    format: flags.format ?? null,
    delimiter: delimiter ?? null,
    // Only when set, so that a journal written before --strict existed still resumes.
    ...(flags.strict === true ? { strict: true } : {}),
  });
}

/**
 * Opens the import's journal: resumed when an earlier run of the same command (same input content,
 * destination, target and options that change what is sent) left one. `note` tells the user so.
 */
export async function openJournal(
  path: string,
  file: string,
  destination: Destination,
  flags: JournalFlags,
  delimiter: string | undefined,
  target: string,
): Promise<{ journal: Journal; resume?: ResumeState; note?: string }> {
  const print = await importFingerprint(file, destination, flags, delimiter, target);
  mkdirSync(dirname(path), { recursive: true });
  const { journal, result } = Journal.open(
    path,
    { fingerprint: print, input: file === "-" ? "-" : resolve(file), destination: describeDestination(destination) },
    {
      fresh: flags.resume === false,
      force: flags.force === true,
      // What is piped in cannot be checked against the earlier run's input: the user must vouch for it.
      refuseResume:
        file === "-" && flags.resumeStdin !== true
          ? new UsageError(
              `The journal ${path} is of an earlier import from standard input; LeadBridge cannot check that the same data is piped in again.`,
              "If it is the same data, pass --resume-stdin to resume; otherwise pass --no-resume to start over (replacing that journal), or --journal <another path>.",
            )
          : undefined,
    },
  );
  if (result.state !== "resumed") return { journal };
  const { resume } = result;
  let note = `Resuming: journal ${path} has ${count(resume.rows.size)} settled rows from ${count(resume.batches)} batches; they are not sent again.`;
  if (resume.inDoubt.size) note += ` ${count(resume.inDoubt.size)} rows were being sent when it stopped.`;
  if (resume.torn) note += " Its last line was torn (the process was killed while writing it) and is ignored.";
  return { journal, resume, note };
}
